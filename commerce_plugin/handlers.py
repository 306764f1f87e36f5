"""Receivers of LMS events: openedx-events through ``plugin_app["signals_config"]``, and the LMS's
user retirement signal, connected by dotted path in ``apps.ready`` (it is a plain Django signal)."""
from __future__ import annotations

import logging
from typing import Any

from commerce_plugin import api

log = logging.getLogger(__name__)


def on_registration_completed(sender: Any = None, user: Any = None, **kwargs: Any) -> None:
    """A new LMS account: enroll the person in what they were granted before they had one."""
    if user is None or not getattr(user, "pii", None):
        return
    ids = api.account_registered(user.pii.email, user.id)
    if ids:
        log.info("registration user_id=%s syncs=%s", user.id, len(ids))


def on_enrollment_changed(sender: Any = None, enrollment: Any = None, **kwargs: Any) -> None:
    """The LMS changed an enrollment (ours or anyone's): refresh what we know of a managed pair.

    Also connected to ``COURSE_UNENROLLMENT_COMPLETED``, which carries the same data.
    """
    if enrollment is None or not getattr(enrollment.user, "pii", None):
        return
    api.lms_enrollment_changed(enrollment.user.pii.email, enrollment.course.course_key,
                               active=bool(enrollment.is_active), mode=enrollment.mode)
    if enrollment.is_active:
        # Someone who came in through an open public rule gets the rule's grant, ending with it.
        api.record_self_enrollment(enrollment.user.pii.email, enrollment.user.id, enrollment.course.course_key)


def on_unenrollment_completed(sender: Any = None, enrollment: Any = None, **kwargs: Any) -> None:
    """The learner left a course run: update what we know, and (if enabled) refund what they bought."""
    on_enrollment_changed(sender=sender, enrollment=enrollment, **kwargs)
    if enrollment is not None and getattr(enrollment.user, "pii", None):
        api.lms_unenrolled(enrollment.user.pii.email, enrollment.course.course_key)


def on_user_retired(sender: Any = None, user: Any = None, **kwargs: Any) -> None:
    """The LMS retires an account (``USER_RETIRE_LMS_CRITICAL``): forget the person, keep the books."""
    if user is None or getattr(user, "pk", None) is None:
        return
    api.retire_user(user.pk, getattr(user, "email", "") or "")
