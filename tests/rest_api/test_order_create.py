"""Buying through the API: the server prices the order, Stripe takes the money, errors say why not."""
from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from django.utils import timezone

from commerce_plugin.models import Order
from tests.conftest import COURSE_ID, wait_for
from tests.rest_api.conftest import make_order, make_product


def test_jwt_client_buys_a_product_priced_by_the_server(shop, product, learner, as_user):
    response = as_user(learner).post("/orders/", {"product": str(product.uuid), "amount": 1, "price": 1,
                                                  "currency": "eur"})

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "pending" and order["username"] == "ada" and order["email"] == "ada@example.com"
    assert (order["amount"], order["currency"]) == (4900, "usd")
    assert order["product"] == str(product.uuid) and order["course_id"] == COURSE_ID and order["mode"] == "verified"
    assert order["checkout_url"].startswith(shop.stripe.url)
    assert order["receipt_url"] == f"{shop.url}/commerce/orders/{order['number']}/"
    assert order["enrollment_state"] == "none" and order["expires_at"] is not None


def test_asking_again_resumes_the_pending_order(shop, product, learner, as_user):
    client = as_user(learner)
    first = client.post("/orders/", {"product": str(product.uuid)})

    again = client.post("/orders/", {"product": str(product.uuid)})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert again.json()["checkout_url"] == first.json()["checkout_url"]


def test_a_free_product_is_paid_at_once_without_stripe(lms, course, learner, as_user):
    free = make_product(COURSE_ID, title="Open day", price=0)

    response = as_user(learner).post("/orders/", {"product": str(free.uuid)})

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] in ("paid", "fulfilled") and order["amount"] == 0 and order["checkout_url"] == ""
    assert order["paid_at"] is not None and order["expires_at"] is None


def test_session_login_must_send_the_csrf_token(shop, product, learner, browser_login):
    browser = browser_login("ada", "ada-password")

    refused = browser.post("/orders/", {"product": str(product.uuid)})
    accepted = browser.post("/orders/", {"product": str(product.uuid)},
                            headers={"X-CSRFToken": browser.session.cookies["csrftoken"]})

    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["username"] == "ada"


def test_anonymous_callers_get_a_401(lms, product, as_user):
    response = as_user(None).post("/orders/", {"product": str(product.uuid)})

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("JWT")


def test_a_missing_or_malformed_product_says_what_to_send(lms, learner, as_user):
    client = as_user(learner)

    missing = client.post("/orders/", {"amount": 4900})
    malformed = client.post("/orders/", {"product": "the verified one"})

    assert missing.status_code == 400 and '"product": "<uuid>"' in missing.json()["product"][0]
    assert malformed.status_code == 400 and "uuid" in malformed.json()["product"][0]


def test_an_unknown_product_is_a_404(lms, learner, as_user):
    response = as_user(learner).post("/orders/", {"product": str(uuid4())})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_product_past_its_sale_window_is_a_409(lms, course, learner, as_user):
    ended = make_product(COURSE_ID, sale_ends_at=timezone.now() - timedelta(minutes=1))

    response = as_user(learner).post("/orders/", {"product": str(ended.uuid)})

    assert response.status_code == 409
    assert response.json()["code"] == "not_on_sale"
    assert "not on sale" in response.json()["detail"]


def test_the_last_seat_held_by_someone_else_is_a_409_sold_out(shop, course, learner, bob, as_user):
    one_seat = make_product(COURSE_ID, seat_limit=1)
    assert as_user(bob).post("/orders/", {"product": str(one_seat.uuid)}).status_code == 201

    response = as_user(learner).post("/orders/", {"product": str(one_seat.uuid)})

    assert response.status_code == 409
    assert response.json()["code"] == "sold_out"


def test_buying_again_after_paying_is_a_409_naming_the_order(shop, product, learner, as_user):
    client = as_user(learner)
    order = client.post("/orders/", {"product": str(product.uuid)}).json()
    assert shop.pay(order["checkout_url"]).status_code == 303
    assert wait_for(lambda: client.get(f"/orders/{order['number']}/").json()["status"] in ("paid", "fulfilled"),
                    timeout=15)

    response = client.post("/orders/", {"product": str(product.uuid)})

    assert response.status_code == 409
    assert response.json()["code"] == "already_purchased"
    assert response.json()["order_number"] == order["number"]
    assert order["number"] in response.json()["detail"]


def test_stripe_being_unreachable_is_a_503_and_the_order_waits(lms, product, learner, as_user, settings):
    from commerce_plugin.models import Order

    settings.COMMERCE_STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.COMMERCE_STRIPE_MAX_NETWORK_RETRIES = 0

    response = as_user(learner).post("/orders/", {"product": str(product.uuid)})

    assert response.status_code == 503
    assert response.json()["detail"] == "Payment service temporarily unavailable; try again."
    assert response.headers["Retry-After"].isdigit()
    assert Order.objects.get(user=learner).status == "pending"


def test_a_json_body_is_required(lms, product, learner, as_user):
    client = as_user(learner)

    response = client.session.post(f"{client.base}/orders/", data={"product": str(product.uuid)}, timeout=10)

    assert response.status_code == 415


def test_pending_orders_of_other_learners_do_not_count_as_purchases(lms, course, learner, bob, as_user):
    free = make_product(COURSE_ID, price=0)
    make_order(bob, free, status="paid")

    response = as_user(learner).post("/orders/", {"product": str(free.uuid)})

    assert response.status_code == 201 and response.json()["username"] == "ada"


def test_json_nested_a_thousand_levels_deep_is_a_400_not_a_500(lms, product, learner, as_user):
    """Issue 11.3: 2 KB of brackets exhausted the JSON decoder's recursion (a 500 for any learner)."""
    client = as_user(learner)
    body = "[" * 1000 + "]" * 1000

    response = client.session.post(f"{client.base}/orders/", data=body, timeout=10,
                                   headers={"Content-Type": "application/json"})

    assert response.status_code == 400, response.text
    assert "nested too deeply" in response.json()["detail"]
    assert not Order.objects.exists()


def test_nesting_depth_ignores_brackets_inside_strings():
    from commerce_plugin.rest_api.v1.parsers import MAX_DEPTH, nesting_depth

    assert nesting_depth(b'{"a": [1, {"b": "[[[[\\"{{{"}]}') == 3
    assert nesting_depth(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1
    assert nesting_depth(b'{"product": "6f1c2a9e"}') == 1
