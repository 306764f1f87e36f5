"""The receipt over real HTTP: who may see it, its own fulfilment, its live status, and cancelling."""
from __future__ import annotations

import time

import requests

from commerce_plugin.models import Order
from tests.pages.conftest import login, post_form


def _receipt(lms, order) -> str:
    return f"{lms.url}/commerce/orders/{order.number}/"


def _buy_and_pay(shop, session, product) -> tuple[Order, str]:
    """Buy on the checkout page and pay on Stripe's page; returns the order and where Stripe sends the learner."""
    started = post_form(session, f"{shop.url}/commerce/checkout/{product.uuid}/")
    paid = shop.pay(started.headers["Location"])
    assert paid.status_code == 303, paid.text
    return Order.objects.get(product=product, user__username="ada"), paid.headers["Location"]


def test_own_receipt_shows_number_amount_and_status(lms, ada, learner, product, make_order):
    order = make_order(learner, product, status="pending", checkout_url="https://stripe.example/pay/cs_1")
    page = ada.get(_receipt(lms, order), timeout=5)
    assert page.status_code == 200
    assert f'<dd id="order-number">{order.number}</dd>' in page.text
    assert '<dd id="order-amount">49.00 USD</dd>' in page.text
    assert 'id="order-status" data-status="pending"' in page.text and "Waiting for payment" in page.text
    assert 'id="enrollment-state" data-state="none"' in page.text
    assert 'href="https://stripe.example/pay/cs_1"' in page.text and "Continue to payment" in page.text
    assert "Cancel order" in page.text


def test_someone_elses_receipt_is_404_but_staff_may_look(lms, ada, grace, staff_user, product, make_order):
    order = make_order(grace, product, status="paid")
    assert ada.get(_receipt(lms, order), timeout=5).status_code == 404
    assert ada.get(f"{_receipt(lms, order)}status.json", timeout=5).status_code == 404
    support = login(lms.url, "root", "root-password")
    assert support.get(_receipt(lms, order), timeout=5).status_code == 200


def test_anonymous_receipt_visitor_is_sent_to_login(lms, learner, product, make_order):
    order = make_order(learner, product)
    response = requests.get(_receipt(lms, order), allow_redirects=False, timeout=5)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert requests.get(f"{_receipt(lms, order)}status.json", timeout=5).status_code == 401


def test_receipt_fulfils_the_payment_itself_when_the_webhook_never_comes(shop, ada, product, settings):
    shop.stripe.register_webhook(f"{shop.url}/commerce/webhooks/stripe/", settings.COMMERCE_STRIPE_WEBHOOK_SECRET,
                                 events=["nothing.matches"])
    order, back_to_receipt = _buy_and_pay(shop, ada, product)
    assert f"/commerce/orders/{order.number}/?session_id=cs_" in back_to_receipt
    time.sleep(0.5)
    assert Order.objects.get(pk=order.pk).status == "pending"  # muted: no webhook applied it

    page = ada.get(back_to_receipt, timeout=15)

    assert page.status_code == 200
    order.refresh_from_db()
    assert order.status in ("paid", "fulfilled")
    assert f'data-status="{order.status}"' in page.text
    assert order.status_changes.filter(to_status="paid", actor=f"user:{order.user_id}").exists()
    assert "You are enrolled." in page.text or "We are enrolling you" in page.text


def test_a_session_of_another_order_changes_nothing_on_this_receipt(shop, ada, learner, course, product, make_order):
    from commerce_plugin.models import Product

    other_product = Product.objects.create(title="Other", course_key=course.course_id, price=1000)
    waiting = make_order(learner, other_product, status="pending")
    _paid_order, back_to_receipt = _buy_and_pay(shop, ada, product)
    session_id = back_to_receipt.split("session_id=")[1]

    page = ada.get(f"{_receipt(shop, waiting)}?session_id={session_id}", timeout=15)

    assert page.status_code == 200 and 'data-status="pending"' in page.text
    assert Order.objects.get(pk=waiting.pk).status == "pending"


def test_a_made_up_session_id_just_shows_the_receipt(lms, ada, learner, product, make_order):
    order = make_order(learner, product)
    page = ada.get(f"{_receipt(lms, order)}?session_id=not-a-session", timeout=5)
    assert page.status_code == 200 and 'data-status="pending"' in page.text


def test_status_json_gives_the_words_the_page_shows(lms, ada, learner, product, make_order):
    order = make_order(learner, product, status="pending")
    body = ada.get(f"{_receipt(lms, order)}status.json", timeout=5)
    assert body.status_code == 200 and body.headers["Content-Type"] == "application/json"
    assert "no-cache" in body.headers["Cache-Control"] or "no-store" in body.headers["Cache-Control"]
    assert body.json() == {
        "status": "pending",
        "enrollment_state": "none",
        "status_text": "Waiting for payment",
        "enrollment_text": "You will be enrolled as soon as the payment is confirmed.",
    }


def test_a_receipt_still_moving_polls_its_status_and_a_settled_one_does_not(lms, ada, learner, product, make_order):
    moving = ada.get(_receipt(lms, make_order(learner, product, status="pending")), timeout=5).text
    assert "status.json" in moving and "setTimeout(poll, 2000)" in moving
    assert '<noscript><meta http-equiv="refresh"' in moving

    settled = ada.get(_receipt(lms, make_order(learner, product, status="canceled")), timeout=5).text
    assert "status.json" not in settled and "http-equiv" not in settled
    assert "Buy this course run again" in settled


def test_cancel_button_cancels_a_pending_order(shop, ada, product):
    started = post_form(ada, f"{shop.url}/commerce/checkout/{product.uuid}/")
    assert started.status_code == 303
    order = Order.objects.get(product=product)

    canceled = post_form(ada, f"{_receipt(shop, order)}cancel/", page_url=_receipt(shop, order))

    assert canceled.status_code == 303 and canceled.headers["Location"] == f"/commerce/orders/{order.number}/"
    assert Order.objects.get(pk=order.pk).status == "canceled"
    page = ada.get(_receipt(shop, order), timeout=5)
    assert "Your order is canceled." in page.text and 'data-status="canceled"' in page.text
    assert "Cancel order" not in page.text


def test_canceling_a_paid_order_is_refused_with_a_sentence(lms, ada, learner, product, make_order):
    order = make_order(learner, product, status="paid")
    refused = post_form(ada, f"{_receipt(lms, order)}cancel/", page_url=_receipt(lms, order))
    assert refused.status_code == 303
    assert Order.objects.get(pk=order.pk).status == "paid"
    assert "can no longer be canceled" in ada.get(_receipt(lms, order), timeout=5).text
