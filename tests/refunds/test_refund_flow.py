"""Buy, then refund, end to end: Stripe refund at the stand-in, order refunded, LMS enrollment ended."""
from __future__ import annotations

import pytest

from commerce_plugin import api
from commerce_plugin.data import GrantSource
from commerce_plugin.models import Grant, Order, Payment, Refund
from tests.refunds.conftest import lms_enrollment


def _stand_in_refunds(shop, payment_intent):
    from tests.standins import stripe_client_for

    page = stripe_client_for(shop.stripe.url).v1.refunds.list(params={"payment_intent": payment_intent})
    return page.to_dict()["data"]


def test_an_eligible_learner_refund_is_paid_back_and_ends_the_enrollment(bought, learner, shop):
    refund = api.request_refund(bought.number, user=learner)

    assert refund.status == "succeeded" and refund.amount == 4900 and refund.reason == "eligible"
    order = Order.objects.get(pk=bought.pk)
    assert order.status == "refunded"
    payment_intent = order.payments.get(kind="payment").stripe_id
    stand_in = _stand_in_refunds(shop, payment_intent)
    assert [(item["amount"], item["metadata"]["refund_uuid"]) for item in stand_in] == [(4900, str(refund.uuid))]
    assert Payment.objects.get(order=order, kind="refund").amount == -4900
    assert Grant.objects.get(source_ref=str(order.uuid)).revoked_at is not None
    enrollment = lms_enrollment("ada", order.course_key)
    assert enrollment is not None and enrollment.is_active is False
    history = list(order.status_changes.values_list("to_status", flat=True))
    assert history[-2:] == ["refund_pending", "refunded"]


def test_a_second_learner_request_is_refused(bought, learner):
    api.request_refund(bought.number, user=learner)
    with pytest.raises(api.RefundNotAllowed) as caught:
        api.request_refund(bought.number, user=learner)
    assert caught.value.reason in ("already_refunded", "already_requested")
    assert Refund.objects.count() == 1


def test_another_grant_keeps_the_enrollment_after_the_refund(bought, learner, shop):
    from django.db import transaction

    from commerce_plugin.grants.ledger import add_grant

    with transaction.atomic():  # a staff grant for the same course run, e.g. a scholarship
        add_grant(email="ada@example.com", user_id=learner.pk, course_key=bought.course_key, mode="audit",
                  source=GrantSource.STAFF, source_ref="scholarship:ada")

    api.request_refund(bought.number, user=learner)

    assert Order.objects.get(pk=bought.pk).status == "refunded"
    enrollment = lms_enrollment("ada", bought.course_key)
    assert enrollment.is_active is True  # the remaining grant still covers the run
    assert enrollment.mode == "audit"    # in the mode that grant gives


def test_a_learner_cannot_refund_someone_elses_order(bought):
    from sandbox.lms.seed import create_user

    mallory = create_user("mallory", "mallory@example.com")
    with pytest.raises(api.NotFound):
        api.request_refund(bought.number, user=mallory)
    with pytest.raises(api.NotFound):
        api.refund_decision(bought.number, user=mallory)
    assert not Refund.objects.exists()


def test_staff_partial_refunds_never_exceed_what_was_paid(bought, shop):
    from sandbox.lms.seed import create_user

    staff = create_user("root", "root@example.com", staff=True)
    first = api.staff_refund(bought.number, staff=staff, reason="goodwill", amount=1000)
    assert first.status == "succeeded" and first.override is True
    order = Order.objects.get(pk=bought.pk)
    assert order.status == "fulfilled"  # partially refunded: still enrolled
    assert lms_enrollment("ada", order.course_key).is_active

    with pytest.raises(api.RefundAmountInvalid) as caught:
        api.staff_refund(bought.number, staff=staff, reason="too much", amount=3901)
    assert caught.value.refundable == 3900

    rest = api.staff_refund(bought.number, staff=staff, reason="the rest")
    assert rest.amount == 3900
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert sum(item["amount"] for item in _stand_in_refunds(shop, order.payments.get(kind="payment").stripe_id)) == 4900


def test_a_staff_refund_needs_a_reason(bought):
    from sandbox.lms.seed import create_user

    staff = create_user("root", "root@example.com", staff=True)
    with pytest.raises(api.CommerceRequestError):
        api.staff_refund(bought.number, staff=staff, reason="  ")
