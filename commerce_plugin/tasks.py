"""Celery tasks. Each takes ids only and calls :mod:`commerce_plugin.api`; each also runs from a
management command (``commerce_sync``, ``commerce_expire_orders``) for operators without beat."""
from __future__ import annotations

from celery import shared_task

from commerce_plugin import api


@shared_task(name="commerce_plugin.tasks.sync_enrollment", ignore_result=True, acks_late=True)
def sync_enrollment(sync_id: int) -> str:
    """Sync one (person, course run) with the LMS. Retries are scheduled by the record's backoff,
    and run by ``process_due_syncs``, so a killed worker loses nothing (acks_late re-delivers)."""
    return api.sync_enrollment(sync_id)


@shared_task(name="commerce_plugin.tasks.process_due_syncs", ignore_result=True)
def process_due_syncs() -> dict[str, int]:
    """Periodic (every minute): retries whose time came, new work the broker missed, account re-checks."""
    return api.process_due_syncs()


@shared_task(name="commerce_plugin.tasks.expire_orders", ignore_result=True)
def expire_orders() -> list[str]:
    """Periodic (every minute): release the seats of pending orders whose hold ended."""
    return api.expire_orders()


@shared_task(name="commerce_plugin.tasks.send_refund", ignore_result=True, acks_late=True)
def send_refund(refund_id: int) -> str:
    """Send an approved refund to Stripe. Safe to run twice: a lease, our Stripe look-up and the
    idempotency key keep it to one refund; transient failures are retried by ``process_due_refunds``."""
    return api.send_refund(refund_id)


@shared_task(name="commerce_plugin.tasks.process_refund", ignore_result=True, acks_late=True)
def process_refund(refund_id: int) -> str:
    """The name ``send_refund`` had before 0.4, kept so that messages queued by an older release
    are still run after an upgrade. Nothing queues it any more."""
    return api.send_refund(refund_id)


@shared_task(name="commerce_plugin.tasks.process_due_refunds", ignore_result=True)
def process_due_refunds() -> dict[str, int]:
    """Periodic (every minute): approved refunds not yet sent, or whose retry time came."""
    return api.process_due_refunds()


@shared_task(name="commerce_plugin.tasks.refund_after_unenrollment", ignore_result=True)
def refund_after_unenrollment(sync_id: int) -> list[str]:
    """``COMMERCE_AUTO_REFUND_ON_UNENROLL``: refund what the learner left, if the policy allows."""
    return api.refund_after_unenrollment_of(sync_id)


@shared_task(name="commerce_plugin.tasks.apply_access_windows", ignore_result=True)
def apply_access_windows() -> dict[str, int]:
    """Periodic (every minute): sync the people whose access window opened or closed since the last run."""
    return api.apply_time_windows()


@shared_task(name="commerce_plugin.tasks.seed_access_fanout", ignore_result=True, acks_late=True)
def seed_access_fanout(ruleset_id: int) -> int:
    """After a large rule or workgroup change: record the course's LMS enrollments (paged reads),
    so the sweep calls the LMS only for people who need a change."""
    return api.seed_access_fanout(ruleset_id)


@shared_task(name="commerce_plugin.tasks.process_stripe_event", ignore_result=True, acks_late=True)
def process_stripe_event(event_pk: int) -> str:
    """Apply one stored Stripe event. Failures are recorded on the event and retried by
    ``process_due_webhooks`` with backoff (then parked), so this task never retries itself."""
    return api.process_stripe_event(event_pk)


@shared_task(name="commerce_plugin.tasks.process_due_webhooks", ignore_result=True)
def process_due_webhooks() -> dict[str, int]:
    """Periodic (every minute): stored events whose retry time came, or whose task was lost."""
    return api.process_due_webhooks()
