"""What the learner reads about an order: its status in words, a sentence about the enrollment, its refunds.

One place for these strings, so the receipt, the JSON the receipt polls and "my orders" always
say the same thing (and translators see each sentence once).
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce_plugin.data import EnrollmentState, OrderData, OrderStatus, RefundData, RefundStatus
from commerce_plugin.money import format_money

__all__ = [
    "enrollment_text",
    "is_live",
    "refund_requested_message",
    "refund_text",
    "status_text",
]

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
    EnrollmentState.ENROLLED: gettext_lazy("You are enrolled."),
    EnrollmentState.ENROLLING: gettext_lazy("We are enrolling you in the course; this usually takes a few seconds."),
    EnrollmentState.RETRYING: gettext_lazy(
        "The course platform did not answer yet; we are trying again automatically. Your payment is safe."),
    EnrollmentState.WAITING: gettext_lazy("You will be enrolled as soon as an account with your email address exists."),
    EnrollmentState.FAILED: gettext_lazy(
        "We could not enroll you automatically. Your payment is safe: please contact support with your order "
        "number."),
}

#: Whole sentences per status (translators see each one), ``%(amount)s`` being "49.00 USD".
_REFUND_TEXT = {
    RefundStatus.REQUESTED: gettext_lazy("Refund of %(amount)s: waiting for review"),
    RefundStatus.APPROVED: gettext_lazy("Refund of %(amount)s: approved, on its way"),
    RefundStatus.SUCCEEDED: gettext_lazy("Refund of %(amount)s: completed"),
    RefundStatus.FAILED: gettext_lazy("Refund of %(amount)s: failed, our staff have been told"),
    RefundStatus.REJECTED: gettext_lazy("Refund of %(amount)s: rejected"),
}

_REFUND_REQUESTED = {
    RefundStatus.SUCCEEDED: gettext_lazy(
        "You have been refunded %(amount)s. Your bank may take a few days to show it."),
    RefundStatus.APPROVED: gettext_lazy("Your refund of %(amount)s is approved and on its way to your card."),
    RefundStatus.REQUESTED: gettext_lazy(
        "Your refund request was sent. Our staff will review it; you will see their decision here."),
    RefundStatus.FAILED: gettext_lazy(
        "Your refund could not be sent yet; our staff have been told and will sort it out."),
}

def status_text(status: OrderStatus | str) -> str:
    """The order status in words."""
    return str(_STATUS_TEXT.get(OrderStatus(status), status))


def enrollment_text(order: OrderData) -> str:
    """A sentence about the enrollment this order gives (``OrderData.enrollment_state``)."""
    if order.enrollment_state in _ENROLLMENT_TEXT:
        return str(_ENROLLMENT_TEXT[order.enrollment_state])
    if order.status == OrderStatus.PENDING:
        return _("You will be enrolled as soon as the payment is confirmed.")
    if order.status == OrderStatus.REFUNDED:
        return _("Your enrollment from this order has ended: the order was refunded, so it no longer gives "
                 "access to the course.")
    if order.status == OrderStatus.REFUND_PENDING:
        return _("A refund of this order is in progress; once it completes, the order no longer gives access "
                 "to the course.")
    return _("This order was not paid, so it gives no enrollment.")


def is_live(order: OrderData) -> bool:
    """Whether the page should keep refreshing: payment, enrollment or refund still on its way."""
    if order.status in (OrderStatus.PENDING, OrderStatus.REFUND_PENDING):
        return True
    return order.status in (OrderStatus.PAID, OrderStatus.FULFILLED) and (
        order.enrollment_state.in_progress)


def refund_text(refund: RefundData) -> str:
    """A refund and where it stands: "Refund of 49.00 USD: completed", "...: rejected: <staff note>"."""
    text = _REFUND_TEXT[RefundStatus(refund.status)] % {"amount": format_money(refund.amount, refund.currency)}
    if refund.status == RefundStatus.REJECTED and refund.note:
        return _("%(refund)s: %(note)s") % {"refund": text, "note": refund.note}
    return str(text)


def refund_requested_message(refund: RefundData) -> str:
    """What the learner is told right after asking for a refund, by where the request ended up."""
    message = _REFUND_REQUESTED.get(RefundStatus(refund.status), _REFUND_REQUESTED[RefundStatus.REQUESTED])
    return message % {"amount": format_money(refund.amount, refund.currency)}
