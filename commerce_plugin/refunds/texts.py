"""What each refund reason says to a learner (translatable). Pages, the API and errors share it."""
from __future__ import annotations

from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from commerce_plugin.data import RefundDecision, RefundReason

__all__ = ["decision_text", "reason_text"]


def reason_text(reason: RefundReason | str) -> str:
    """One sentence for a reason code."""
    texts = {
        RefundReason.ELIGIBLE: _("Refundable."),
        RefundReason.ELIGIBLE_CERTIFICATE_UNVERIFIED: _(
            "Refundable (the LMS could not confirm whether a certificate was earned)."),
        RefundReason.WINDOW_CLOSED: _("Not refundable: the refund period has ended."),
        RefundReason.CERTIFICATE_EARNED: _("Not refundable: certificate earned."),
        RefundReason.CERTIFICATE_UNVERIFIABLE: _(
            "Refund needs a staff review: the LMS could not confirm whether a certificate was earned."),
        RefundReason.ALREADY_REQUESTED: _("A refund was already requested for this order."),
        RefundReason.ALREADY_REFUNDED: _("This order has already been refunded."),
        RefundReason.NOT_PAID: _("Not refundable: this order was not paid."),
        RefundReason.NOTHING_TO_REFUND: _("Not refundable: nothing was paid for this order."),
    }
    # Reasons recorded on refunds that did not come from the policy.
    recorded = {
        "staff_override": _("Refunded by our staff."),
        "stripe_dashboard": _("Refunded by our staff in Stripe."),
    }
    if str(reason) in recorded:
        return recorded[str(reason)]
    try:
        return texts[RefundReason(reason)]
    except ValueError:
        return str(reason)


def _date(value: datetime) -> str:
    return formats.date_format(value, "j F Y")


def decision_text(decision: RefundDecision) -> str:
    """The sentence a receipt shows: "Refundable until 12 March 2027", "Not refundable: ..."."""
    if decision.eligible and decision.refundable_until is not None:
        return _("Refundable until %(date)s.") % {"date": _date(decision.refundable_until)}
    if decision.reason == RefundReason.WINDOW_CLOSED and decision.refundable_until is not None:
        return _("Not refundable: the refund period ended on %(date)s.") % {"date": _date(decision.refundable_until)}
    return reason_text(decision.reason)
