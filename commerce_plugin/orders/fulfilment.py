"""Applying what Stripe says about a Checkout Session to our order, once, whatever the delivery.

``fulfil_checkout_session`` is the one fulfilment function: the webhook handlers, the receipt
page and the expiry job all call it. It re-fetches the session from Stripe (events are
notifications; their payload may be stale or out of order) and applies it under the order's row
lock. The payment row's unique Stripe id and the state table make a second application a no-op.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from commerce_plugin.adapters.stripe_gateway import CheckoutSessionInfo, StripeGateway
from commerce_plugin.data import GrantSource, OrderStatus, SyncState
from commerce_plugin.grants.ledger import add_grant
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.models import EnrollmentSync, Grant, Order, OrderStatusChange
from commerce_plugin.orders.states import can_transition, transition
from commerce_plugin.payments.ledger import first_payment, record_payment

__all__ = [
    "apply_checkout_session",
    "fulfil_checkout_session",
    "grant_paid_order",
    "mark_fulfilled_for_sync",
    "record_payment_failure",
]

log = logging.getLogger(__name__)


def _order_query(session: CheckoutSessionInfo) -> QuerySet[Order]:
    order_uuid = session.metadata.get("order_uuid")
    return Order.objects.filter(uuid=order_uuid) if order_uuid else Order.objects.filter(stripe_session_id=session.id)


def fulfil_checkout_session(session_id: str, *, actor: str, order_number: str | None = None) -> Order | None:
    """Re-fetch a Checkout Session from Stripe and apply it (see :func:`apply_checkout_session`).

    With ``order_number`` (the receipt page), a session that belongs to another order is ignored
    and ``None`` returned: a learner cannot make the page apply someone else's session.
    """
    session = StripeGateway.from_settings().retrieve_checkout_session(session_id)
    if order_number is not None and session.metadata.get("order_number") != order_number:
        return None
    return apply_checkout_session(session, actor=actor)


def apply_checkout_session(session: CheckoutSessionInfo, *, actor: str) -> Order | None:
    """Bring our order in line with the session's current state; returns the order (None if unknown).

    - paid: record the payment (once), move the order to ``paid``, grant the course run, queue the
      LMS sync after commit. A payment that completes after the hold expired or after the learner
      canceled is honoured (the money arrived; the learner gets the course) and says so in history.
    - expired: the pending order expires and frees its seat.
    - complete but unpaid with a failed payment: the order fails with Stripe's reason.
    - open with a declined attempt: the order stays pending (the learner may try another card) and
      keeps the decline reason.
    """
    if session.payment_status == "paid":
        return _apply_paid(session, actor=actor)
    if session.status not in ("expired", "complete") and not session.payment_error_code:
        return _order_query(session).first()  # still open, nothing to record: no lock needed
    with transaction.atomic():
        # One read, under the lock: every branch below decides on the order's current status.
        order = _order_query(session).select_for_update().first()
        if order is None:
            log.warning("checkout_session session=%s outcome=unknown_order", session.id)
            return None
        if session.status == "expired":
            if order.status == OrderStatus.PENDING.value:
                transition(order, OrderStatus.EXPIRED, actor=actor, reason="Stripe Checkout Session expired",
                           locked=True)
        elif session.status == "complete":  # delayed payment method that finally failed
            if order.status == OrderStatus.PENDING.value:
                reason = session.payment_error_message or "the payment did not go through"
                transition(order, OrderStatus.FAILED, actor=actor, reason=f"payment failed: {reason}",
                           failure_reason=reason[:255], locked=True)
        elif session.payment_error_code:
            _record_failure_locked(order, session.payment_error_code, session.payment_error_message)
    return order


def _apply_paid(session: CheckoutSessionInfo, *, actor: str) -> Order | None:
    """Pay, move and grant in one transaction on the order read once under its lock."""
    stripe_id = session.payment_intent_id or session.id
    try:
        with transaction.atomic():
            locked = _order_query(session).select_for_update().first()
            if locked is None:
                log.warning("checkout_session session=%s outcome=unknown_order", session.id)
                return None
            if first_payment(locked) is not None:
                return locked  # already applied: a duplicate, replayed or concurrent delivery
            if session.amount_total != locked.amount or session.currency != locked.currency:
                # Never grant what was not paid in full; staff see the mismatch on the order.
                log.error("checkout_session order=%s outcome=amount_mismatch", locked.number)
                locked.failure_reason = "paid amount differs from the order amount; see Stripe"
                locked.save(update_fields=["failure_reason", "modified"])
                return locked
            record_payment(locked, stripe_id=stripe_id, known_unpaid=True)
            reason = "payment confirmed by Stripe"
            if locked.status in (OrderStatus.EXPIRED.value, OrderStatus.CANCELED.value, OrderStatus.FAILED.value):
                reason = f"payment completed after the order was {locked.status}: honoured"
            if can_transition(locked.status, OrderStatus.PAID):
                transition(locked, OrderStatus.PAID, actor=actor, reason=reason, paid_at=timezone.now(),
                           failure_reason="", locked=True)
            grant_paid_order(locked)
    except IntegrityError:
        return _order_query(session).first()  # a concurrent worker recorded this payment first
    return locked


def grant_paid_order(order: Order) -> None:
    """Grant the order's course run to its buyer and queue the LMS sync (inside the paying transaction)."""
    _grant, sync, _created = add_grant(
        email=order.email, user_id=order.user_id, course_key=order.course_key, mode=order.mode,
        source=GrantSource.ORDER, source_ref=str(order.uuid))
    schedule_sync([sync.pk])


def record_payment_failure(order: Order, code: str, message: str) -> None:
    """Remember why the last payment attempt of a pending order failed; the order stays pending."""
    with transaction.atomic():
        _record_failure_locked(Order.objects.select_for_update().get(pk=order.pk), code, message)


def _record_failure_locked(locked: Order, code: str, message: str) -> None:
    reason = (message or code or "payment declined")[:255]
    if locked.status != OrderStatus.PENDING.value or locked.failure_reason == reason:
        return
    locked.failure_reason = reason
    locked.save(update_fields=["failure_reason", "modified"])
    OrderStatusChange.objects.create(order=locked, from_status=locked.status, to_status=locked.status,
                                     actor="stripe", reason=f"payment attempt declined: {reason}")


def mark_fulfilled_for_sync(sync_id: int) -> list[str]:
    """After a sync: paid orders whose course run the LMS now holds become ``fulfilled``."""
    sync = EnrollmentSync.objects.get(pk=sync_id)
    if sync.state != SyncState.IN_SYNC.value or not sync.lms_active:
        return []
    # A list, not a subquery: ``source_ref`` is text and ``Order.uuid`` a UUID column, which
    # SQLite stores without dashes, so only Python compares them reliably.
    order_uuids = list(Grant.objects.filter(
        email=sync.email, course_key=sync.course_key, source="order", revoked_at__isnull=True,
    ).values_list("source_ref", flat=True))
    done: list[str] = []
    if not order_uuids:
        return done
    with transaction.atomic():  # one locked read of the paid orders, then each move on that row
        for order in Order.objects.select_for_update().filter(uuid__in=order_uuids, status=OrderStatus.PAID.value):
            transition(order, OrderStatus.FULFILLED, actor="system",
                       reason=f"enrolled in the LMS ({sync.lms_mode})", locked=True)
            done.append(order.number)
    return done


def sync_and_settle(sync_id: int, *, now: datetime | None = None) -> str:
    """Run one pair's LMS sync, then mark the paid orders it satisfied as fulfilled.

    Returns the record's state. This is what the Celery task, the sweep and "retry now" run.
    """
    from commerce_plugin.grants.sync import run_sync

    outcome = run_sync(sync_id, now=now)
    if not outcome.skipped:
        mark_fulfilled_for_sync(sync_id)
    return outcome.state.value
