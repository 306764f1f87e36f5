"""The refund state machine: one table of allowed moves, one audited function that makes them."""
from __future__ import annotations

from django.db import transaction

from commerce_plugin.data import RefundStatus
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.models import Refund, RefundStatusChange

__all__ = ["REFUND_TRANSITIONS", "InvalidRefundTransition", "transition_refund"]

R = RefundStatus

REFUND_TRANSITIONS: dict[RefundStatus, frozenset[RefundStatus]] = {
    R.REQUESTED: frozenset({R.APPROVED, R.REJECTED}),
    R.APPROVED: frozenset({R.SUCCEEDED, R.FAILED}),
    R.FAILED: frozenset({R.APPROVED}),  # staff send it again once the cause is fixed
    R.SUCCEEDED: frozenset(),
    R.REJECTED: frozenset(),
}


class InvalidRefundTransition(CommerceRequestError):
    """The refund cannot make this move from its current status."""


def transition_refund(refund: Refund, to_status: RefundStatus, *, actor: str, reason: str = "",
                      **fields: object) -> Refund:
    """Move a refund under its row lock, saving ``fields`` with it, and write the history row.

    Raises:
        InvalidRefundTransition: the table forbids the move from the refund's current status.
    """
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if RefundStatus(to_status) not in REFUND_TRANSITIONS[RefundStatus(locked.status)]:
            raise InvalidRefundTransition(f"refund {locked.uuid} cannot move from {locked.status} to {to_status}")
        from_status = locked.status
        locked.status = RefundStatus(to_status).value
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", *fields])
        RefundStatusChange.objects.create(refund=locked, from_status=from_status, to_status=locked.status,
                                          actor=actor, reason=reason[:500])
    refund.refresh_from_db()
    return locked
