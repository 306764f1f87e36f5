"""Buying a course run end to end over real HTTP: order, Stripe Checkout, webhook, grant, LMS."""
from __future__ import annotations

from commerce_plugin import api
from commerce_plugin.models import Grant, Order, Payment
from tests.conftest import lms_calls, wait_for


def _enrollment(username, course_id):
    from sandbox.lms.models import CourseEnrollment

    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()


def _diagnosis(order) -> str:
    """What the stack did, for a failure message: history, events, sync attempts."""
    from commerce_plugin.models import EnrollmentSync, StripeEvent

    return "\n".join([
        f"history: {list(Order.objects.get(number=order.number).status_changes.values_list('to_status', 'reason'))}",
        f"events: {list(StripeEvent.objects.values_list('type', 'processed_at', 'error'))}",
        f"syncs: {list(EnrollmentSync.objects.values_list('state', 'last_error'))}",
    ])


def test_paying_on_the_checkout_page_enrolls_the_learner(shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    assert order.status == "pending" and order.checkout_url.startswith(shop.stripe.url)

    paid = shop.pay(order.checkout_url)
    assert paid.status_code == 303
    assert paid.headers["Location"].startswith(f"{shop.url}/commerce/orders/{order.number}/?session_id=cs_test_")

    fulfilled = wait_for(lambda: Order.objects.get(number=order.number).status == "fulfilled", timeout=15)
    assert fulfilled, _diagnosis(order)
    enrollment = _enrollment("ada", product.course_key)
    assert enrollment.is_active and enrollment.mode == "verified"
    assert Payment.objects.filter(order__number=order.number).count() == 1
    assert Grant.objects.filter(source_ref=str(order.uuid)).count() == 1
    assert lms_calls("POST", "/api/enrollment/v1/enrollment") == 1
    history = list(Order.objects.get(number=order.number).status_changes.values_list("to_status", flat=True))
    assert history == ["pending", "paid", "fulfilled"]


def test_a_declined_card_leaves_the_order_pending_with_the_reason(shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)

    declined = shop.pay(order.checkout_url, card="4000000000000341")
    assert declined.status_code == 402

    assert wait_for(lambda: Order.objects.get(number=order.number).failure_reason)
    refreshed = Order.objects.get(number=order.number)
    assert refreshed.status == "pending"
    assert "declined" in refreshed.failure_reason.lower()
    assert not Grant.objects.exists()
    assert _enrollment("ada", product.course_key) is None
