"""What the learner reads about an order: its status in words and a sentence about the enrollment.

One place for these strings, so the receipt, the JSON the receipt polls and "my orders" always
say the same thing (and translators see each sentence once).
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce_plugin.data import OrderData, OrderStatus

__all__ = ["LIVE_ENROLLMENT_STATES", "enrollment_text", "is_live", "status_text"]

_STATUS_TEXT = {
    OrderStatus.PENDING: gettext_lazy("Waiting for payment"),
    OrderStatus.PAID: gettext_lazy("Paid"),
    OrderStatus.FULFILLED: gettext_lazy("Paid and enrolled"),
    OrderStatus.EXPIRED: gettext_lazy("Expired (not paid in time)"),
    OrderStatus.CANCELED: gettext_lazy("Canceled"),
    OrderStatus.FAILED: gettext_lazy("Payment failed"),
    OrderStatus.REFUND_PENDING: gettext_lazy("Refund in progress"),
    OrderStatus.REFUNDED: gettext_lazy("Refunded"),
}

_ENROLLMENT_TEXT = {
    "enrolled": gettext_lazy("You are enrolled."),
    "enrolling": gettext_lazy("We are enrolling you in the course; this usually takes a few seconds."),
    "retrying": gettext_lazy(
        "The course platform did not answer yet; we are trying again automatically. Your payment is safe."),
    "waiting": gettext_lazy("You will be enrolled as soon as an account with your email address exists."),
    "failed": gettext_lazy(
        "We could not enroll you automatically. Your payment is safe: please contact support with your order "
        "number."),
}

#: Enrollment states that are still moving: the receipt keeps refreshing while one of these holds.
LIVE_ENROLLMENT_STATES = frozenset({"enrolling", "retrying", "waiting"})


def status_text(status: OrderStatus | str) -> str:
    """The order status in words."""
    return str(_STATUS_TEXT.get(OrderStatus(status), status))


def enrollment_text(order: OrderData) -> str:
    """A sentence about the enrollment this order gives (``OrderData.enrollment_state``)."""
    if order.enrollment_state in _ENROLLMENT_TEXT:
        return str(_ENROLLMENT_TEXT[order.enrollment_state])
    if order.status == OrderStatus.PENDING:
        return _("You will be enrolled as soon as the payment is confirmed.")
    if order.status in (OrderStatus.REFUND_PENDING, OrderStatus.REFUNDED):
        return _("This order no longer gives access to the course.")
    return _("This order was not paid, so it gives no enrollment.")


def is_live(order: OrderData) -> bool:
    """Whether the page should keep refreshing: payment or enrollment still on its way."""
    if order.status == OrderStatus.PENDING:
        return True
    return order.status in (OrderStatus.PAID, OrderStatus.FULFILLED) and (
        order.enrollment_state in LIVE_ENROLLMENT_STATES)
