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
