"""Diagnostics: is the plugin installed, which version, and can it reach the LMS as it must?

Operators need one answer to "is it wired correctly?" before the first sale; the health endpoint,
the status page and the ``commerce_lms_check`` command all ask here.
"""
from __future__ import annotations

from commerce_plugin import __version__
from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.conf import lms_base_url
from commerce_plugin.data import LmsConnectionCheck, LmsEnrollmentSnapshot, PluginStatus
from commerce_plugin.errors import LmsError

__all__ = ["check_lms_connection", "get_plugin_status", "lms_course_enrollments"]


def check_lms_connection() -> LmsConnectionCheck:
    """Obtain (or reuse) the service token and report who it authenticates.

    Never raises for LMS trouble: the failure is the answer, in ``error``.
    """
    base_url = lms_base_url()
    try:
        info = LmsClient.from_settings().token_info()
    except LmsError as exc:
        return LmsConnectionCheck(ok=False, base_url=base_url, error=str(exc))
    error = None if info.is_staff else "the service user is not staff: enrollment calls will be refused"
    return LmsConnectionCheck(
        ok=bool(info.is_staff),
        base_url=base_url,
        service_username=info.username,
        service_is_staff=info.is_staff,
        token_expires_at=info.expires_at,
        error=error,
    )


def get_plugin_status(*, check_lms: bool = False) -> PluginStatus:
    """The plugin's name and version, and the LMS connection check when ``check_lms`` is set."""
    return PluginStatus(
        name="commerce_plugin",
        version=__version__,
        lms=check_lms_connection() if check_lms else None,
    )


def lms_course_enrollments(course_id: str) -> list[LmsEnrollmentSnapshot]:
    """Every enrollment of a course run, read from the LMS through the enrollment API.

    Raises:
        LmsUnavailable: transient LMS failure.
        LmsRejected: the LMS refused (unknown course key format, service user not staff...).
    """
    return [
        LmsEnrollmentSnapshot(
            username=item.username,
            course_id=str(item.course_id),
            mode=item.mode,
            is_active=item.is_active,
            created=item.created,
        )
        for item in LmsClient.from_settings().iter_course_enrollments(course_id)
    ]
