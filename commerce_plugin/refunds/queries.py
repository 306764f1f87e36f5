"""Reading refunds as :mod:`commerce_plugin.data` objects (reads only: the commands are in
:mod:`commerce_plugin.refunds.service`)."""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from commerce_plugin.data import RefundData, RefundDecision, RefundStatus
from commerce_plugin.errors import CommerceRequestError
from commerce_plugin.models import Order, Refund
from commerce_plugin.orders.queries import parse_course_key, visible_order
from commerce_plugin.refunds.policy import evaluate

__all__ = [
    "refund_decision",
    "refund_to_data",
    "refunds_by_order",
    "refunds_for",
    "refunds_of",
]


def refund_to_data(refund: Refund) -> RefundData:
    """The public view of a refund."""
    return RefundData(
        uuid=refund.uuid, order_number=refund.order.number, amount=refund.amount, currency=refund.currency,
        status=RefundStatus(refund.status), source=refund.source, reason=refund.reason, note=refund.note,
        override=refund.override, created=refund.created, completed_at=refund.completed_at,
        last_error=refund.last_error if refund.status == RefundStatus.FAILED.value else "",
    )


def refund_decision(order_number: str, *, user: AbstractBaseUser) -> RefundDecision:
    """What the refund policy says about the order now (see ``refunds.policy``), for pages and the API.

    Only shown, not acted on: a recent certificate answer from the LMS may be reused (a request
    for a refund asks the LMS afresh).

    Raises:
        NotFound: not an order the user may see.
    """
    return evaluate(visible_order(order_number, user), cached_certificate=True)


def refunds_of(order_number: str, *, user: AbstractBaseUser) -> list[RefundData]:
    """The refunds of an order the user may see, newest first.

    Raises:
        NotFound: not an order the user may see.
    """
    order = visible_order(order_number, user)
    return [refund_to_data(refund) for refund in order.refunds.select_related("order").order_by("-created")]


def refunds_by_order(orders: Iterable[Order]) -> dict[str, list[RefundData]]:
    """The refunds of a page of orders the caller already may see, newest first, keyed by order number.

    One query for the whole page (a list page must not ask once per row); orders without refunds
    map to an empty list.
    """
    orders = list(orders)
    found: dict[str, list[RefundData]] = {order.number: [] for order in orders}
    refunds = Refund.objects.filter(order__in=orders).select_related("order").order_by("-created", "-id")
    for refund in refunds:
        found[refund.order.number].append(refund_to_data(refund))
    return found


def refunds_for(user: AbstractBaseUser, *, status: str | None = None, course_key: str | None = None,
                order_number: str | None = None) -> QuerySet[Refund]:
    """Refunds the user may see, newest first: all for staff, those of their own orders otherwise.

    A queryset so the REST edge can paginate in the database; map each page with
    :func:`refund_to_data`.

    Raises:
        CommerceRequestError: an unknown status or a malformed course key.
    """
    refunds = Refund.objects.select_related("order")
    if not user.is_staff:
        refunds = refunds.filter(order__user=user)
    if status:
        if status not in {choice.value for choice in RefundStatus}:
            raise CommerceRequestError(
                f"Unknown status {status!r}; use one of: {', '.join(choice.value for choice in RefundStatus)}.")
        refunds = refunds.filter(status=status)
    if course_key:
        refunds = refunds.filter(order__course_key=parse_course_key(course_key))
    if order_number:
        refunds = refunds.filter(order__number=order_number)
    return refunds.order_by("-created", "-id")
