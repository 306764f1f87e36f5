"""The refund policy's decisions and reasons: window, course start, certificates, one per order."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache

from commerce_plugin import api
from commerce_plugin.data import RefundReason
from commerce_plugin.models import Order, Refund
from commerce_plugin.refunds.policy import evaluate, refund_window_end

SECOND = timedelta(seconds=1)


def test_the_window_is_counted_from_the_payment(bought, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 14
    end = refund_window_end(bought)
    assert end == bought.paid_at + timedelta(days=14)

    just_before = evaluate(bought, now=end - SECOND)
    assert just_before.eligible and just_before.reason == RefundReason.ELIGIBLE
    assert just_before.refundable_until == end and just_before.amount == 4900

    just_after = evaluate(bought, now=end + SECOND)
    assert not just_after.eligible and just_after.reason == RefundReason.WINDOW_CLOSED


def test_the_window_starts_with_the_course_when_it_starts_later(bought, settings):
    from sandbox.lms.models import CourseOverview

    settings.COMMERCE_REFUND_WINDOW_DAYS = 7
    start = bought.paid_at + timedelta(days=30)
    CourseOverview.objects.filter(course_id=bought.course_key).update(start=start)
    cache.clear()

    assert refund_window_end(bought) == start + timedelta(days=7)
    assert evaluate(bought, now=bought.paid_at + timedelta(days=20)).eligible


def test_a_product_window_overrides_the_setting(bought):
    bought.product.refund_window_days = 2
    bought.product.save()
    order = Order.objects.get(pk=bought.pk)
    assert refund_window_end(order) == order.paid_at + timedelta(days=2)


def test_outside_the_window_the_request_waits_for_staff(bought, learner, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0

    refund = api.request_refund(bought.number, user=learner)

    assert refund.status == "requested" and refund.reason == "window_closed"
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"  # nothing moves until staff decide


def test_staff_approve_a_waiting_request(bought, learner, settings):
    from sandbox.lms.seed import create_user

    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    waiting = api.request_refund(bought.number, user=learner)
    staff = create_user("root", "root@example.com", staff=True)

    decided = api.decide_refund(str(waiting.uuid), staff=staff, approve=True, note="course was cancelled early")

    assert decided.status == "succeeded"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert Refund.objects.get(uuid=waiting.uuid).decided_by == f"staff:{staff.pk}"


def test_staff_reject_a_waiting_request_with_a_note(bought, learner, settings):
    from sandbox.lms.seed import create_user

    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    waiting = api.request_refund(bought.number, user=learner)
    staff = create_user("root", "root@example.com", staff=True)
    with pytest.raises(api.CommerceRequestError):
        api.decide_refund(str(waiting.uuid), staff=staff, approve=False, note="")

    rejected = api.decide_refund(str(waiting.uuid), staff=staff, approve=False, note="the course is over")

    assert rejected.status == "rejected" and rejected.note == "the course is over"
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"
    with pytest.raises(api.RefundNotAllowed):  # one learner request per order
        api.request_refund(bought.number, user=learner)


def test_an_unpaid_order_is_not_refundable(shop, product, learner):
    placed = api.create_order(learner, product.uuid, base_url=shop.url)
    with pytest.raises(api.RefundNotAllowed) as caught:
        api.request_refund(placed.number, user=learner)
    assert caught.value.reason == RefundReason.NOT_PAID


def test_the_decision_reads_as_a_sentence(bought, learner, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 14
    decision = api.refund_decision(bought.number, user=learner)
    assert api.decision_text(decision).startswith("Refundable until ")
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    closed = api.refund_decision(bought.number, user=learner)
    assert api.decision_text(closed).startswith("Not refundable: the refund period ended on ")


def test_when_the_lms_cannot_tell_the_default_decides_and_says_so(bought, settings):
    from sandbox.lms.faults import arm_fault

    settings.COMMERCE_REFUND_ALLOW_UNVERIFIED_CERTIFICATE = False
    arm_fault("503", 1, path_prefix="/api/certificates/")
    refused = evaluate(bought)
    assert not refused.eligible and refused.reason == RefundReason.CERTIFICATE_UNVERIFIABLE

    settings.COMMERCE_REFUND_ALLOW_UNVERIFIED_CERTIFICATE = True
    arm_fault("503", 1, path_prefix="/api/certificates/")
    allowed = evaluate(bought)
    assert allowed.eligible and allowed.reason == RefundReason.ELIGIBLE_CERTIFICATE_UNVERIFIED


def test_a_free_order_has_nothing_to_refund(shop, product, learner):
    product.price, product.mode = 0, "audit"
    product.save()
    placed = api.create_order(learner, product.uuid, base_url=shop.url)
    decision = api.refund_decision(placed.number, user=learner)
    assert not decision.eligible and decision.reason == RefundReason.NOTHING_TO_REFUND
    with pytest.raises(api.RefundNotAllowed):
        api.request_refund(placed.number, user=learner)


def test_refunds_not_from_the_policy_read_as_words():
    assert api.reason_text("staff_override") == "Refunded by our staff."
    assert api.reason_text("stripe_dashboard") == "Refunded by our staff in Stripe."


def test_the_decision_says_whether_the_buyer_may_ask(bought, learner, settings):
    """Eligible, or refused for a reason staff may overrule: the button shows; otherwise it does not."""
    settings.COMMERCE_REFUND_WINDOW_DAYS = 14
    assert evaluate(bought).can_request_refund is True
    closed = evaluate(bought, now=refund_window_end(bought) + SECOND)
    assert closed.reason == RefundReason.WINDOW_CLOSED and closed.can_request_refund is True

    api.request_refund(bought.number, user=learner)
    again = evaluate(Order.objects.get(pk=bought.pk))
    assert not again.eligible and again.can_request_refund is False


def test_an_unpaid_order_gives_no_refund_button(shop, product, learner):
    placed = api.create_order(learner, product.uuid, base_url=shop.url)
    decision = evaluate(Order.objects.get(number=placed.number))
    assert decision.reason == RefundReason.NOT_PAID and decision.can_request_refund is False
