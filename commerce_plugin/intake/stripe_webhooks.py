"""Stripe webhook intake: verify, store, then apply through a dispatch table of small handlers.

1. Verify the signature on the raw body (``InvalidWebhook`` -> the edge answers 400; nothing is
   written).
2. Store the event under its unique Stripe id. A delivery whose event was already processed is a
   duplicate: nothing more happens. One stored but not processed (a concurrent delivery, or an
   earlier run that failed) is applied again, which is safe: every handler is idempotent.
3. Apply: each handler takes the object id, re-fetches the object from Stripe and acts on its
   current state under a row lock (``orders.fulfilment``). Unknown types are stored and ignored.

A handler failure is recorded on the event (``error``) and re-raised, so the edge answers 500 and
Stripe delivers again later.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce_plugin.adapters.stripe_gateway import MalformedWebhook, StripeGateway, WebhookEvent
from commerce_plugin.models import Order, StripeEvent
from commerce_plugin.orders.fulfilment import fulfil_checkout_session, record_payment_failure
from commerce_plugin.payments.ledger import order_id_paid_by
from commerce_plugin.refunds.processing import apply_refund_info, apply_stripe_refunds_of

__all__ = ["HANDLERS", "WebhookOutcome", "receive_webhook"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookOutcome:
    """What happened to a delivery: ``processed``, ``duplicate`` or ``ignored`` (unknown type)."""

    event_id: str
    event_type: str
    result: str


def _checkout_session(event: WebhookEvent) -> None:
    fulfil_checkout_session(event.object_id, actor="stripe")


def _payment_failed(event: WebhookEvent) -> None:
    metadata, code, message = StripeGateway.from_settings().retrieve_payment_intent_metadata(event.object_id)
    order = Order.objects.filter(uuid=metadata.get("order_uuid")).first() if metadata.get("order_uuid") else None
    if order is not None and (code or message):
        record_payment_failure(order, code, message)


def _charge_refunded(event: WebhookEvent) -> None:
    payment_intent = StripeGateway.from_settings().payment_intent_of_charge(event.object_id)
    if payment_intent:
        apply_stripe_refunds_of(payment_intent)


def _refund_changed(event: WebhookEvent) -> None:
    gateway = StripeGateway.from_settings()
    info = gateway.retrieve_refund(event.object_id)
    payment_intent = info.payment_intent_id or (
        gateway.payment_intent_of_charge(info.charge_id) if info.charge_id else None)
    if payment_intent:
        apply_stripe_refunds_of(payment_intent)
    else:
        apply_refund_info(info)


#: Stripe event type -> handler. A new event is one function and one entry here.
HANDLERS: dict[str, Callable[[WebhookEvent], None]] = {
    "checkout.session.completed": _checkout_session,
    "checkout.session.async_payment_succeeded": _checkout_session,
    "checkout.session.async_payment_failed": _checkout_session,
    "checkout.session.expired": _checkout_session,
    "payment_intent.payment_failed": _payment_failed,
    "charge.refunded": _charge_refunded,
    "refund.created": _refund_changed,
    "refund.updated": _refund_changed,
    "refund.failed": _refund_changed,
}


def _order_id_for(event: WebhookEvent) -> int | None:
    """The order an event is about, when its payload says so (for the admin's event list)."""
    order_uuid = event.metadata.get("order_uuid")
    if order_uuid:
        return Order.objects.filter(uuid=order_uuid).values_list("pk", flat=True).first()
    order_number = event.metadata.get("order_number")
    if order_number:
        return Order.objects.filter(number=order_number).values_list("pk", flat=True).first()
    intent = event.payload.get("data", {}).get("object", {}).get("payment_intent")
    if isinstance(intent, str):
        return order_id_paid_by(intent)
    return None


REJECTED_TYPE = "rejected"


def _record_rejected(payload: bytes, exc: MalformedWebhook) -> None:
    """Keep a trace of a signed delivery we could not read (once per distinct body)."""
    StripeEvent.objects.get_or_create(
        stripe_event_id=f"{REJECTED_TYPE}:{exc.digest}",
        defaults={"type": REJECTED_TYPE, "payload": {"reason": str(exc), "body_sha256": exc.digest,
                                                     "body_start": payload[:2000].decode("utf-8", "replace")},
                  "processed_at": timezone.now(), "error": str(exc)})
    log.warning("stripe_webhook outcome=rejected reason=%s", exc)


def receive_webhook(payload: bytes, signature_header: str | None) -> WebhookOutcome:
    """Verify, store and apply one delivery (see the module docstring).

    Raises:
        InvalidWebhook: not a verified Stripe event (answer 400). A correctly signed body of the
            wrong shape (``MalformedWebhook``) is recorded as ``rejected`` first: someone holding
            our secret sent it, and staff should see it.
        Exception: a handler failed; the event is stored with the error (answer 500, Stripe retries).
    """
    try:
        event = StripeGateway.from_settings().verify_webhook(payload, signature_header)
    except MalformedWebhook as exc:
        _record_rejected(payload, exc)
        raise
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(
                stripe_event_id=event.id, type=event.type, object_id=event.object_id,
                order_id=_order_id_for(event), payload=event.payload)
    except IntegrityError:
        record = StripeEvent.objects.get(stripe_event_id=event.id)
        if record.processed_at is not None:
            log.info("stripe_webhook event=%s type=%s outcome=duplicate", event.id, event.type)
            return WebhookOutcome(event.id, event.type, "duplicate")
    handler = HANDLERS.get(event.type)
    if handler is None:
        StripeEvent.objects.filter(pk=record.pk).update(processed_at=timezone.now(), error="")
        log.info("stripe_webhook event=%s type=%s outcome=ignored", event.id, event.type)
        return WebhookOutcome(event.id, event.type, "ignored")
    try:
        handler(event)
    except Exception:
        StripeEvent.objects.filter(pk=record.pk).update(error=traceback.format_exc()[-4000:])
        log.exception("stripe_webhook event=%s type=%s outcome=error", event.id, event.type)
        raise
    StripeEvent.objects.filter(pk=record.pk).update(processed_at=timezone.now(), error="")
    log.info("stripe_webhook event=%s type=%s outcome=processed", event.id, event.type)
    return WebhookOutcome(event.id, event.type, "processed")
