"""The refund state machine: one table of allowed moves, one audited function that makes them."""
from __future__ import annotations

from commerce_plugin.data import RefundStatus
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.models import Refund, RefundStatusChange
from commerce_plugin.statemachine import apply_transition

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
    return apply_transition(
        refund, RefundStatus(to_status), table=REFUND_TRANSITIONS, history=RefundStatusChange, link="refund",
        actor=actor, reason=reason, fields=fields,
        refuse=lambda row, current, target: InvalidRefundTransition(
            f"refund {row.uuid} cannot move from {current} to {target}"))
