"""The enrollment decisions of the LMS, without HTTP.

``post_enrollment`` follows ``EnrollmentListView.post`` step by step (contract section 2): who may act
for whom, then either the staff *update path* (``api.update_enrollment``: no access checks, no filter)
or the *add path* (``api.add_enrollment`` → ``CourseEnrollment.enroll``: the
``CourseEnrollmentStarted`` filter, mode resolution, the closed and full checks, then create or
reactivate). Failures are raised as the typed exceptions of ``errors.py``; the view turns them into
the LMS's status codes and bodies. Registration's auto-enroll uses the same ``enroll``.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from openedx_filters.learning.filters import CourseEnrollmentStarted

from sandbox.lms import events
from sandbox.lms.enrollment import access
from sandbox.lms.enrollment.errors import (
    BadRequest,
    CourseNotFound,
    EnrollmentFailed,
    EnrollmentNotAllowed,
    HiddenFromRequester,
    InvalidEnrollmentAttribute,
    ModeForbidden,
    ModeUnavailable,
    UserNotFound,
)
from sandbox.lms.enrollment.serializers import available_modes, course_details
from sandbox.lms.models import CourseEnrollment, CourseOverview

log = logging.getLogger(__name__)

#: Modes any authenticated user may ask for (``CourseMode.AUDIT``, ``CourseMode.HONOR``).
SELF_SERVICE_MODES = ("audit", "honor")


class AlreadyEnrolled(Exception):
    """``AlreadyEnrolledError``: the user holds an active enrollment; the API answers 200 with it."""

    def __init__(self, enrollment: CourseEnrollment) -> None:
        super().__init__(f"{enrollment.user_id} already enrolled in {enrollment.course.course_id}")
        self.enrollment = enrollment


def is_global_staff(user: Any) -> bool:
    """``GlobalStaff().has_user(user)`` is simply ``user.is_staff``."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def parse_course_key(course_id: Any) -> CourseKey | None:
    """The parsed key, or None if ``course_id`` is not a valid course key string."""
    if not isinstance(course_id, str):
        return None
    try:
        return CourseKey.from_string(course_id)
    except InvalidKeyError:
        return None


def get_course(course_id: str) -> CourseOverview | None:
    return CourseOverview.objects.filter(course_id=course_id).first()


def get_enrollment(username: str, course_id: str) -> CourseEnrollment | None:
    """The enrollment record (active or not) of ``username`` in ``course_id``, if any."""
    return (
        CourseEnrollment.objects.select_related("user", "course")
        .filter(user__username=username, course__course_id=course_id)
        .first()
    )


def active_enrollments(username: str) -> list[CourseEnrollment]:
    """``data.get_course_enrollments(include_inactive=False)``: active only, oldest first."""
    return list(
        CourseEnrollment.objects.select_related("user", "course")
        .filter(user__username=username, is_active=True)
        .order_by("created", "id")
    )


def default_mode(course: CourseOverview) -> str:
    """``_default_course_mode``: audit if offered, else honor, else audit."""
    slugs = {mode.mode_slug for mode in available_modes(course)}
    if "audit" in slugs:
        return "audit"
    if "honor" in slugs:
        return "honor"
    return "audit"


def validate_mode(course: CourseOverview, mode: str, *, requested: Any, include_expired: bool = False) -> None:
    """``validate_course_mode``: the mode must be offered (and unexpired unless ``include_expired``)."""
    offered = {m.mode_slug for m in available_modes(course, include_expired=include_expired)}
    if mode not in offered:
        raise ModeUnavailable(
            str(requested), course.course_id, course_details(course, include_expired=include_expired)
        )


def _apply_update(enrollment: CourseEnrollment, *, mode: str | None, is_active: bool | None) -> list[str]:
    """``CourseEnrollment.update_enrollment``: save, and name the events the change calls for."""
    mode_changed = mode is not None and mode != enrollment.mode
    activation_changed = is_active is not None and is_active != enrollment.is_active
    if not (mode_changed or activation_changed):
        return []
    if mode_changed:
        enrollment.mode = mode
    if activation_changed:
        enrollment.is_active = is_active
    enrollment.save(update_fields=["mode", "is_active"])
    kinds = [events.CHANGED]
    if activation_changed and not enrollment.is_active:
        kinds.append(events.UNENROLLED)
    return kinds


def update_enrollment(
    enrollment: CourseEnrollment,
    *,
    mode: str | None = None,
    is_active: bool | None = None,
    include_expired: bool = False,
) -> CourseEnrollment:
    """The staff update path (``api.update_enrollment``): no access checks and no filter."""
    if mode is not None:
        validate_mode(enrollment.course, mode, requested=mode, include_expired=include_expired)
    with transaction.atomic():
        locked = CourseEnrollment.objects.select_for_update().select_related("user", "course").get(pk=enrollment.pk)
        kinds = _apply_update(locked, mode=mode, is_active=is_active)
        events.send_enrollment_events(locked, kinds)
    return locked


def _link_allowed_rows(user: AbstractBaseUser, course: CourseOverview) -> None:
    """``get_or_create_enrollment`` records the first user to enroll through an allowed email."""
    access.usable_allowed_rows(user, course).filter(user__isnull=True).update(user=user)


def enroll(
    user: AbstractBaseUser,
    course: CourseOverview,
    *,
    mode: str | None = None,
    check_access: bool = True,
    can_upgrade: bool = False,
    include_expired: bool = False,
    is_active: bool | None = True,
) -> CourseEnrollment:
    """Create or reactivate ``user``'s enrollment in ``course`` (``api.add_enrollment`` + ``enroll``).

    Raises ``EnrollmentNotAllowed`` (filter), ``ModeUnavailable``, ``EnrollmentFailed`` (closed, full,
    or an attempt to create an inactive enrollment) and ``AlreadyEnrolled``.
    """
    requested_mode = mode
    try:
        user, course_key, mode = CourseEnrollmentStarted.run_filter(
            user=user, course_key=CourseKey.from_string(course.course_id), mode=mode
        )
    except CourseEnrollmentStarted.PreventEnrollment as exc:
        raise EnrollmentNotAllowed(str(exc)) from exc
    if course_key is not None and str(course_key) != course.course_id:
        redirected = get_course(str(course_key))  # a filter step may move the enrollment to another run
        if redirected is None:
            raise CourseNotFound(str(course_key))
        course = redirected

    if mode is None:
        mode = default_mode(course)
    validate_mode(course, mode, requested=requested_mode if requested_mode is not None else mode,
                  include_expired=include_expired)

    username = user.get_username()
    if check_access:
        if access.is_enrollment_closed(user, course) and not can_upgrade:
            raise EnrollmentFailed(username, course.course_id, reason="closed")
        if access.is_course_full(course):
            raise EnrollmentFailed(username, course.course_id, reason="full")

    existing = CourseEnrollment.objects.select_related("user", "course").filter(user=user, course=course).first()
    if existing is not None and existing.is_active and check_access:
        raise AlreadyEnrolled(existing)
    if is_active is False:
        # The API cannot create (or reactivate into) an inactive enrollment.
        raise EnrollmentFailed(username, course.course_id, reason="inactive create")

    with transaction.atomic():
        try:
            with transaction.atomic():
                enrollment, _ = CourseEnrollment.objects.select_for_update().get_or_create(
                    user=user, course=course, defaults={"mode": mode, "is_active": False}
                )
        except IntegrityError:  # a concurrent request created it first
            enrollment = CourseEnrollment.objects.select_for_update().get(user=user, course=course)
        enrollment.user = user
        enrollment.course = course
        kinds = _apply_update(enrollment, mode=mode, is_active=True)
        kinds.append(events.CREATED)  # enroll() sends CREATED after every successful enroll
        _link_allowed_rows(user, course)
        events.send_enrollment_events(enrollment, kinds)
    return enrollment


def _validate_attributes(attributes: Any) -> None:
    if attributes is None:
        return
    if not isinstance(attributes, list) or not all(
        isinstance(item, dict) and {"namespace", "name", "value"} <= set(item) for item in attributes
    ):
        raise InvalidEnrollmentAttribute(
            "enrollment_attributes must be a list of objects with 'namespace', 'name' and 'value'."
        )


def post_enrollment(requester: AbstractBaseUser, data: Mapping[str, Any]) -> CourseEnrollment:
    """Decide a ``POST /api/enrollment/v1/enrollment`` exactly in the LMS's order.

    Returns the enrollment to answer 200 with (also when the user was already enrolled).
    """
    details = data.get("course_details")
    course_id = details.get("course_id") if isinstance(details, Mapping) else None
    if not course_id:
        raise BadRequest("Course ID must be specified to create a new enrollment.")
    if parse_course_key(course_id) is None:
        raise CourseNotFound(str(course_id))

    staff = is_global_staff(requester)
    username = data.get("user")
    email = data.get("email")
    if not username and email:
        if not staff:
            raise HiddenFromRequester()
        match = get_user_model().objects.filter(email=email).first()
        if match is None:
            raise UserNotFound(f"The user with the email address {email} does not exist.")
        username = match.get_username()
    if not username:
        username = requester.get_username()
    if username != requester.get_username() and not staff:
        raise HiddenFromRequester()

    mode = data.get("mode")
    if mode not in (*SELF_SERVICE_MODES, None) and not staff:
        raise ModeForbidden(str(mode))

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise UserNotFound(f"The user {username} does not exist.")

    is_active = data.get("is_active")
    if is_active is not None and not isinstance(is_active, bool):
        raise BadRequest(f"'{is_active}' is an invalid enrollment activation status.")

    force_enrollment = data.get("force_enrollment")
    if force_enrollment is not None and not isinstance(force_enrollment, bool):
        raise BadRequest(f"'{force_enrollment}' is an invalid force enrollment status.")
    force_enrollment = bool(force_enrollment) and staff
    _validate_attributes(data.get("enrollment_attributes"))

    course = get_course(course_id)
    if course is None:
        raise CourseNotFound(course_id)

    enrollment = get_enrollment(username, course_id)
    mode_changed = enrollment is not None and mode is not None and enrollment.mode != mode
    active_changed = enrollment is not None and is_active is not None and enrollment.is_active != is_active
    if staff and (mode_changed or active_changed):
        if mode_changed and active_changed and not is_active:
            raise BadRequest(
                f"Enrollment mode mismatch: active mode={enrollment.mode}, requested mode={mode}. "
                "Won't deactivate."
            )
        return update_enrollment(enrollment, mode=mode, is_active=is_active)

    try:
        return enroll(
            user,
            course,
            mode=mode,
            check_access=True,
            can_upgrade=force_enrollment,
            include_expired=force_enrollment,
            is_active=True if is_active is None else is_active,
        )
    except AlreadyEnrolled as exc:
        log.info("User %s already enrolled in %s; returning the existing enrollment.", username, course_id)
        return exc.enrollment
