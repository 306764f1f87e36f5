"""Large fan-outs: learn the LMS state of a whole course run in a few paged reads, then sync.

A rule attached to a workgroup of 10,000 creates 10,000 sync records that have never read the
LMS. Syncing them one by one would send an ``enroll`` for each, also for the people the LMS
already has in that mode. Instead, one paged read of the course's enrollments (100 per page)
records the LMS state on every record that has none yet, and the sweep then calls the LMS only
for the people who need a change (ADR 0019). Called from a task, never inside a transaction.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.models import CourseRuleSet, EnrollmentSync

__all__ = ["seed_lms_state"]


def seed_lms_state(course_key: CourseKey, *, client: LmsClient | None = None) -> int:
    """Record the LMS's enrollments of ``course_key`` on sync records never read; returns how many."""
    client = client or LmsClient.from_settings()
    by_username = {item.username: item for item in client.iter_course_enrollments(course_key)}
    unread = EnrollmentSync.objects.filter(course_key=course_key, lms_active__isnull=True)
    # Records of people the LMS has no enrollment for: they are not enrolled (a fact, not a guess).
    users = dict(get_user_model().objects.filter(
        pk__in=unread.exclude(user_id__isnull=True).values("user_id")).values_list("pk", "username"))
    now = timezone.now()
    seeded = 0
    enrolled: dict[tuple[bool, str], list[int]] = {}
    absent: list[int] = []
    for pk, user_id in unread.exclude(user_id__isnull=True).values_list("pk", "user_id").iterator(chunk_size=2000):
        item = by_username.get(users.get(user_id, ""))
        if item is None:
            absent.append(pk)
        else:
            enrolled.setdefault((item.is_active, item.mode), []).append(pk)
    for (active, mode), ids in enrolled.items():
        for start in range(0, len(ids), 500):
            seeded += EnrollmentSync.objects.filter(pk__in=ids[start:start + 500], lms_active__isnull=True).update(
                lms_active=active, lms_mode=mode, lms_checked_at=now)
    for start in range(0, len(absent), 500):
        seeded += EnrollmentSync.objects.filter(pk__in=absent[start:start + 500], lms_active__isnull=True).update(
            lms_active=False, lms_mode="", lms_checked_at=now)
    return seeded


def seed_lms_state_of_ruleset(ruleset_id: int) -> int:
    """The task's entry: the course run of a :class:`CourseRuleSet` (tasks take ids)."""
    course_key = CourseRuleSet.objects.filter(pk=ruleset_id).values_list("course_key", flat=True).first()
    return seed_lms_state(course_key) if course_key else 0
