"""Open edX events sent by the miniature LMS, in the LMS's order and at the LMS's moment.

``CourseEnrollment.update_enrollment()`` in the LMS sends ``COURSE_ENROLLMENT_CHANGED`` on any mode or
activation change (plus ``COURSE_UNENROLLMENT_COMPLETED`` on deactivation) and ``enroll()`` then sends
``COURSE_ENROLLMENT_CREATED``. It sends them **synchronously, inside the request's transaction**
(``openedx-platform-facts.md`` section 2, row 10), so here too: a receiver's writes share the LMS's
transaction and roll back with it, and a receiver that schedules work or calls back into the LMS
must defer it to ``on_commit`` (the plugin's handlers do). ``STUDENT_REGISTRATION_COMPLETED`` is sent
once the account is committed.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.data import CourseData, CourseEnrollmentData, UserData, UserPersonalData
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
    STUDENT_REGISTRATION_COMPLETED,
)

from sandbox.lms.models import CourseEnrollment

CHANGED = "changed"
CREATED = "created"
UNENROLLED = "unenrolled"

_SIGNALS = {
    CHANGED: COURSE_ENROLLMENT_CHANGED,
    CREATED: COURSE_ENROLLMENT_CREATED,
    UNENROLLED: COURSE_UNENROLLMENT_COMPLETED,
}


def user_data(user: AbstractBaseUser) -> UserData:
    """The event payload describing ``user``."""
    return UserData(
        id=user.pk,
        is_active=bool(user.is_active),
        pii=UserPersonalData(username=user.get_username(), email=user.email, name=user.get_full_name()),
    )


def enrollment_data(enrollment: CourseEnrollment) -> CourseEnrollmentData:
    """The event payload for an enrollment; ``CourseData`` carries the key and name, as in the LMS."""
    course = enrollment.course
    return CourseEnrollmentData(
        user=user_data(enrollment.user),
        course=CourseData(course_key=CourseKey.from_string(course.course_id), display_name=course.display_name),
        mode=enrollment.mode,
        is_active=enrollment.is_active,
        creation_date=enrollment.created,
    )


def send_enrollment_events(enrollment: CourseEnrollment, kinds: list[str]) -> None:
    """Send the named enrollment events, in order, now: inside the caller's transaction, as the LMS does."""
    data = enrollment_data(enrollment)  # a snapshot of the state just written
    for kind in kinds:
        _SIGNALS[kind].send_event(enrollment=data)


def send_registration_completed(user: AbstractBaseUser) -> None:
    """Send ``STUDENT_REGISTRATION_COMPLETED`` for ``user`` once the current transaction commits."""
    data = user_data(user)
    transaction.on_commit(lambda: STUDENT_REGISTRATION_COMPLETED.send_event(user=data))
