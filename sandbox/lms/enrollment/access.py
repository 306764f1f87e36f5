"""Who may enroll in a course run: the LMS's ``has_access(user, 'enroll', course)`` and the full check.

Mirrors ``_can_enroll_courselike`` (``lms/djangoapps/courseware/access.py``): a usable
``CourseEnrollmentAllowed`` row for the enrollee's email, or staff access, always allows; otherwise an
invitation-only course is closed, and any other course is open only inside its enrollment window.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils import timezone

from sandbox.lms.models import CourseEnrollment, CourseEnrollmentAllowed, CourseOverview


def usable_allowed_rows(user: AbstractBaseUser, course: CourseOverview):
    """Allowed rows for the user's email in this course that are not claimed by someone else."""
    if not user.email:
        return CourseEnrollmentAllowed.objects.none()
    return CourseEnrollmentAllowed.objects.filter(email__iexact=user.email, course_id=course.course_id).filter(
        Q(user__isnull=True) | Q(user=user)
    )


def is_enrollment_closed(user: AbstractBaseUser, course: CourseOverview) -> bool:
    """True when ``user`` (the enrollee) may not enroll in ``course`` right now."""
    if usable_allowed_rows(user, course).exists():
        return False
    if user.is_staff:  # global staff has staff access to every course
        return False
    if course.invitation_only:
        return True
    now = timezone.now()
    not_yet_open = course.enrollment_start is not None and now < course.enrollment_start
    already_closed = course.enrollment_end is not None and now > course.enrollment_end
    return not_yet_open or already_closed


def is_course_full(course: CourseOverview) -> bool:
    """True when the course has a cap and as many active enrollments as the cap."""
    cap = course.max_student_enrollments_allowed
    if cap is None:
        return False
    return CourseEnrollment.objects.filter(course=course, is_active=True).count() >= cap
