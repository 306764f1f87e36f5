"""The sync engine: make the LMS hold what the grants say, calling it only when they differ.

A run for one (person, course run):

1. claims the record's lease (one worker per pair at a time, across processes: a conditional
   UPDATE, no lock held during remote calls);
2. computes the desired state from the grants and compares it with the last-known LMS state;
   equal means done, with no LMS call at all;
3. otherwise makes the one call that closes the gap: ``enroll`` (its answer is the new LMS state,
   so no read is needed first) or ``deactivate`` (sending the current mode); a person without an
   LMS account gets an ``enrollment_allowed`` record instead and waits for the account;
4. records the outcome: in sync; transient failure (retry with exponential backoff); permanent
   failure (parked as failed, visible in the admin); every call also writes a ``SyncAttempt``;
5. goes round again if a grant changed meanwhile (``generation`` moved), then releases the lease.

No database transaction is open during an LMS call (design.md section 3).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.conf import get_setting
from commerce_plugin.data import SyncState
from commerce_plugin.errors import LmsError, LmsNotConfigured, LmsRejected, LmsUnavailable
from commerce_plugin.grants.ledger import desired_state, normalize_email
from commerce_plugin.models import EnrollmentSync, SyncAttempt

__all__ = ["SyncOutcome", "backoff_delay", "due_syncs", "run_sync"]

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ROUNDS = 5


@dataclass(frozen=True)
class SyncOutcome:
    """What a run did: its final state and how many LMS calls it made."""

    sync_id: int
    state: SyncState
    lms_calls: int
    skipped: bool = False


def backoff_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """Delay before retry number ``attempts``: first * 2**(attempts-1), capped, never under Retry-After."""
    first, maximum = get_setting("COMMERCE_SYNC_BACKOFF_SECONDS")
    seconds = min(first * (2 ** max(attempts - 1, 0)), maximum)
    if retry_after:
        seconds = max(seconds, retry_after)
    return timedelta(seconds=seconds)


def _claim(sync_id: int, now: datetime) -> bool:
    """Take the pair's lease if it is free or stale; True when this worker now owns the run."""
    return bool(EnrollmentSync.objects.filter(pk=sync_id).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)).update(lease_until=now + LEASE))


def _release(sync_id: int) -> None:
    EnrollmentSync.objects.filter(pk=sync_id).update(lease_until=None)


def _username_for(sync: EnrollmentSync, client: LmsClient) -> tuple[str | None, int]:
    """``(username, LMS calls made)``: the linked user's, else the account found by email (one call).

    The plugin runs inside the LMS, so a linked user's username is read locally; a person known
    only by email is looked up through the accounts API, as an external service would.
    """
    if sync.user_id:
        return get_user_model().objects.filter(pk=sync.user_id).values_list("username", flat=True).first(), 0
    account = client.get_account_by_email(sync.email)
    if account is None:
        return None, 1
    user_id = get_user_model().objects.filter(username=account.username).values_list("pk", flat=True).first()
    if user_id:
        _save(sync, user_id=user_id)
    return account.username, 1


def run_sync(sync_id: int, *, client: LmsClient | None = None, now: datetime | None = None) -> SyncOutcome:
    """Bring one pair's LMS enrollment in line with its grants (see the module docstring).

    Safe to call any number of times, from tasks, commands, the admin or a request: a run that
    finds nothing to do makes no LMS call, and a run that finds the lease taken returns at once
    (``skipped``) because the lease holder will see the newer generation and go round again.
    """
    now = now or timezone.now()
    if not _claim(sync_id, now):
        sync = EnrollmentSync.objects.get(pk=sync_id)
        return SyncOutcome(sync_id, SyncState(sync.state), 0, skipped=True)
    calls = 0
    released = False
    try:
        for _round in range(MAX_ROUNDS):
            sync = EnrollmentSync.objects.get(pk=sync_id)
            sync._changes = {}
            generation = sync.generation
            state, made = _sync_once(sync, client, now)
            calls += made
            changes = {**sync._changes, "modified": timezone.now()}
            # One write: the outcome, the generation it settles, and the lease, if no grant moved.
            if EnrollmentSync.objects.filter(pk=sync_id, generation=generation).update(
                    **changes, synced_generation=generation, lease_until=None):
                released = True
                return SyncOutcome(sync_id, state, calls)
            EnrollmentSync.objects.filter(pk=sync_id).update(**changes)
            if state in (SyncState.FAILED, SyncState.RETRYING):
                return SyncOutcome(sync_id, state, calls)
        return SyncOutcome(sync_id, SyncState(EnrollmentSync.objects.get(pk=sync_id).state), calls)
    finally:
        if not released:
            _release(sync_id)


def _sync_once(sync: EnrollmentSync, client: LmsClient | None, now: datetime) -> tuple[SyncState, int]:
    desired = desired_state(sync.email, sync.course_key, now)
    _save(sync, desired_active=desired.active, desired_mode=desired.mode or "")
    if desired.active and sync.lms_active is True and sync.lms_mode == desired.mode:
        return _settle(sync, SyncState.IN_SYNC), 0
    if not desired.active and sync.lms_active is not True and not sync.allowed_created:
        return _settle(sync, SyncState.IN_SYNC), 0
    calls = 0
    action = "enroll" if desired.active else "deactivate"
    enrollment = None
    try:
        client = client or LmsClient.from_settings()
        if not desired.active and sync.allowed_created:
            # Nobody is entitled any more: the pending sign-up enrollment must not happen.
            action = "delete_enrollment_allowed"
            calls += 1
            client.delete_enrollment_allowed(sync.email, sync.course_key)
            _save(sync, allowed_created=False)
            if sync.lms_active is not True:
                _log(sync, action, "ok")
                return _settle(sync, SyncState.IN_SYNC), calls
            action = "deactivate"
        username, lookups = _username_for(sync, client)
        calls += lookups
        if desired.active and username is None:
            action = "enrollment_allowed"
            calls += 1
            client.create_enrollment_allowed(sync.email, sync.course_key, auto_enroll=True)
            _log(sync, action, "ok", detail="no LMS account yet; the LMS enrolls the person at sign-up")
            recheck = now + timedelta(seconds=get_setting("COMMERCE_ACCOUNT_RECHECK_SECONDS"))
            _save(sync, allowed_created=True, next_attempt_at=recheck, attempts=0, last_error="")
            return _settle(sync, SyncState.WAITING_FOR_ACCOUNT, keep_schedule=True), calls
        if desired.active:
            calls += 1
            enrollment = client.enroll(sync.course_key, username=username, mode=desired.mode, force=True)
        elif username is not None:
            calls += 1
            enrollment = client.deactivate(username, sync.course_key, mode=sync.lms_mode or None)
    except LmsUnavailable as exc:
        attempts = sync.attempts + 1
        _log(sync, action, "transient", exc)
        _save(sync, attempts=attempts, last_error=str(exc)[:2000],
              next_attempt_at=now + backoff_delay(attempts, exc.retry_after))
        log.warning("enrollment_sync sync_id=%s action=%s outcome=transient attempts=%s status=%s",
                    sync.pk, action, attempts, exc.status_code)
        return _settle(sync, SyncState.RETRYING, keep_schedule=True), calls
    except (LmsRejected, LmsNotConfigured) as exc:
        _log(sync, action, "permanent", exc)
        _save(sync, attempts=sync.attempts + 1, last_error=str(exc)[:2000], next_attempt_at=None)
        log.error("enrollment_sync sync_id=%s action=%s outcome=permanent status=%s",
                  sync.pk, action, exc.status_code)
        return _settle(sync, SyncState.FAILED, keep_schedule=True), calls
    active = bool(enrollment and enrollment.is_active)
    mode = enrollment.mode if enrollment is not None else sync.lms_mode
    _log(sync, action, "ok", detail=f"LMS now: active={active} mode={mode}")
    _save(sync, lms_active=active, lms_mode=mode, lms_checked_at=timezone.now(), attempts=0, last_error="")
    if desired.active and mode != desired.mode:
        # The LMS kept another mode: say so and stop, rather than call it again and again.
        _save(sync, last_error=f"LMS kept mode {mode!r}, wanted {desired.mode!r}")
        return _settle(sync, SyncState.FAILED, keep_schedule=True), calls
    return _settle(sync, SyncState.IN_SYNC), calls


def _save(sync: EnrollmentSync, **fields: object) -> None:
    """Note changes on the record; ``run_sync`` writes them all at once at the end of the round."""
    for name, value in fields.items():
        setattr(sync, name, value)
    sync._changes.update(fields)


def _settle(sync: EnrollmentSync, state: SyncState, *, keep_schedule: bool = False) -> SyncState:
    fields: dict[str, object] = {"state": state.value}
    if not keep_schedule:
        fields["next_attempt_at"] = None
    _save(sync, **fields)
    return state


def _log(sync: EnrollmentSync, action: str, outcome: str, exc: LmsError | None = None, detail: str = "") -> None:
    SyncAttempt.objects.create(
        sync=sync, action=action, outcome=outcome, status_code=getattr(exc, "status_code", None),
        detail=(str(exc) if exc else detail)[:1000])


def due_syncs(now: datetime | None = None) -> list[int]:
    """Ids of the records a periodic sweep should run now.

    Pending records (never run, or a change not yet synced), retries whose time has come, and
    people still waiting for an LMS account whose re-check time has come. Failed records wait
    for staff ("retry now").
    """
    now = now or timezone.now()
    query = EnrollmentSync.objects.filter(
        Q(state=SyncState.PENDING.value)
        | Q(state__in=(SyncState.RETRYING.value, SyncState.WAITING_FOR_ACCOUNT.value), next_attempt_at__lte=now)
        # An in-sync record whose generation moved has a change that no run has applied yet.
        | Q(state=SyncState.IN_SYNC.value, synced_generation__lt=F("generation"))
    )
    return list(query.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:1000])


def link_account(email: str, user_id: int) -> list[int]:
    """A person signed up: link their records to the account and return those to run now.

    The LMS enrolls them itself from the enrollment_allowed record (mode audit); the run then
    moves them to the mode their grants say.
    """
    records = EnrollmentSync.objects.filter(email=normalize_email(email))
    ids = list(records.values_list("pk", flat=True))
    records.update(user_id=user_id, next_attempt_at=None, modified=timezone.now())
    return ids


def retry_now(sync_id: int) -> None:
    """Staff "retry now": a failed or waiting record becomes due at once (its history is kept)."""
    EnrollmentSync.objects.filter(pk=sync_id).update(
        state=SyncState.PENDING.value, next_attempt_at=None, attempts=0, lease_until=None, modified=timezone.now())


def record_lms_state(email: str, course_key: object, *, active: bool, mode: str) -> bool:
    """Keep the last-known LMS state honest when the LMS reports a change (its enrollment events).

    Only pairs the plugin manages have a record; others are ignored. No sync is queued: a learner
    who unenrolls themselves is not re-enrolled against their will (what a refund policy does
    about it is the refund flow's business).
    """
    return bool(EnrollmentSync.objects.filter(email=normalize_email(email), course_key=course_key).update(
        lms_active=active, lms_mode=mode, lms_checked_at=timezone.now(), modified=timezone.now()))
