"""Time passing: grants whose window opened or closed since the last run get their pairs synced.

A grant is in force from ``starts_at`` until ``ends_at``; nothing happens in the database at
either moment, so this job finds the grants whose boundary fell in ``(last run - overlap, now]``
and bumps those pairs' sync records (only those: a quiet hour touches nothing). The watermark is
the ``now`` of the previous run, kept in its :class:`~commerce_plugin.models.JobRun` row, so a
late or skipped run catches up on everything it missed; the overlap re-checks a few minutes
twice, which costs nothing when the LMS already matches (the sync makes no call).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commerce_plugin.access.grants import touch_pairs
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.models import Grant, JobRun

__all__ = ["JOB_NAME", "apply_time_windows"]

JOB_NAME = "apply_access_windows"
#: Boundaries this close before the last run are looked at again (clock skew, slow commits).
OVERLAP = timedelta(minutes=5)
#: A first run looks this far back (there is no watermark yet).
FIRST_LOOKBACK = timedelta(days=1)


def apply_time_windows(now: datetime | None = None) -> dict[str, int]:
    """Bump and sync every pair whose grants started or ended since the last run; counts."""
    now = now or timezone.now()
    last = JobRun.objects.filter(name=JOB_NAME).values_list("last_run_at", flat=True).first()
    since = (last - OVERLAP) if last else now - FIRST_LOOKBACK
    crossed = Grant.objects.filter(revoked_at__isnull=True).filter(
        Q(starts_at__gt=since, starts_at__lte=now) | Q(ends_at__gt=since, ends_at__lte=now))
    by_course: dict[object, dict[str, int | None]] = {}
    for email, user_id, course_key in crossed.values_list("email", "user_id", "course_key").iterator(chunk_size=2000):
        pairs = by_course.setdefault(course_key, {})
        pairs[email] = pairs.get(email) or user_id
    synced = 0
    with transaction.atomic():
        for course_key, pairs in by_course.items():
            ids = touch_pairs(course_key, pairs)  # type: ignore[arg-type]
            schedule_sync(ids)
            synced += len(ids)
        # The watermark is this run's ``now``, not the end of the run: nothing falls between two runs.
        JobRun.objects.update_or_create(name=JOB_NAME, defaults={
            "last_run_at": now, "last_outcome": f"pairs={synced}"})
    return {"pairs": synced, "courses": len(by_course)}
