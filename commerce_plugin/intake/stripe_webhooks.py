"""Stripe webhook intake: verify and store at once, apply later, in a task (ADR 0020).

What Stripe waits on (:func:`receive_webhook`) is only what must happen before answering:

1. Verify the signature on the raw body (``InvalidWebhook`` -> the edge answers 400; nothing is
   written, except a signed body of the wrong shape, kept once as ``rejected`` for staff).
2. Store the event under its unique Stripe id: one INSERT. A delivery whose event is already
   stored is a duplicate: one more SELECT says whether it still needs processing.
3. Queue :func:`process_event` with the row's id (after commit) and answer. Unknown types are
   stored as processed and never queued.

:func:`process_event` applies the event through a dispatch table of small handlers. Each takes the
object id, re-fetches the object from Stripe and acts on its current state under a row lock
(``orders.fulfilment``), so running it twice is safe. A failure is written on the event with its
next attempt time (doubling backoff); :func:`process_due_events`, a periodic job, retries those and
any event whose task was lost, and parks an event after too many attempts or too long, where staff
see it (admin, production checks) and can retry it.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from commerce_plugin.adapters.stripe_gateway import MalformedWebhook, StripeGateway, WebhookEvent, stored_event
from commerce_plugin.conf import get_setting
from commerce_plugin.models import JobRun, Order, StripeEvent
from commerce_plugin.orders.errors import NotFound
from commerce_plugin.orders.fulfilment import fulfil_checkout_session, record_payment_failure
from commerce_plugin.payments.ledger import order_id_paid_by
from commerce_plugin.refunds.processing import apply_refund_info, apply_stripe_refunds_of
from commerce_plugin.scheduler import schedule_task

__all__ = [
    "HANDLERS",
    "WebhookOutcome",
    "due_events",
    "process_due_events",
    "process_event",
    "receive_webhook",
    "retry_event",
    "retry_event_by_stripe_id",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookOutcome:
    """What happened to a delivery: ``accepted``, ``duplicate`` or ``ignored`` (unknown type)."""

    event_id: str
    event_type: str
    result: str


def _checkout_session(event: WebhookEvent) -> int | None:
    order = fulfil_checkout_session(event.object_id, actor="stripe")
    return order.pk if order is not None else None


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


#: Stripe event type -> handler. A new event is one function and one entry here. A handler may
#: return the id of the order the event was about (else it is looked up for the admin's list).
HANDLERS: dict[str, Callable[[WebhookEvent], int | None]] = {
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
    if event.object_type == "checkout.session" and event.object_id:
        return Order.objects.filter(stripe_session_id=event.object_id).values_list("pk", flat=True).first()
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


def _store(event: WebhookEvent) -> tuple[int, bool]:
    """Insert the event once; returns ``(row id, still to process)``.

    One INSERT for a new event. Outside a transaction (the webhook view is not atomic) a failed
    INSERT leaves nothing to roll back, so no savepoint is needed; inside one (a caller's
    transaction, a test), the INSERT gets a savepoint so the duplicate does not break it.
    """
    known = event.type in HANDLERS
    now = timezone.now()
    fields = {"stripe_event_id": event.id, "type": event.type, "object_id": event.object_id,
              "payload": event.payload,
              "processed_at": None if known else now,
              "next_attempt_at": now + _grace() if known else None}
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                row = StripeEvent.objects.create(**fields)
        else:
            row = StripeEvent.objects.create(**fields)
    except IntegrityError:
        pk, processed_at, parked_at = StripeEvent.objects.filter(stripe_event_id=event.id).values_list(
            "pk", "processed_at", "parked_at").get()
        return pk, processed_at is None and parked_at is None
    return row.pk, known


def receive_webhook(payload: bytes, signature_header: str | None) -> WebhookOutcome:
    """Verify and store one delivery, queue its processing; what Stripe waits on (module docstring).

    Returns ``accepted`` (stored, processing queued), ``duplicate`` (already processed or parked:
    nothing queued) or ``ignored`` (a type we do not handle, stored as processed).

    Raises:
        InvalidWebhook: not a verified Stripe event (answer 400). A correctly signed body of the
            wrong shape (``MalformedWebhook``) is recorded as ``rejected`` first: someone holding
            our secret sent it, and staff should see it.
    """
    try:
        event = StripeGateway.from_settings().verify_webhook(payload, signature_header)
    except MalformedWebhook as exc:
        _record_rejected(payload, exc)
        raise
    pk, to_process = _store(event)
    if event.type not in HANDLERS:
        log.info("stripe_webhook event=%s type=%s outcome=ignored", event.id, event.type)
        return WebhookOutcome(event.id, event.type, "ignored")
    if not to_process:
        log.info("stripe_webhook event=%s type=%s outcome=duplicate", event.id, event.type)
        return WebhookOutcome(event.id, event.type, "duplicate")
    # A duplicate of an event still waiting is queued again: Stripe's retry nudges a lost task;
    # two runs at once are safe (every handler is idempotent under the order's row lock).
    schedule_task(PROCESS_TASK, [pk])
    log.info("stripe_webhook event=%s type=%s outcome=accepted", event.id, event.type)
    return WebhookOutcome(event.id, event.type, "accepted")


#: The Celery task that runs :func:`process_event` (``commerce_plugin.tasks``).
PROCESS_TASK = "commerce_plugin.tasks.process_stripe_event"


def _grace() -> timedelta:
    """How long a queued event waits before the sweep assumes its task was lost and runs it."""
    return timedelta(seconds=get_setting("COMMERCE_WEBHOOK_SWEEP_AFTER_SECONDS"))


def _backoff(attempts: int) -> timedelta:
    first, maximum = get_setting("COMMERCE_WEBHOOK_RETRY_BACKOFF_SECONDS")
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), maximum))


def process_event(event_pk: int, *, now: datetime | None = None) -> str:
    """Apply one stored event; returns ``processed``, ``retry``, ``parked`` or ``done`` (nothing to do).

    Never raises for a handler failure: the failure is recorded on the event with its next attempt
    (or the event is parked), so the task, the sweep and staff's "retry" all behave the same.
    """
    record = StripeEvent.objects.filter(pk=event_pk, processed_at__isnull=True, parked_at__isnull=True).first()
    if record is None:
        return "done"
    handler = HANDLERS.get(record.type)
    event = stored_event(record.payload)
    attempts = record.attempts + 1
    try:
        order_id = handler(event) if handler is not None else None
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then parked for staff
        return _failed(record, event, attempts, exc, now or timezone.now())
    StripeEvent.objects.filter(pk=record.pk).update(
        processed_at=timezone.now(), error="", attempts=attempts, next_attempt_at=None,
        order_id=order_id or _order_id_for(event))
    log.info("stripe_webhook event=%s type=%s outcome=processed attempts=%d", event.id, event.type, attempts)
    return "processed"


def _failed(record: StripeEvent, event: WebhookEvent, attempts: int, exc: Exception, now: datetime) -> str:
    max_attempts = get_setting("COMMERCE_WEBHOOK_RETRY_MAX_ATTEMPTS")
    max_age = timedelta(hours=get_setting("COMMERCE_WEBHOOK_RETRY_MAX_AGE_HOURS"))
    park = attempts >= max_attempts or now - record.received_at >= max_age
    error = "".join(traceback.format_exception_only(type(exc), exc))[-2000:]
    StripeEvent.objects.filter(pk=record.pk).update(
        attempts=attempts, error=error, parked_at=now if park else None,
        next_attempt_at=None if park else now + _backoff(attempts))
    outcome = "parked" if park else "retry"
    log.warning("stripe_webhook event=%s type=%s outcome=%s attempts=%d error=%s",
                event.id, event.type, outcome, attempts, type(exc).__name__)
    return outcome


def due_events(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Stored events whose retry time came, or whose task was lost (queued longer than the grace)."""
    return list(StripeEvent.objects.filter(
        processed_at__isnull=True, parked_at__isnull=True, next_attempt_at__lte=now or timezone.now(),
    ).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def process_due_events(now: datetime | None = None) -> dict[str, int]:
    """The periodic sweep: apply every due event; counts by outcome (recorded for the checks)."""
    counts: dict[str, int] = {}
    for pk in due_events(now):
        outcome = process_event(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    JobRun.record("process_due_webhooks", counts)
    return counts


def retry_event_by_stripe_id(stripe_event_id: str) -> str:
    """:func:`retry_event` for an operator who has the Stripe id (``evt_...``) at hand."""
    pk = StripeEvent.objects.filter(stripe_event_id=stripe_event_id).values_list("pk", flat=True).first()
    if pk is None:
        raise NotFound(f"No Stripe event {stripe_event_id!r} was received.")
    return retry_event(pk)


def retry_event(event_pk: int) -> str:
    """Staff "retry": a parked or waiting event gets a fresh set of attempts and runs now."""
    StripeEvent.objects.filter(pk=event_pk, processed_at__isnull=True).update(
        parked_at=None, attempts=0, next_attempt_at=timezone.now())
    return process_event(event_pk)
