"""Stripe failing in the middle of a refund: retried, and exactly one refund at the stand-in."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from commerce_plugin import api
from commerce_plugin.models import Order, Refund, RefundStatusChange
from tests.refunds.conftest import lms_enrollment


def _due_later(refund) -> datetime:
    return Refund.objects.get(uuid=refund.uuid).next_attempt_at + timedelta(seconds=1)


def test_a_refund_whose_answer_was_lost_is_found_not_repeated(bought, learner, shop):
    intent = bought.payments.get(kind="payment").stripe_id
    # Stripe makes the refund, then the answer is lost (a 500 after the work is done).
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_after", count=1, status=500)

    refund = api.request_refund(bought.number, user=learner)

    assert refund.status == "approved"  # waiting for a retry, not failed
    assert len(shop.stripe.refunds(intent)) == 1  # the refund exists at Stripe already
    stored = Refund.objects.get(uuid=refund.uuid)
    assert stored.attempts == 1 and "Sandbox fault" in stored.last_error
    assert Order.objects.get(pk=bought.pk).status == "refund_pending"

    # Stripe is back; the sweep retries after the backoff, finds our refund and adopts it.
    assert api.process_due_refunds(now=_due_later(refund)) == {"succeeded": 1}
    assert len(shop.stripe.refunds(intent)) == 1
    assert Refund.objects.get(uuid=refund.uuid).status == "succeeded"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert lms_enrollment("ada", bought.course_key).is_active is False


def test_stripe_down_before_the_refund_is_retried_until_it_works(bought, learner, shop):
    intent = bought.payments.get(kind="payment").stripe_id
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_before", count=2, status=503)

    refund = api.request_refund(bought.number, user=learner)
    assert refund.status == "approved" and shop.stripe.refunds(intent) == []

    assert api.process_due_refunds(now=timezone.now()) == {}  # not due before the backoff
    assert api.process_due_refunds(now=_due_later(refund)) == {"approved": 1}  # still down
    assert api.process_due_refunds(now=_due_later(refund)) == {"succeeded": 1}
    assert len(shop.stripe.refunds(intent)) == 1


def test_a_refund_stripe_refuses_fails_visibly_and_the_order_goes_back(bought, learner, shop):
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_before", count=1, status=400)

    refund = api.request_refund(bought.number, user=learner)

    assert refund.status == "failed" and refund.last_error
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"
    assert lms_enrollment("ada", bought.course_key).is_active is True
    assert RefundStatusChange.objects.filter(refund__uuid=refund.uuid, to_status="failed").exists()


def test_a_failed_refund_event_from_stripe_marks_ours_failed(bought, learner, shop, settings):
    from tests.conftest import wait_for

    settings.COMMERCE_STRIPE_API_BASE = shop.stripe.url
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_after", count=1, status=500)
    refund = api.request_refund(bought.number, user=learner)
    intent = bought.payments.get(kind="payment").stripe_id
    stripe_refund = shop.stripe.refunds(intent)[0]

    shop.stripe.send_refund_events(stripe_refund["id"], ["refund.failed"], status="failed",
                                   failure_reason="expired_or_canceled_card")

    assert wait_for(lambda: Refund.objects.get(uuid=refund.uuid).status == "failed", timeout=10)
    assert "expired_or_canceled_card" in Refund.objects.get(uuid=refund.uuid).last_error
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_an_earned_certificate_sends_the_request_to_staff(bought, learner):
    from sandbox.lms.seed import issue_certificate

    issue_certificate("ada", str(bought.course_key))

    decision = api.refund_decision(bought.number, user=learner)
    assert not decision.eligible and decision.reason == "certificate_earned"
    assert api.decision_text(decision) == "Not refundable: certificate earned."
    refund = api.request_refund(bought.number, user=learner)
    assert refund.status == "requested"


def test_a_certificate_that_was_not_earned_does_not_block(bought, learner):
    from sandbox.lms.seed import issue_certificate

    issue_certificate("ada", str(bought.course_key), status="notpassing")
    assert api.refund_decision(bought.number, user=learner).eligible


def test_the_refunds_command_sends_what_is_due(bought, learner, shop):
    import io

    from django.core.management import call_command

    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_before", count=1, status=503)
    refund = api.request_refund(bought.number, user=learner)
    Refund.objects.filter(uuid=refund.uuid).update(next_attempt_at=timezone.now() - timedelta(seconds=1))

    out = io.StringIO()
    call_command("commerce_refunds", stdout=out)

    assert "succeeded=1" in out.getvalue()
    assert Order.objects.get(pk=bought.pk).status == "refunded"


def test_a_failed_refund_cannot_be_approved_again_past_what_is_left(bought, learner, shop):
    """Issue 11.1: a failed refund re-approved after a full staff refund must not pay twice."""
    from commerce_plugin.refunds.errors import RefundAmountInvalid
    from sandbox.lms.seed import create_user

    staff = create_user("root", "root@example.com", staff=True)
    intent = bought.payments.get(kind="payment").stripe_id
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_before", count=1, status=400)
    failed = api.request_refund(bought.number, user=learner)
    assert failed.status == "failed"

    full = api.staff_refund(bought.number, staff=staff, reason="goodwill, full amount")
    assert full.status == "succeeded" and full.amount == bought.amount

    with pytest.raises(RefundAmountInvalid) as refused:
        api.decide_refund(str(failed.uuid), staff=staff, approve=True, note="try again")
    assert refused.value.refundable == 0
    assert Refund.objects.get(uuid=failed.uuid).status == "failed"
    assert [refund["amount"] for refund in shop.stripe.refunds(intent)] == [bought.amount]


def test_a_failed_refund_can_be_approved_again_while_the_money_is_still_there(bought, learner, shop):
    from sandbox.lms.seed import create_user

    staff = create_user("root", "root@example.com", staff=True)
    intent = bought.payments.get(kind="payment").stripe_id
    shop.stripe.arm_fault("POST", "/v1/refunds", mode="fail_before", count=1, status=400)
    failed = api.request_refund(bought.number, user=learner)

    again = api.decide_refund(str(failed.uuid), staff=staff, approve=True, note="card fixed, try again")

    assert again.status == "succeeded"
    assert [refund["amount"] for refund in shop.stripe.refunds(intent)] == [bought.amount]
    assert Order.objects.get(pk=bought.pk).status == "refunded"
