"""Typed failures of the enrollment service; the views map each one to the LMS's status and body.

Each class names the LMS exception it stands for, so the mapping in ``views/enrollment.py`` can be
checked against the contract's table (section 2).
"""
from __future__ import annotations


class EnrollmentServiceError(Exception):
    """Base class; ``message`` is the exact text the LMS puts in ``{"message": ...}``."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class HiddenFromRequester(EnrollmentServiceError):
    """The requester may not act for that user: the LMS answers 404 with an empty body."""


class BadRequest(EnrollmentServiceError):
    """A 400 with ``{"message": ...}`` (missing course id, bad key, invalid flags, mode mismatch)."""


class CourseNotFound(BadRequest):
    """``CourseNotFoundError``: invalid key or no CourseOverview."""

    def __init__(self, course_id: str) -> None:
        super().__init__(f"No course '{course_id}' found for enrollment")
        self.course_id = course_id


class UserNotFound(EnrollmentServiceError):
    """Unknown username or email: 406."""


class ModeForbidden(EnrollmentServiceError):
    """A non-staff caller asked for a mode other than audit/honor: 403."""

    def __init__(self, mode: str) -> None:
        super().__init__(f"User does not have permission to create enrollment with mode [{mode}].")


class ModeUnavailable(EnrollmentServiceError):
    """``CourseModeNotFoundError``: 400 with the course details."""

    def __init__(self, mode: str, course_id: str, course_details: dict) -> None:
        super().__init__(
            f"The [{mode}] course mode is expired or otherwise unavailable for course run [{course_id}]."
        )
        self.course_details = course_details


class EnrollmentFailed(EnrollmentServiceError):
    """Closed, full, invite-only, inactive-create: the LMS's one generic 400."""

    def __init__(self, username: str, course_id: str, reason: str = "") -> None:
        super().__init__(
            "An error occurred while creating the new course enrollment for user "
            f"'{username}' in course '{course_id}'"
        )
        self.reason = reason  # for logs and tests only; never sent to the client


class EnrollmentNotAllowed(EnrollmentServiceError):
    """``CourseEnrollmentStarted.PreventEnrollment`` raised by a filter step: 403."""


class InvalidEnrollmentAttribute(EnrollmentServiceError):
    """``enrollment_attributes`` is not a list of ``{namespace, name, value}``: 400."""
