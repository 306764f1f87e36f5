"""Account registration as the LMS completes it.

The LMS creates the account **inactive** and sends an activation email; ``STUDENT_REGISTRATION_COMPLETED``
goes out at once, with ``is_active=False`` (``user_authn/views/register.py``). The
``auto_enroll`` ``CourseEnrollmentAllowed`` rows of the email turn into enrollments only when the
account is activated (``user_post_save_callback`` on the ``is_active`` change), skipping runs the
user is already enrolled in. ``SANDBOX_REGISTRATION_ACTIVATION`` (on in the demo, as in the LMS;
off in the unit tests unless a test is about it) chooses between that and an account active at
once, which auto-enrolls at registration as the legacy flow did.
"""
from __future__ import annotations

import logging

from django.conf import settings
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
        if service.get_enrollment(user.get_username(), row.course_id) is not None:
            continue  # already enrolled (the plugin may have enrolled the inactive account): skipped, as the LMS does
        try:
            service.enroll(user, course, check_access=False)
        except (EnrollmentServiceError, service.AlreadyEnrolled) as exc:
            log.warning("Auto-enrolling %s in %s failed: %r", user.get_username(), row.course_id, exc)
            continue
        enrolled.append(row.course_id)
    return enrolled


def activation_required() -> bool:
    """Whether new accounts wait for activation, as the LMS's do by default."""
    return bool(getattr(settings, "SANDBOX_REGISTRATION_ACTIVATION", False))


def register_user(username: str, email: str, password: str, *, name: str = "",
                  activate: bool | None = None) -> AbstractBaseUser:
    """Create a user and announce the registration; auto-enroll now if the account is active at once.

    ``activate`` overrides ``SANDBOX_REGISTRATION_ACTIVATION`` (``False``: wait for activation).
    """
    active_now = not activation_required() if activate is None else activate
    first_name, _, last_name = name.strip().partition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password, first_name=first_name, last_name=last_name,
            is_active=active_now,
        )
        if active_now:
            enroll_in_pending_courses(user)
        events.send_registration_completed(user)
    return user


def activate_user(user: AbstractBaseUser) -> list[str]:
    """The learner followed the activation link: the account is active and its invitations become enrollments."""
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        return enroll_in_pending_courses(user)
