"""JSON shapes of the enrollment API, field for field as the LMS's serializers produce them.

Plain functions rather than DRF serializers: the shapes are fixed by the contract and small, and
being explicit about ``null`` versus ``""`` is the point of a stand-in.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone as dj_timezone

from sandbox.lms.models import CourseEnrollment, CourseMode, CourseOverview


def iso(value: datetime | None) -> str | None:
    """ISO-8601 in UTC with a ``Z`` suffix, as DRF renders aware datetimes under ``TIME_ZONE='UTC'``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def mode_is_expired(mode: CourseMode, now: datetime | None = None) -> bool:
    now = now or dj_timezone.now()
    return mode.expiration_datetime is not None and mode.expiration_datetime <= now


def available_modes(course: CourseOverview, *, include_expired: bool = False) -> list[CourseMode]:
    """The course's modes in display order, without expired ones unless asked."""
    now = dj_timezone.now()
    modes = list(course.modes.all().order_by("id"))
    if include_expired:
        return modes
    return [mode for mode in modes if not mode_is_expired(mode, now)]


def course_mode_dict(mode: CourseMode) -> dict[str, Any]:
    return {
        "slug": mode.mode_slug,
        "name": mode.mode_display_name,
        "min_price": mode.min_price,
        "suggested_prices": "",
        "currency": mode.currency,
        "expiration_datetime": iso(mode.expiration_datetime),
        "description": mode.description,
        "sku": mode.sku,
        "bulk_sku": None,
    }


def course_details(course: CourseOverview, *, include_expired: bool = False) -> dict[str, Any]:
    """The ``course_details`` object (``CourseSerializer`` in the LMS)."""
    return {
        "course_id": course.course_id,
        "course_name": course.display_name,
        "enrollment_start": iso(course.enrollment_start),
        "enrollment_end": iso(course.enrollment_end),
        "course_start": iso(course.start),
        "course_end": iso(course.end),
        "invite_only": course.invitation_only,
        "pacing_type": "Self Paced" if course.self_paced else "Instructor Paced",
        "course_modes": [
            course_mode_dict(mode) for mode in available_modes(course, include_expired=include_expired)
        ],
    }


def enrollment_dict(enrollment: CourseEnrollment, *, include_expired: bool = False) -> dict[str, Any]:
    """The enrollment object (``CourseEnrollmentSerializer``); ``user`` is the username."""
    return {
        "created": iso(enrollment.created),
        "mode": enrollment.mode,
        "is_active": enrollment.is_active,
        "course_details": course_details(enrollment.course, include_expired=include_expired),
        "user": enrollment.user.get_username(),
    }


def staff_list_item(enrollment: CourseEnrollment) -> dict[str, Any]:
    """An item of ``GET /api/enrollment/v1/enrollments`` (``CourseEnrollmentsApiListSerializer``)."""
    return {
        "created": iso(enrollment.created),
        "mode": enrollment.mode,
        "is_active": enrollment.is_active,
        "user": enrollment.user.get_username(),
        "course_id": enrollment.course.course_id,
    }
