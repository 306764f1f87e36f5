"""``CourseEnrollmentAllowed`` rows: the LMS's invitation list, read and written by staff via the API.

A row lets its email enroll in an invitation-only or closed course run (see ``access.py``); with
``auto_enroll`` the user registering with that email is enrolled at once (``registration.py``).
"""
from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from sandbox.lms.enrollment.serializers import iso
from sandbox.lms.models import CourseEnrollmentAllowed

MISSING_DATA_MESSAGE = "Please provide a value for 'email' and 'course_id' in the request data."


class AllowedMissingData(Exception):
    """``email`` or ``course_id`` missing from the request."""


class AllowedExists(Exception):
    """A row for this (email, course) already exists."""


class AllowedNotFound(Exception):
    """No row for this (email, course)."""


def allowed_dict(row: CourseEnrollmentAllowed) -> dict[str, Any]:
    """The serializer's item: every field but ``id``; ``user`` is the linked user's id or null."""
    return {
        "email": row.email,
        "course_id": row.course_id,
        "auto_enroll": row.auto_enroll,
        "user": row.user_id,
        "created": iso(row.created),
    }


def list_allowed(email: str) -> list[CourseEnrollmentAllowed]:
    return list(CourseEnrollmentAllowed.objects.filter(email=email).order_by("created", "id"))


def create_allowed(email: Any, course_id: Any, auto_enroll: Any = False) -> CourseEnrollmentAllowed:
    if not email or not course_id:
        raise AllowedMissingData(MISSING_DATA_MESSAGE)
    try:
        with transaction.atomic():
            return CourseEnrollmentAllowed.objects.create(
                email=str(email), course_id=str(course_id), auto_enroll=bool(auto_enroll)
            )
    except IntegrityError as exc:
        raise AllowedExists(
            f"An enrollment allowed with email {email} and course {course_id} already exists."
        ) from exc


def delete_allowed(email: Any, course_id: Any) -> None:
    if not email or not course_id:
        raise AllowedMissingData(MISSING_DATA_MESSAGE)
    deleted, _ = CourseEnrollmentAllowed.objects.filter(email=str(email), course_id=str(course_id)).delete()
    if not deleted:
        raise AllowedNotFound(f"An enrollment allowed with email {email} and course {course_id} doesn't exists.")
