"""Sending approved refunds to Stripe, and applying what Stripe says about refunds, exactly once.

Sending (``send_refund``, a task, also run by the sweep):

1. claim the refund's lease (one worker at a time; no transaction open during the Stripe call);
2. count the attempt *before* calling Stripe, so that a retry after a lost answer or a killed
   worker knows a refund may already exist;
3. on a retry, look for a Stripe refund carrying our ``refund_uuid`` and adopt it; otherwise
   create one with the idempotency key ``refund-<uuid>``. Real Stripe would also catch the
   duplicate by its key; the localstripe stand-in ignores keys, so the look-up is what the tests
   prove;
4. transient failure: retry with backoff; permanent: the refund fails visibly and the order goes
   back to where it was.

Applying (``apply_refund_info``, used by the sender and by the ``charge.refunded`` /
``refund.updated`` / ``refund.failed`` webhooks): under the order's row lock, a succeeded Stripe
refund is written once as a negative ledger row (unique Stripe id), its refund record is
completed (or created, for a refund made in the Stripe dashboard), and when nothing remains paid
the order is ``refunded`` and its grant revoked; the sync then unenrolls only if no other grant
covers the course run.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from commerce_plugin.adapters.stripe_gateway import (
    PaymentGatewayRejected,
    PaymentGatewayUnavailable,
    RefundInfo,
    StripeGateway,
)
from commerce_plugin.data import GrantSource, OrderStatus, RefundStatus
from commerce_plugin.grants.ledger import revoke_grants
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.grants.sync import backoff_delay
from commerce_plugin.models import Order, Refund, RefundStatusChange
from commerce_plugin.orders.states import can_transition, transition
from commerce_plugin.payments.ledger import balance, first_payment, payment_by_stripe_id, record_refund
from commerce_plugin.refunds.policy import PAID_STATUSES
from commerce_plugin.refunds.states import transition_refund

__all__ = ["apply_refund_info", "apply_stripe_refunds_of", "due_refunds", "send_refund"]

log = logging.getLogger(__name__)


def _claim(refund_id: int, now: datetime) -> bool:
    return bool(Refund.objects.filter(pk=refund_id, status=RefundStatus.APPROVED.value).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(lease_until=now + timedelta(minutes=5)))


def send_refund(refund_id: int, *, now: datetime | None = None) -> str:
    """Send one approved refund to Stripe (see the module docstring); returns its status after."""
    now = now or timezone.now()
    if not _claim(refund_id, now):
        return Refund.objects.get(pk=refund_id).status
    try:
        refund = Refund.objects.select_related("order").get(pk=refund_id)
        payment = first_payment(refund.order)
        if payment is None:
            transition_refund(refund, RefundStatus.FAILED, actor="system", reason="the order has no payment to refund",
                              last_error="no payment recorded for this order")
            _restore_order(refund.order_id, actor="system")
            return RefundStatus.FAILED.value
        gateway = StripeGateway.from_settings()
        retry = refund.attempts > 0
        Refund.objects.filter(pk=refund.pk).update(attempts=refund.attempts + 1)  # before the call
        try:
            info = None
            if refund.stripe_refund_id:
                info = gateway.retrieve_refund(refund.stripe_refund_id)
            elif retry:
                info = next((item for item in gateway.list_refunds(payment.stripe_id)
                             if item.metadata.get("refund_uuid") == str(refund.uuid)), None)
            if info is None:
                info = gateway.create_refund(
                    payment_intent_id=payment.stripe_id, amount=refund.amount,
                    metadata={"refund_uuid": str(refund.uuid), "order_number": refund.order.number},
                    idempotency_key=f"refund-{refund.uuid}")
        except PaymentGatewayUnavailable as exc:
            attempts = refund.attempts + 1
            Refund.objects.filter(pk=refund.pk).update(
                last_error=str(exc)[:2000], next_attempt_at=now + backoff_delay(attempts))
            log.warning("refund refund=%s outcome=transient attempts=%s", refund.uuid, attempts)
            return RefundStatus.APPROVED.value
        except PaymentGatewayRejected as exc:
            transition_refund(refund, RefundStatus.FAILED, actor="stripe", reason=f"Stripe refused: {exc.detail}",
                              last_error=str(exc)[:2000], next_attempt_at=None)
            _restore_order(refund.order_id, actor="stripe")
            log.error("refund refund=%s outcome=permanent code=%s", refund.uuid, exc.code)
            return RefundStatus.FAILED.value
        return apply_refund_info(info, refund=refund, actor="stripe", now=now)
    finally:
        Refund.objects.filter(pk=refund_id).update(lease_until=None)


def apply_refund_info(info: RefundInfo, *, refund: Refund | None = None, order: Order | None = None,
                      actor: str = "stripe", now: datetime | None = None) -> str:
    """Bring our records in line with one Stripe refund; returns our refund's status ("" if none).

    ``refund`` is ours when known; otherwise it is found by Stripe id or by our metadata, and a
    succeeded refund that is none of ours (the Stripe dashboard) gets a record of its own.
    """
    now = now or timezone.now()
    if refund is None:
        refund = (Refund.objects.filter(stripe_refund_id=info.id).first()
                  or Refund.objects.filter(uuid=info.metadata.get("refund_uuid") or None).first())
    if order is None:
        order = refund.order if refund is not None else None
    if order is None:
        log.warning("refund stripe_refund=%s outcome=unknown_order", info.id)
        return ""
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if refund is None:
                refund = Refund.objects.filter(stripe_refund_id=info.id).first()
            if refund is None:
                if info.status != "succeeded":
                    return ""  # a dashboard refund not (yet) through: its next event settles it
                refund = _dashboard_refund(locked, info, actor=actor)
            else:
                refund = Refund.objects.select_for_update().get(pk=refund.pk)
            if refund.stripe_refund_id != info.id:
                refund.stripe_refund_id = info.id
                refund.save(update_fields=["stripe_refund_id"])
            if info.status == "succeeded":
                _complete(locked, refund, info, actor=actor, now=now)
            elif info.status in ("failed", "canceled") and refund.status == RefundStatus.APPROVED.value:
                transition_refund(refund, RefundStatus.FAILED, actor=actor,
                                  reason=f"Stripe refund {info.status}: {info.failure_reason or 'no reason given'}",
                                  last_error=f"Stripe refund {info.status} {info.failure_reason}".strip())
                _restore_order(locked.pk, actor=actor)
            elif refund.status == RefundStatus.APPROVED.value:
                # pending at Stripe: the refund.updated webhook, or the sweep, settles it later
                Refund.objects.filter(pk=refund.pk).update(next_attempt_at=now + backoff_delay(1))
    except IntegrityError:
        log.info("refund stripe_refund=%s outcome=already_recorded", info.id)
    return Refund.objects.filter(stripe_refund_id=info.id).values_list("status", flat=True).first() or ""


def _dashboard_refund(order: Order, info: RefundInfo, *, actor: str) -> Refund:
    """A refund someone made in the Stripe dashboard: recorded as an approved staff override."""
    refund = Refund.objects.create(
        order=order, amount=info.amount, currency=order.currency, status=RefundStatus.APPROVED.value,
        source="dashboard", reason="stripe_dashboard", note="refunded in the Stripe dashboard", override=True,
        requested_by=actor, decided_by=actor, decided_at=timezone.now(), stripe_refund_id=info.id,
        order_status_before=order.status)
    RefundStatusChange.objects.create(refund=refund, from_status="", to_status=refund.status, actor=actor,
                                      reason="refund made in the Stripe dashboard")
    if can_transition(order.status, OrderStatus.REFUND_PENDING):
        transition(order, OrderStatus.REFUND_PENDING, actor=actor, reason="refund made in the Stripe dashboard")
    return refund


def _complete(order: Order, refund: Refund, info: RefundInfo, *, actor: str, now: datetime) -> None:
    """Record the money movement once, complete the refund, settle the order (lock held by caller)."""
    record_refund(order, amount=info.amount, stripe_id=info.id)
    if refund.status == RefundStatus.APPROVED.value:
        transition_refund(refund, RefundStatus.SUCCEEDED, actor=actor, reason=f"Stripe refund {info.id} succeeded",
                          completed_at=now, last_error="", next_attempt_at=None)
    money = balance(order)
    if money.fully_refunded:
        if order.status in PAID_STATUSES:
            transition(order, OrderStatus.REFUND_PENDING, actor=actor, reason="refund completed at Stripe")
        if order.status == OrderStatus.REFUND_PENDING.value:
            transition(order, OrderStatus.REFUNDED, actor=actor, reason=f"refunded in full ({money.refunded})")
        syncs = revoke_grants(source=GrantSource.ORDER, source_ref=str(order.uuid), reason="order refunded")
        schedule_sync([sync.pk for sync in syncs])
    else:
        _restore_order(order.pk, actor=actor)


def _restore_order(order_id: int, *, actor: str) -> None:
    """A partial, failed or rejected refund: the order leaves ``refund_pending`` once nothing is in flight."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.status != OrderStatus.REFUND_PENDING.value:
            return
        if order.refunds.filter(status=RefundStatus.APPROVED.value).exists():
            return
        before = (order.refunds.filter(order_status_before__in=PAID_STATUSES)
                  .order_by("-created").values_list("order_status_before", flat=True).first())
        transition(order, OrderStatus(before or OrderStatus.PAID.value), actor=actor,
                   reason="no refund in progress any more")


def apply_stripe_refunds_of(payment_intent_id: str, *, actor: str = "stripe") -> list[str]:
    """Apply every refund Stripe holds for a PaymentIntent (``charge.refunded`` and dashboard refunds)."""
    payment = payment_by_stripe_id(payment_intent_id)
    if payment is None:
        log.warning("refund payment_intent=%s outcome=unknown_payment", payment_intent_id)
        return []
    return [apply_refund_info(info, order=payment.order, actor=actor)
            for info in StripeGateway.from_settings().list_refunds(payment_intent_id)]


def due_refunds(now: datetime | None = None) -> list[int]:
    """Approved refunds to (re)send now: never tried, or their backoff has passed."""
    now = now or timezone.now()
    return list(Refund.objects.filter(status=RefundStatus.APPROVED.value).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).values_list("pk", flat=True)[:500])
