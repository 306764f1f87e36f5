"""Reading and cancelling one order: yours, or any for staff; everyone else gets a 404."""
from __future__ import annotations

from commerce_plugin.models import Order
from tests.rest_api.conftest import make_order


def test_a_learner_reads_their_own_order(lms, product, learner, as_user):
    order = make_order(learner, product, status="paid")

    response = as_user(learner).get(f"/orders/{order.number}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == order.number and body["status"] == "paid"
    assert body["product_title"] == product.title and body["checkout_url"] == ""
    assert body["enrollment_state"] in ("enrolling", "enrolled")


def test_another_learners_order_is_a_404_like_a_missing_one(lms, product, learner, bob, as_user):
    order = make_order(learner, product)

    theirs = as_user(bob).get(f"/orders/{order.number}/")
    missing = as_user(bob).get("/orders/CP-NOSUCHONE/")

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


def test_staff_read_any_order(lms, product, learner, staff, as_user):
    order = make_order(learner, product)

    response = as_user(staff).get(f"/orders/{order.number}/")

    assert response.status_code == 200 and response.json()["username"] == "ada"


def test_cancelling_a_pending_order_frees_it_once(shop, product, learner, as_user):
    client = as_user(learner)
    number = client.post("/orders/", {"product": str(product.uuid)}).json()["number"]

    canceled = client.post(f"/orders/{number}/cancel/")
    again = client.post(f"/orders/{number}/cancel/")

    assert canceled.status_code == 200, canceled.text
    assert canceled.json()["status"] == "canceled" and canceled.json()["checkout_url"] == ""
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition" and again.json()["status"] == "canceled"
    assert number in again.json()["detail"]
    assert client.get(f"/orders/{number}/").json()["status"] == "canceled"


def test_a_learner_cannot_cancel_someone_elses_order(lms, product, learner, bob, as_user):
    order = make_order(learner, product)

    response = as_user(bob).post(f"/orders/{order.number}/cancel/")

    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == "pending"


def test_staff_cancel_a_learners_pending_order(lms, product, learner, staff, as_user):
    order = make_order(learner, product)

    response = as_user(staff).post(f"/orders/{order.number}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == "canceled"


def test_anonymous_callers_cannot_read_or_cancel(lms, product, learner, as_user):
    order = make_order(learner, product)

    assert as_user(None).get(f"/orders/{order.number}/").status_code == 401
    assert as_user(None).post(f"/orders/{order.number}/cancel/").status_code == 401


def test_cancelling_an_order_paid_a_moment_ago_is_409_with_the_paid_order(shop, product, learner, as_user, settings):
    """Issue 11.5: Stripe says "paid" while we still think "pending" (the webhook is late)."""
    shop.stripe.register_webhook(f"{shop.url}/commerce/webhooks/stripe/", settings.COMMERCE_STRIPE_WEBHOOK_SECRET,
                                 events=["nothing.matches"])  # the webhook never comes
    client = as_user(learner)
    placed = client.post("/orders/", {"product": str(product.uuid)}).json()
    shop.pay(placed["checkout_url"])
    assert Order.objects.get(number=placed["number"]).status == "pending"

    response = client.post(f"/orders/{placed['number']}/cancel/")

    assert response.status_code == 409, response.text
    body = response.json()
    assert body["code"] == "invalid_transition" and body["status"] in ("paid", "fulfilled")
    assert body["order"]["number"] == placed["number"] and body["order"]["status"] == body["status"]
    assert Order.objects.get(number=placed["number"]).status in ("paid", "fulfilled")


def test_cancelling_a_fulfilled_order_is_409_with_the_order(shop, product, learner, as_user):
    from tests.conftest import wait_for

    client = as_user(learner)
    placed = client.post("/orders/", {"product": str(product.uuid)}).json()
    shop.pay(placed["checkout_url"])
    assert wait_for(lambda: Order.objects.get(number=placed["number"]).status == "fulfilled", timeout=15)

    response = client.post(f"/orders/{placed['number']}/cancel/")

    assert response.status_code == 409
    assert response.json()["order"]["status"] == "fulfilled" and response.json()["status"] == "fulfilled"
