"""The order state machine: one table of allowed moves, one function that makes them.

Nothing else assigns ``Order.status``. ``transition`` locks the order row, checks the move
against :data:`TRANSITIONS`, saves the new status and writes an ``OrderStatusChange`` row, all in
one transaction; an illegal move raises :class:`InvalidTransition` and changes nothing.
"""
from __future__ import annotations

from commerce_plugin.data import OrderStatus
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.models import Order, OrderStatusChange
from commerce_plugin.statemachine import apply_transition

__all__ = ["TRANSITIONS", "InvalidTransition", "can_transition", "transition"]

S = OrderStatus

#: from status -> the statuses it may move to (design.md section 4).
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.PAID, S.EXPIRED, S.CANCELED, S.FAILED}),
    S.PAID: frozenset({S.FULFILLED, S.REFUND_PENDING}),
    S.FULFILLED: frozenset({S.REFUND_PENDING}),
    S.REFUND_PENDING: frozenset({S.REFUNDED, S.PAID, S.FULFILLED}),
    # A payment Stripe completed after we closed the order (a learner who paid at the last
    # second, a failed attempt retried on Stripe's page) is honoured: the order moves to paid.
    S.EXPIRED: frozenset({S.PAID}),
    S.CANCELED: frozenset({S.PAID}),
    S.FAILED: frozenset({S.PAID}),
    S.REFUNDED: frozenset(),
}


class InvalidTransition(CommerceRequestError):
    """The order cannot make this move from its current status."""

    def __init__(self, order_number: str, from_status: str, to_status: str) -> None:
        self.order_number = order_number
        self.from_status = from_status
        self.to_status = to_status
        super().__init__(f"order {order_number} cannot move from {from_status} to {to_status}")


def can_transition(from_status: OrderStatus | str, to_status: OrderStatus | str) -> bool:
    """Whether the table allows the move."""
    return OrderStatus(to_status) in TRANSITIONS[OrderStatus(from_status)]


def transition(order: Order, to_status: OrderStatus, *, actor: str, reason: str = "", locked: bool = False,
               **fields: object) -> Order:
    """Move ``order`` to ``to_status`` under a row lock and record who and why.

    ``fields`` are saved together with the status (e.g. ``paid_at``), in the same transaction.
    Returns the locked, updated order (the caller's instance gets the same values). ``locked``:
    the caller already holds the row's lock in its transaction, so it is not read again.

    Raises:
        InvalidTransition: the table does not allow the move from the order's *current* status
            (read under the lock, so two workers cannot both make a move).
    """
    return apply_transition(
        order, OrderStatus(to_status), table=TRANSITIONS, history=OrderStatusChange, link="order", actor=actor,
        reason=reason, fields=fields, locked=locked,
        refuse=lambda row, current, target: InvalidTransition(row.number, current, target))
