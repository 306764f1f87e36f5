"""Refund requests and decisions: learners ask, the policy or staff decide, Stripe is called after commit.

Every path that approves a refund locks the order row first and passes the payment ledger's cap
(:func:`commerce_plugin.payments.ledger.reserve_refund`, in :func:`_approve`): two requests at the
same moment (two tabs, two staff members, a webhook), or a failed refund approved again after
another one went through, cannot take the same money twice. The Stripe call itself happens in a
task (``refunds.processing``).
"""
from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from commerce_plugin.data import OrderStatus, RefundData, RefundReason, RefundStatus
from commerce_plugin.models import Order, Refund, RefundStatusChange
from commerce_plugin.orders.errors import NotFound
from commerce_plugin.orders.queries import parse_course_key, visible_order
from commerce_plugin.orders.service import cancel_order
from commerce_plugin.orders.states import InvalidTransition, transition
from commerce_plugin.payments.ledger import balance, reserve_refund
from commerce_plugin.refunds.errors import RefundAmountInvalid, RefundNotAllowed
from commerce_plugin.refunds.policy import PAID_STATUSES, REVIEWABLE, evaluate
from commerce_plugin.refunds.queries import refund_to_data
from commerce_plugin.refunds.states import REFUND_TRANSITIONS, InvalidRefundTransition, transition_refund
from commerce_plugin.scheduler import schedule_task

__all__ = [
    "REFUND_TASK",
    "cancel_course_sales",
    "decide_refund",
    "refund_after_unenrollment",
    "request_refund",
    "staff_refund",
]

log = logging.getLogger(__name__)

REFUND_TASK = "commerce_plugin.tasks.send_refund"


def _after(refund: Refund) -> RefundData:
    """The refund as the caller should see it: re-read, because the Stripe send queued at commit
    may already have moved it (eagerly, or in a fast worker)."""
    refund.refresh_from_db()
    return refund_to_data(refund)


def request_refund(order_number: str, *, user: AbstractBaseUser) -> RefundData:
    """The learner asks for a full refund; approved at once when the policy allows, else staff decide.

    Raises:
        NotFound: not the user's order. RefundNotAllowed: unpaid, already refunded or requested.
    """
    return _after(_request_refund(order_number, user=user))


def decide_refund(refund_uuid: str, *, staff: AbstractBaseUser, approve: bool, note: str = "") -> RefundData:
    """Staff approve or reject (with a note) a refund waiting for a decision, or re-send a failed one."""
    return _after(_decide_refund(refund_uuid, staff=staff, approve=approve, note=note))


def staff_refund(order_number: str, *, staff: AbstractBaseUser, reason: str, amount: int | None = None) -> RefundData:
    """Staff refund an order regardless of the policy (full, or partial up to what remains)."""
    return _after(_staff_refund(order_number, staff=staff, reason=reason, amount=amount))


def cancel_course_sales(course_key: str, *, staff: AbstractBaseUser, reason: str) -> dict[str, list[str]]:
    """Withdraw a course run from sale: cancel pending orders, refund paid ones (staff only)."""
    return _cancel_course_sales(parse_course_key(course_key), staff=staff, reason=reason)


def _create_refund(order: Order, *, amount: int, status: RefundStatus, source: str, reason: str, actor: str,
                   note: str = "", override: bool = False) -> Refund:
    """Create a refund on a locked order, move the order to ``refund_pending`` if it will be sent.

    Raises:
        RefundAmountInvalid: an approved refund above what is left to refund.
    """
    if status == RefundStatus.APPROVED:
        reserve_refund(order, amount)
    refund = Refund.objects.create(
        order=order, amount=amount, currency=order.currency, status=status.value, source=source, reason=reason,
        note=note, override=override, requested_by=actor, order_status_before=order.status,
        decided_by=actor if status == RefundStatus.APPROVED else "",
        decided_at=timezone.now() if status == RefundStatus.APPROVED else None)
    RefundStatusChange.objects.create(refund=refund, from_status="", to_status=refund.status, actor=actor,
                                      reason=note or reason)
    if status == RefundStatus.APPROVED:
        _send_later(order, refund, actor=actor)
    return refund


def _approve(order: Order, refund: Refund, *, actor: str, note: str) -> Refund:
    """Approve an existing refund (a waiting request, or a failed one sent again) within the cap.

    The order's row is locked by the caller; the refund is re-read under its own lock, and its
    state is checked before the amount, so approving a finished refund says "finished" (409).
    """
    refund = Refund.objects.select_for_update().get(pk=refund.pk)
    if RefundStatus.APPROVED not in REFUND_TRANSITIONS[RefundStatus(refund.status)]:
        raise InvalidRefundTransition(f"refund {refund.uuid} cannot move from {refund.status} to approved")
    reserve_refund(order, refund.amount, refund=refund)
    refund = transition_refund(refund, RefundStatus.APPROVED, actor=actor, reason=note or "approved by staff",
                               note=note, decided_by=actor, decided_at=timezone.now(), attempts=0,
                               next_attempt_at=None, last_error="")
    _send_later(order, refund, actor=actor)
    return refund


def _send_later(order: Order, refund: Refund, *, actor: str) -> None:
    """Queue an approved refund for Stripe after commit; the order waits in ``refund_pending``."""
    if order.status in PAID_STATUSES:
        refund.order_status_before = order.status
        refund.save(update_fields=["order_status_before"])
        transition(order, OrderStatus.REFUND_PENDING, actor=actor, reason=f"refund of {refund.amount} approved")
    schedule_task(REFUND_TASK, [refund.pk])


def _request_refund(order_number: str, *, user: AbstractBaseUser) -> Refund:
    """The learner asks for their money back (a full refund of what remains).

    Eligible requests are approved at once and sent to Stripe after commit; the others wait for
    a staff decision, keeping the policy's reason.

    Raises:
        NotFound: not the user's order.
        RefundNotAllowed: unpaid, already refunded, or already requested (one learner refund per order).
    """
    order = visible_order(order_number, user)
    if order.user_id != user.pk:
        raise NotFound(f"No order {order_number}.")  # staff use staff_refund for others' orders
    decision = evaluate(order)  # asks the LMS: outside the transaction
    if not decision.eligible and decision.reason not in REVIEWABLE:
        raise RefundNotAllowed(_message(decision.reason), decision.reason)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.refunds.filter(source="learner").exists():
            raise RefundNotAllowed(_message(RefundReason.ALREADY_REQUESTED), RefundReason.ALREADY_REQUESTED)
        if locked.status not in PAID_STATUSES:
            reason = RefundReason.ALREADY_REQUESTED if locked.status == OrderStatus.REFUND_PENDING.value \
                else RefundReason.NOT_PAID
            raise RefundNotAllowed(_message(reason), reason)
        amount = balance(locked).left_to_refund
        if amount <= 0:
            raise RefundNotAllowed(_message(RefundReason.ALREADY_REFUNDED), RefundReason.ALREADY_REFUNDED)
        status = RefundStatus.APPROVED if decision.eligible else RefundStatus.REQUESTED
        return _create_refund(locked, amount=amount, status=status, source="learner",
                              reason=decision.reason.value, actor=f"user:{user.pk}")


def _decide_refund(refund_uuid: str, *, staff: AbstractBaseUser, approve: bool, note: str) -> Refund:
    """Staff approve (sent to Stripe after commit) or reject (with a note) a waiting request.

    Raises:
        NotFound: unknown refund. RefundAmountInvalid: the order no longer has that much to refund.
        InvalidRefundTransition: the refund is not waiting for a decision.
        CommerceRequestError: rejecting without a note.
    """
    from commerce_plugin.errors import CommerceRequestError

    if not approve and not note.strip():
        raise CommerceRequestError("Say why the refund is rejected: the learner sees the note.")
    actor = f"staff:{staff.pk}"
    with transaction.atomic():
        refund = Refund.objects.select_related("order").filter(uuid=refund_uuid).first()
        if refund is None:
            raise NotFound(f"No refund {refund_uuid}.")
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        if not approve:
            return transition_refund(refund, RefundStatus.REJECTED, actor=actor, reason=note, note=note,
                                     decided_by=actor, decided_at=timezone.now())
        return _approve(order, refund, actor=actor, note=note)


def _staff_refund(order_number: str, *, staff: AbstractBaseUser, reason: str, amount: int | None = None,
                 source: str = "staff") -> Refund:
    """Refund an order regardless of the policy (an audited override); partial amounts allowed.

    Raises:
        NotFound: unknown order. CommerceRequestError: no reason given.
        RefundAmountInvalid: amount not positive or above what remains refundable (checked under
            the order's row lock).
        RefundNotAllowed: the order was never paid.
    """
    from commerce_plugin.errors import CommerceRequestError

    if not reason.strip():
        raise CommerceRequestError("A staff refund needs a reason: it is kept in the order's history.")
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(number=order_number).first()
        if order is None:
            raise NotFound(f"No order {order_number}.")
        if not OrderStatus(order.status).staff_refundable:
            raise RefundNotAllowed(_message(RefundReason.NOT_PAID), RefundReason.NOT_PAID)
        amount = balance(order).left_to_refund if amount is None else amount
        return _create_refund(order, amount=amount, status=RefundStatus.APPROVED, source=source,
                              reason="staff_override", actor=f"staff:{staff.pk}", note=reason, override=True)


def _cancel_course_sales(course_key: object, *, staff: AbstractBaseUser, reason: str) -> dict[str, list[str]]:
    """The "course removed" cascade: stop selling a course run and give everyone their money back.

    All or nothing for what is ours: the products are withdrawn and every paid order gets its full
    staff refund in one transaction, so a failure leaves the run on sale with nothing refunded
    (the refunds reach Stripe only after that commit). Pending orders are canceled afterwards,
    one by one, because closing their Stripe pages is a remote call; one found paid meanwhile is
    refunded like the others. Returns the order numbers by outcome.

    Raises:
        CommerceRequestError: no reason given (nothing is changed).
    """
    from commerce_plugin.errors import CommerceRequestError
    from commerce_plugin.models import Product

    if not reason.strip():
        raise CommerceRequestError("Say why the course run is withdrawn: the reason is kept on every refund.")
    outcome: dict[str, list[str]] = {"canceled": [], "refunded": [], "skipped": []}
    refundable = (*PAID_STATUSES, OrderStatus.REFUND_PENDING.value)
    with transaction.atomic():
        Product.objects.filter(course_key=course_key).update(is_active=False, modified=timezone.now())
        for number in Order.objects.filter(course_key=course_key, status__in=refundable).order_by(
                "created").values_list("number", flat=True):
            _refund_for_withdrawal(number, staff=staff, reason=reason, outcome=outcome)
    pending = Order.objects.filter(course_key=course_key, status=OrderStatus.PENDING.value).order_by("created")
    for number in pending.values_list("number", flat=True):
        try:
            cancel_order(number, user=staff)
            outcome["canceled"].append(number)
        except InvalidTransition as exc:
            if exc.from_status in refundable:
                _refund_for_withdrawal(number, staff=staff, reason=reason, outcome=outcome)
            else:
                outcome["skipped"].append(number)
    return outcome


def _refund_for_withdrawal(number: str, *, staff: AbstractBaseUser, reason: str,
                           outcome: dict[str, list[str]]) -> None:
    """One paid order of a withdrawn run: refunded in full, or skipped when nothing is left."""
    try:
        _staff_refund(number, staff=staff, reason=reason, source="course_removed")
    except (RefundAmountInvalid, RefundNotAllowed) as exc:
        log.info("course_removed order=%s outcome=skipped reason=%s", number, type(exc).__name__)
        outcome["skipped"].append(number)
    else:
        outcome["refunded"].append(number)


def refund_after_unenrollment(email: str, course_key: object) -> list[str]:
    """``COMMERCE_AUTO_REFUND_ON_UNENROLL``: the learner left a run they bought; refund if the policy allows.

    Only orders whose refund the policy grants are refunded; others are left as they are.
    """
    refunded = []
    for order in Order.objects.select_related("product", "user").filter(
            email__iexact=email, course_key=course_key, status__in=PAID_STATUSES):
        decision = evaluate(order)
        if not decision.eligible:
            continue
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            amount = balance(locked).left_to_refund
            if locked.status not in PAID_STATUSES or amount <= 0 or locked.refunds.exists():
                continue
            _create_refund(locked, amount=amount, status=RefundStatus.APPROVED, source="auto_unenroll",
                           reason=decision.reason.value, actor="lms")
        refunded.append(order.number)
    return refunded


def _message(reason: RefundReason) -> str:
    from commerce_plugin.refunds.texts import reason_text

    return reason_text(reason)
