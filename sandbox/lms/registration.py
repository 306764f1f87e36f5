"""Account registration as the LMS completes it.

After creating the user the LMS enrolls them in every course run with an ``auto_enroll``
``CourseEnrollmentAllowed`` row for their email (legacy ``_enroll_user_in_pending_courses``), and sends
``STUDENT_REGISTRATION_COMPLETED``, which plugins listen to.
"""
from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from sandbox.lms import events
from sandbox.lms.enrollment import service
from sandbox.lms.enrollment.errors import EnrollmentServiceError
from sandbox.lms.models import CourseEnrollmentAllowed

log = logging.getLogger(__name__)


def enroll_in_pending_courses(user: AbstractBaseUser) -> list[str]:
    """Enroll ``user`` wherever an ``auto_enroll`` row invites their email; return the course ids."""
    enrolled: list[str] = []
    rows = CourseEnrollmentAllowed.objects.filter(email__iexact=user.email, auto_enroll=True, user__isnull=True)
    for row in rows:
        course = service.get_course(row.course_id)
        if course is None:
            log.warning("Allowed row for %s names unknown course %s; skipped.", user.email, row.course_id)
            continue
        try:
            service.enroll(user, course, check_access=False)
        except (EnrollmentServiceError, service.AlreadyEnrolled) as exc:
            log.warning("Auto-enrolling %s in %s failed: %r", user.get_username(), row.course_id, exc)
            continue
        enrolled.append(row.course_id)
    return enrolled


def register_user(username: str, email: str, password: str, *, name: str = "") -> AbstractBaseUser:
    """Create an active user, auto-enroll them from allowed rows, and announce the registration."""
    first_name, _, last_name = name.strip().partition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password, first_name=first_name, last_name=last_name
        )
        enroll_in_pending_courses(user)
        events.send_registration_completed(user)
    return user
