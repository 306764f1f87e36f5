"""The grant ledger and the enrollment sync state (docs/decisions/0002)."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField

from commerce_plugin.data import GrantSource, SyncState

GRANT_SOURCE_CHOICES = [(source.value, source.value) for source in GrantSource]
SYNC_STATE_CHOICES = [(state.value, state.value.replace("_", " ")) for state in SyncState]


class Grant(models.Model):
    """"This person should have this course run in this mode, from ``starts_at`` until ``ends_at``."

    Every reason to be enrolled is one grant: a paid order, a staff decision, an access rule
    membership. ``(source, source_ref)`` is unique, so a source grants at most once however often
    it is applied. Revoking sets ``revoked_at``; rows are never deleted, so the history stays.
    The person is an email (lower-cased), linked to an LMS user when one exists.

    .. pii: the email of the person the grant is for
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="commerce_grants")
    course_key = CourseKeyField(max_length=255, db_index=True)
    mode = models.CharField(max_length=100)
    source = models.CharField(max_length=20, choices=GRANT_SOURCE_CHOICES)
    source_ref = models.CharField(max_length=255)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True, db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("source", "source_ref"), name="commerce_grant_source_once")]
        ordering = ("created", "id")

    def __str__(self) -> str:
        return f"{self.source}:{self.source_ref} -> {self.course_key} ({self.mode})"


class EnrollmentSync(models.Model):
    """Desired versus last-known LMS enrollment of one (person, course run), and the retry state.

    ``generation`` is bumped in the same transaction as any grant change for the pair; a sync run
    records the generation it started from in ``synced_generation``, so a change that lands while
    a run is in flight is never lost (the run goes round again). ``lease_until`` keeps two workers
    from calling the LMS for the same pair at once.

    .. pii: the email of the person whose enrollment is synchronised
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    email = models.EmailField()
    course_key = CourseKeyField(max_length=255, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="commerce_enrollment_syncs")
    state = models.CharField(max_length=30, choices=SYNC_STATE_CHOICES, default=SyncState.PENDING.value,
                             db_index=True)
    desired_active = models.BooleanField(default=False)
    desired_mode = models.CharField(max_length=100, blank=True)
    lms_active = models.BooleanField(null=True, blank=True, help_text="last known; empty = never read")
    lms_mode = models.CharField(max_length=100, blank=True)
    lms_checked_at = models.DateTimeField(null=True, blank=True)
    generation = models.PositiveIntegerField(default=1)
    synced_generation = models.PositiveIntegerField(default=0)
    attempts = models.PositiveIntegerField(default=0, help_text="consecutive failed attempts")
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    allowed_created = models.BooleanField(default=False, help_text="an enrollment_allowed record exists")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("email", "course_key"), name="commerce_sync_person_course")]
        ordering = ("-modified",)

    def __str__(self) -> str:
        return f"{self.course_key} [{self.state}]"


class SyncAttempt(models.Model):
    """One LMS call made by the sync engine: what, when, the outcome. Append-only.

    .. no_pii:
    """

    sync = models.ForeignKey(EnrollmentSync, on_delete=models.CASCADE, related_name="attempt_log")
    action = models.CharField(max_length=40)
    outcome = models.CharField(max_length=20)  # ok, transient, permanent
    status_code = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=1000, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"{self.action} {self.outcome}"
