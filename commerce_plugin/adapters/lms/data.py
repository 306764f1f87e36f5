"""Typed results of LMS calls: frozen dataclasses built from the LMS's JSON, never the raw dicts.

Field names follow the LMS's meaning, not its JSON spelling (``username`` for its ``user``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from opaque_keys.edx.keys import CourseKey

__all__ = [
    "AllowedResult",
    "CertificateInfo",
    "CourseDetails",
    "CourseModeInfo",
    "EnrollmentAllowed",
    "EnrollmentAttribute",
    "LmsAccount",
    "LmsEnrollment",
    "TokenInfo",
]


@dataclass(frozen=True)
class CourseModeInfo:
    """A mode a course run offers (a ``course_modes`` item).

    ``min_price`` is the LMS's own number for the mode; the plugin never prices an order from it
    (prices live on our products, in minor units), it only checks that a mode exists and is open.
    """

    slug: str
    name: str
    min_price: int
    currency: str
    expiration_datetime: datetime | None


@dataclass(frozen=True)
class CourseDetails:
    """The ``course_details`` object of the enrollment API."""

    course_id: CourseKey
    course_name: str
    enrollment_start: datetime | None
    enrollment_end: datetime | None
    course_start: datetime | None
    course_end: datetime | None
    invite_only: bool
    pacing_type: str | None
    modes: tuple[CourseModeInfo, ...]

    def mode(self, slug: str) -> CourseModeInfo | None:
        """The offered mode with this slug, or ``None``."""
        return next((mode for mode in self.modes if mode.slug == slug), None)


@dataclass(frozen=True)
class LmsEnrollment:
    """One enrollment as the LMS reports it. Inactive enrollments exist (``is_active`` False)."""

    username: str
    course_id: CourseKey
    mode: str
    is_active: bool
    created: datetime | None
    course: CourseDetails | None = None


@dataclass(frozen=True)
class EnrollmentAttribute:
    """An ``enrollment_attributes`` entry (e.g. ``credit:provider_id`` for the credit mode)."""

    namespace: str
    name: str
    value: str


@dataclass(frozen=True)
class LmsAccount:
    """The fields of an LMS account we rely on (others depend on the LMS's visibility settings)."""

    username: str
    email: str
    id: int | None
    is_active: bool | None
    name: str


@dataclass(frozen=True)
class EnrollmentAllowed:
    """A ``CourseEnrollmentAllowed`` record: this email may (auto-)enroll once the account exists."""

    email: str
    course_id: CourseKey
    auto_enroll: bool
    user_id: int | None
    created: datetime | None


@dataclass(frozen=True)
class AllowedResult:
    """Outcome of creating an enrollment_allowed record; ``created`` is False when it already existed."""

    record: EnrollmentAllowed | None
    created: bool


@dataclass(frozen=True)
class CertificateInfo:
    """A learner's certificate record in a course run (Certificates API v0).

    ``earned`` is True only for the status the LMS uses for a certificate the learner has
    (``downloadable``); other statuses (``notpassing``, ``unavailable``, ``audit_passing``...) mean
    no certificate was earned.
    """

    username: str
    course_id: CourseKey
    status: str
    mode: str
    created: datetime | None

    @property
    def earned(self) -> bool:
        return self.status == "downloadable"


@dataclass(frozen=True)
class TokenInfo:
    """What the service token says about us (claims read without verification: it is our own token)."""

    username: str | None
    is_staff: bool | None
    expires_at: datetime | None
    scopes: tuple[str, ...]
