"""The grant ledger: create and revoke grants, and compute the desired LMS state from them.

Every write here happens inside the caller's transaction and bumps the pair's
:class:`~commerce_plugin.models.EnrollmentSync` generation, so the sync engine always notices.
The caller schedules the sync after commit (:func:`commerce_plugin.grants.sync.schedule`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.data import GrantSource
from commerce_plugin.models import EnrollmentSync, Grant

__all__ = ["MODE_RANK", "DesiredState", "add_grant", "desired_state", "revoke_grants", "touch_sync"]

#: Higher wins when several active grants name different modes for the same course run.
MODE_RANK: dict[str, int] = {
    "audit": 0,
    "honor": 1,
    "verified": 2,
    "no-id-professional": 3,
    "professional": 3,
    "executive-education": 3,
    "masters": 4,
    "credit": 4,
}


@dataclass(frozen=True)
class DesiredState:
    """What the LMS should hold for a (person, course run): a pure function of the grants."""

    active: bool
    mode: str | None


def normalize_email(email: str) -> str:
    """Emails identify people across orders, grants and the LMS; compare them lower-cased."""
    return email.strip().lower()


def touch_sync(email: str, course_key: CourseKey, *, user_id: int | None = None) -> EnrollmentSync:
    """Get or create the pair's sync record and bump its generation (call inside the grant change)."""
    email = normalize_email(email)
    sync, created = EnrollmentSync.objects.get_or_create(
        email=email, course_key=course_key, defaults={"user_id": user_id})
    if not created:
        updates = {"generation": F("generation") + 1, "modified": timezone.now()}
        if user_id and not sync.user_id:
            updates["user_id"] = user_id
        EnrollmentSync.objects.filter(pk=sync.pk).update(**updates)
        sync.refresh_from_db()
    return sync


def add_grant(
    *,
    email: str,
    course_key: CourseKey,
    mode: str,
    source: GrantSource,
    source_ref: str,
    user_id: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> tuple[Grant, EnrollmentSync, bool]:
    """Record a grant once per ``(source, source_ref)``; returns ``(grant, sync, created)``.

    Applying the same source again returns the existing grant with ``created=False``; the unique
    constraint decides, so concurrent callers cannot both create one.
    """
    # Insert first (a new source is the common case: an order paid once); the unique constraint
    # answers "already there" without a look-up beforehand.
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                email=normalize_email(email), user_id=user_id, course_key=course_key, mode=mode,
                source=source.value, source_ref=source_ref, starts_at=starts_at or timezone.now(), ends_at=ends_at)
    except IntegrityError:
        grant = Grant.objects.get(source=source.value, source_ref=source_ref)
        return grant, touch_sync(grant.email, grant.course_key, user_id=user_id), False
    return grant, touch_sync(grant.email, course_key, user_id=user_id), True


def revoke_grants(*, source: GrantSource, source_ref: str, reason: str) -> list[EnrollmentSync]:
    """Revoke the active grants of a source; returns the sync records to run after commit."""
    now = timezone.now()
    syncs = []
    for grant in Grant.objects.select_for_update().filter(
            source=source.value, source_ref=source_ref, revoked_at__isnull=True):
        grant.revoked_at = now
        grant.revoke_reason = reason[:500]
        grant.save(update_fields=["revoked_at", "revoke_reason"])
        syncs.append(touch_sync(grant.email, grant.course_key))
    return syncs


def active_grants(email: str, course_key: CourseKey, now: datetime | None = None):
    """The grants of a pair that are in force at ``now``."""
    now = now or timezone.now()
    return Grant.objects.filter(
        email=normalize_email(email), course_key=course_key, revoked_at__isnull=True, starts_at__lte=now,
    ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def desired_state(email: str, course_key: CourseKey, now: datetime | None = None) -> DesiredState:
    """Active if any grant is in force, in the highest-ranked mode among them."""
    modes = list(active_grants(email, course_key, now).values_list("mode", flat=True))
    if not modes:
        return DesiredState(active=False, mode=None)
    return DesiredState(active=True, mode=max(modes, key=lambda mode: MODE_RANK.get(mode, 1)))
