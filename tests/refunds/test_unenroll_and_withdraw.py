"""Refunds started by the LMS (a learner leaving the run) and by staff withdrawing a run from sale."""
from __future__ import annotations

from commerce_plugin import api
from commerce_plugin.models import Order, Refund
from tests.conftest import wait_for
from tests.refunds.conftest import lms_enrollment


def test_unenrolling_inside_the_window_refunds_when_enabled(bought, lms_client, settings):
    settings.COMMERCE_AUTO_REFUND_ON_UNENROLL = True

    lms_client.deactivate("ada", bought.course_key)  # the LMS reports the unenrollment to the plugin

    assert wait_for(lambda: Order.objects.get(pk=bought.pk).status == "refunded", timeout=15)
    refund = Refund.objects.get()
    assert (refund.source, refund.status, refund.amount) == ("auto_unenroll", "succeeded", 4900)
    assert lms_enrollment("ada", bought.course_key).is_active is False


def test_unenrolling_refunds_nothing_when_disabled(bought, lms_client, settings):
    settings.COMMERCE_AUTO_REFUND_ON_UNENROLL = False
    lms_client.deactivate("ada", bought.course_key)
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_unenrolling_after_the_window_refunds_nothing(bought, lms_client, settings):
    settings.COMMERCE_AUTO_REFUND_ON_UNENROLL = True
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    lms_client.deactivate("ada", bought.course_key)
    assert not Refund.objects.exists()


def test_withdrawing_a_run_cancels_pending_orders_and_refunds_paid_ones(bought, shop, product):
    from sandbox.lms.seed import create_user

    grace = create_user("grace", "grace@example.com")
    pending = api.create_order(grace, product.uuid, base_url=shop.url)
    staff = create_user("root", "root@example.com", staff=True)

    outcome = api.cancel_course_sales(str(product.course_key), staff=staff, reason="course withdrawn")

    assert outcome == {"canceled": [pending.number], "refunded": [bought.number], "skipped": []}
    assert Order.objects.get(number=pending.number).status == "canceled"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    refund = Refund.objects.get()
    assert refund.source == "course_removed" and refund.override and refund.note == "course withdrawn"
    assert lms_enrollment("ada", product.course_key).is_active is False
    product.refresh_from_db()
    assert product.is_active is False
