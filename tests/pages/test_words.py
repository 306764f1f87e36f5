"""Amounts and sentences the pages show, checked without a server."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from commerce_plugin.data import EnrollmentState, OrderData, OrderStatus
from commerce_plugin.money import format_money
from commerce_plugin.pages.texts import enrollment_text, is_live, status_text


@pytest.mark.parametrize(("amount", "currency", "shown"), [
    (4900, "usd", "49.00 USD"),
    (5, "eur", "0.05 EUR"),
    (5000, "jpy", "5000 JPY"),
    (12345, "kwd", "12.345 KWD"),
    (-1050, "usd", "-10.50 USD"),
    (0, "usd", "0.00 USD"),
])
def test_minor_units_are_shown_with_the_currencys_decimals(amount, currency, shown):
    assert format_money(amount, currency) == shown


_ORDER = OrderData(
    uuid=uuid4(), number="CP-X", status=OrderStatus.PAID, username="ada", email="ada@example.com",
    product_uuid=uuid4(), product_title="T", course_key="course-v1:A+B+C", mode="verified", amount=4900,
    currency="usd", created=datetime(2026, 1, 1, tzinfo=UTC), paid_at=None, expires_at=None, failure_reason="",
    checkout_url="", enrollment_state=EnrollmentState.ENROLLING,
)


@pytest.mark.parametrize(("status", "state", "sentence", "live"), [
    (OrderStatus.PAID, "enrolled", "You are enrolled.", False),
    (OrderStatus.PAID, "enrolling", "We are enrolling you", True),
    (OrderStatus.PAID, "retrying", "trying again automatically", True),
    (OrderStatus.PAID, "waiting", "as soon as an account", True),
    (OrderStatus.FULFILLED, "failed", "contact support", False),
    (OrderStatus.PENDING, "none", "as soon as the payment is confirmed", True),
    (OrderStatus.EXPIRED, "none", "was not paid", False),
    (OrderStatus.REFUNDED, "none", "no longer gives access", False),
])
def test_each_enrollment_state_has_its_sentence_and_refresh_rule(status, state, sentence, live):
    order = replace(_ORDER, status=status, enrollment_state=EnrollmentState(state))
    assert sentence in enrollment_text(order)
    assert is_live(order) is live


def test_every_status_has_words():
    assert {status_text(status) for status in OrderStatus} >= {"Paid", "Waiting for payment", "Refunded"}
    assert all(status_text(status) != status.value for status in OrderStatus)


def _refund(status: str, note: str = ""):
    from commerce_plugin.data import RefundData, RefundStatus

    return RefundData(uuid=uuid4(), order_number="CP-X", amount=4900, currency="usd", status=RefundStatus(status),
                      source="learner", reason="eligible", note=note, override=False,
                      created=datetime(2026, 1, 1, tzinfo=UTC), completed_at=None, last_error="")


@pytest.mark.parametrize(("status", "note", "shown"), [
    ("succeeded", "", "Refund of 49.00 USD: completed"),
    ("requested", "", "Refund of 49.00 USD: waiting for review"),
    ("approved", "", "Refund of 49.00 USD: approved, on its way"),
    ("failed", "card expired", "Refund of 49.00 USD: failed, our staff have been told"),
    ("rejected", "The course is over.", "Refund of 49.00 USD: rejected: The course is over."),
])
def test_each_refund_status_reads_as_words(status, note, shown):
    from commerce_plugin.pages.texts import refund_text

    assert refund_text(_refund(status, note)) == shown


def test_a_refund_in_progress_keeps_the_receipt_refreshing_until_it_completes():
    assert is_live(replace(_ORDER, status=OrderStatus.REFUND_PENDING, enrollment_state=EnrollmentState.NONE)) is True
    assert "in progress" in enrollment_text(replace(_ORDER, status=OrderStatus.REFUND_PENDING,
                                                    enrollment_state=EnrollmentState.NONE))
