"""Periodic and event-driven jobs: what Celery tasks, management commands and signal handlers run.

Every job here is idempotent and takes ids, so running it twice, late, or from cron instead of
Celery beat is always safe.
"""
from __future__ import annotations

import logging
from datetime import datetime

from commerce_plugin.grants.ledger import normalize_email
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.grants.sync import due_syncs, link_account, record_lms_state, retry_now
from commerce_plugin.models import EnrollmentSync, JobRun
from commerce_plugin.orders.fulfilment import sync_and_settle
from commerce_plugin.orders.service import expire_due_orders
from commerce_plugin.refunds.processing import due_refunds
from commerce_plugin.refunds.processing import send_refund as _send
from commerce_plugin.refunds.service import refund_after_unenrollment
from commerce_plugin.scheduler import schedule_task

__all__ = [
    "account_registered",
    "expire_orders",
    "lms_enrollment_changed",
    "lms_unenrolled",
    "process_due_refunds",
    "refund_after_unenrollment_of",
    "send_refund",
    "process_due_syncs",
    "retry_sync",
    "sync_enrollment",
]

log = logging.getLogger(__name__)

def _record_run(name: str, outcome: object) -> None:
    """Note that a periodic job ran (one upsert), for the production checks."""
    JobRun.record(name, outcome)


def sync_enrollment(sync_id: int) -> str:
    """Sync one (person, course run) with the LMS and settle its orders; returns the sync state."""
    return sync_and_settle(sync_id)


def process_due_syncs(now: datetime | None = None) -> dict[str, int]:
    """Run every sync that is due (pending, retry time reached, account re-check); counts by state."""
    counts: dict[str, int] = {}
    for sync_id in due_syncs(now):
        state = sync_and_settle(sync_id, now=now)
        counts[state] = counts.get(state, 0) + 1
    _record_run("process_due_syncs", counts)
    return counts


def expire_orders(now: datetime | None = None) -> list[str]:
    """Expire pending orders whose seat hold ended; returns their numbers."""
    expired = expire_due_orders(now)
    _record_run("expire_orders", f"{len(expired)} expired")
    return expired


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


def send_refund(refund_id: int) -> str:
    """Send one approved refund to Stripe (or settle it); returns its status."""
    return _send(refund_id)


def process_due_refunds(now: datetime | None = None) -> dict[str, int]:
    """Send every approved refund that is due (new, or its retry time came); counts by status."""
    counts: dict[str, int] = {}
    for refund_id in due_refunds(now):
        status = _send(refund_id, now=now)
        counts[status] = counts.get(status, 0) + 1
    _record_run("process_due_refunds", counts)
    return counts


UNENROLL_REFUND_TASK = "commerce_plugin.tasks.refund_after_unenrollment"


def lms_unenrolled(email: str, course_key: object) -> list[int]:
    """The LMS reports an unenrollment: with auto-refund on, queue the policy check (in a task:
    it asks the LMS, and we may be inside the LMS request that unenrolled)."""
    from commerce_plugin.conf import get_setting

    if not get_setting("COMMERCE_AUTO_REFUND_ON_UNENROLL"):
        return []
    ids = list(EnrollmentSync.objects.filter(email=normalize_email(email), course_key=course_key)
               .values_list("pk", flat=True))
    schedule_task(UNENROLL_REFUND_TASK, ids)
    return ids


def refund_after_unenrollment_of(sync_id: int) -> list[str]:
    """Refund the orders of a managed (person, course run) the learner left, if the policy allows."""
    sync = EnrollmentSync.objects.filter(pk=sync_id).first()
    if sync is None or sync.lms_active:
        return []  # re-enrolled meanwhile: nothing to refund
    return refund_after_unenrollment(sync.email, sync.course_key)
