"""Data of the miniature LMS.

Each model mirrors the few columns of its LMS namesake (``CourseOverview``, ``CourseMode``,
``CourseEnrollment``, ``CourseEnrollmentAllowed``, ``GeneratedCertificate``, a DOT application) that the
enrollment, accounts, certificates and OAuth2 APIs expose, plus three sandbox-only tables: issued tokens,
the API call log and armed faults, which tests and benchmarks use to count and disturb the plugin's calls
to the LMS.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class CourseOverview(models.Model):
    """
    A course run, as the LMS's ``CourseOverview`` summarises it.

    .. no_pii:
    """

    course_id = models.CharField(max_length=255, unique=True, help_text="The course key string.")
    display_name = models.CharField(max_length=255, default="")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    enrollment_start = models.DateTimeField(null=True, blank=True)
    enrollment_end = models.DateTimeField(null=True, blank=True)
    invitation_only = models.BooleanField(default=False)
    max_student_enrollments_allowed = models.PositiveIntegerField(null=True, blank=True)
    self_paced = models.BooleanField(default=False)

    class Meta:
        ordering = ["course_id"]

    def __str__(self) -> str:
        return self.course_id


class CourseMode(models.Model):
    """
    An enrollment track of a course run (audit, verified, ...), with its price in minor units.

    .. no_pii:
    """

    course = models.ForeignKey(CourseOverview, on_delete=models.CASCADE, related_name="modes")
    mode_slug = models.CharField(max_length=100)
    mode_display_name = models.CharField(max_length=255)
    min_price = models.PositiveIntegerField(default=0, help_text="Minor units (cents).")
    currency = models.CharField(max_length=8, default="usd")
    expiration_datetime = models.DateTimeField(null=True, blank=True)
    description = models.TextField(null=True, blank=True)
    sku = models.CharField(max_length=255, null=True, blank=True)

    class Meta:
        unique_together = [("course", "mode_slug")]
        ordering = ["course_id", "id"]

    def __str__(self) -> str:
        return f"{self.course.course_id} {self.mode_slug}"

    @property
    def display_price(self) -> str:
        """The price for people, e.g. ``49.00 USD`` (two-decimal currencies only: it is a sandbox)."""
        return f"{self.min_price / 100:.2f} {self.currency.upper()}"


class CourseEnrollment(models.Model):
    """
    A learner's enrollment in a course run; deactivated rather than deleted on unenrollment.

    .. no_pii:
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrollments"
    )
    course = models.ForeignKey(CourseOverview, on_delete=models.CASCADE, related_name="enrollments")
    mode = models.CharField(max_length=100, default="audit")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "course")]
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course.course_id} ({self.mode}, active={self.is_active})"


class CourseEnrollmentAllowed(models.Model):
    """
    Permission for an email address to enroll in a course even when invitation-only or closed.

    .. pii: The email address of a person invited to a course.
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    email = models.CharField(max_length=255)
    course_id = models.CharField(max_length=255)
    auto_enroll = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollments_allowed",
        help_text="First user who enrolled through this email address; never changes once set.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("email", "course_id")]
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.email} may enroll in {self.course_id}"


def new_verify_uuid() -> str:
    """A fresh ``verify_uuid`` (32 hex digits, as the LMS stores it)."""
    return uuid.uuid4().hex


class GeneratedCertificate(models.Model):
    """
    A learner's certificate in a course run (the LMS's ``certificates.GeneratedCertificate``).

    Only the columns the Certificates REST API v0 exposes, plus ``verify_uuid`` for the web
    certificate's URL; the LMS's ``name`` column (the learner's full name) is left out.

    .. no_pii:
    """

    # lms/djangoapps/certificates/data.py CertificateStatuses (all of them, historical ones included).
    STATUS_DOWNLOADABLE = "downloadable"
    STATUSES = [
        (name, name)
        for name in (
            "audit_notpassing",
            "audit_passing",
            "auditing",
            "deleted",
            "deleting",
            "downloadable",
            "error",
            "generating",
            "honor_passing",
            "invalidated",
            "notpassing",
            "requesting",
            "restricted",
            "unavailable",
            "unverified",
        )
    ]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_certificates"
    )
    course_id = models.CharField(max_length=255, help_text="The course key string.")
    mode = models.CharField(max_length=32, default="honor", help_text="verified, honor, professional, ...")
    status = models.CharField(max_length=32, choices=STATUSES, default="unavailable")
    grade = models.CharField(max_length=5, blank=True, default="", help_text='The course grade, e.g. "0.9".')
    download_url = models.CharField(
        max_length=128, blank=True, default="", help_text="A PDF certificate's URL; empty for a web certificate."
    )
    verify_uuid = models.CharField(max_length=32, default=new_verify_uuid, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("user", "course_id")]
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id}: {self.status} ({self.mode})"


class OAuthApplication(models.Model):
    """
    An OAuth2 client-credentials application; its tokens carry the powers of ``user``.

    .. no_pii:
    """

    name = models.CharField(max_length=255)
    client_id = models.CharField(max_length=100, unique=True)
    client_secret = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandbox_oauth_applications"
    )
    scopes = models.CharField(max_length=255, default="read write email profile")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class IssuedToken(models.Model):
    """
    One row per JWT issued by the token endpoint, so tests can count token requests.

    .. no_pii:
    """

    application = models.ForeignKey(OAuthApplication, on_delete=models.CASCADE, related_name="tokens")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return f"token for {self.application.client_id} at {self.issued_at:%Y-%m-%d %H:%M:%S}"


class ApiCall(models.Model):
    """
    One row per request to ``/api/`` or ``/oauth2/``, so tests and benchmarks can count LMS calls.

    .. pii: The username of the caller.
    .. pii_types: username
    .. pii_retirement: retained
    """

    method = models.CharField(max_length=10)
    path = models.CharField(max_length=1024)
    query = models.TextField(blank=True, default="")
    status = models.PositiveSmallIntegerField()
    username = models.CharField(max_length=150, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


class Fault(models.Model):
    """
    An armed fault: the next ``remaining`` matching requests fail (503, 429) or stall.

    .. no_pii:
    """

    KIND_503 = "503"
    KIND_429 = "429"
    KIND_STALL = "stall"
    KINDS = [(KIND_503, "503 Service unavailable"), (KIND_429, "429 Too many requests"), (KIND_STALL, "Stall")]

    kind = models.CharField(max_length=10, choices=KINDS)
    remaining = models.PositiveIntegerField(default=1)
    path_prefix = models.CharField(max_length=255, default="/api/")
    stall_seconds = models.FloatField(default=5.0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.kind} x{self.remaining} on {self.path_prefix}"
