"""Periodic and event-driven jobs: what Celery tasks, management commands and signal handlers run.

Every job here is idempotent and takes ids, so running it twice, late, or from cron instead of
Celery beat is always safe.
"""
from __future__ import annotations

import logging
from datetime import datetime

from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.grants.sync import due_syncs, link_account, record_lms_state, retry_now
from commerce_plugin.orders.fulfilment import sync_and_settle
from commerce_plugin.orders.service import expire_due_orders

__all__ = [
    "account_registered",
    "expire_orders",
    "lms_enrollment_changed",
    "process_due_syncs",
    "retry_sync",
    "sync_enrollment",
]

log = logging.getLogger(__name__)


def sync_enrollment(sync_id: int) -> str:
    """Sync one (person, course run) with the LMS and settle its orders; returns the sync state."""
    return sync_and_settle(sync_id)


def process_due_syncs(now: datetime | None = None) -> dict[str, int]:
    """Run every sync that is due (pending, retry time reached, account re-check); counts by state."""
    counts: dict[str, int] = {}
    for sync_id in due_syncs(now):
        state = sync_and_settle(sync_id, now=now)
        counts[state] = counts.get(state, 0) + 1
    return counts


def expire_orders(now: datetime | None = None) -> list[str]:
    """Expire pending orders whose seat hold ended; returns their numbers."""
    return expire_due_orders(now)


def retry_sync(sync_id: int) -> str:
    """Staff "retry now": make the record due and run it at once."""
    retry_now(sync_id)
    return sync_and_settle(sync_id)


def account_registered(email: str, user_id: int) -> list[int]:
    """The LMS registered an account: run the syncs of that email after commit."""
    ids = link_account(email, user_id)
    schedule_sync(ids)
    return ids


def lms_enrollment_changed(email: str, course_key: object, *, active: bool, mode: str) -> bool:
    """The LMS reported an enrollment change: update the last-known state of a managed pair."""
    return record_lms_state(email, course_key, active=active, mode=mode)
