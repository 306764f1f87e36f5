"""Certificates as the LMS's ``lms/djangoapps/certificates/api.py`` reads them for the REST API v0.

Why: the plugin's refund policy asks the LMS whether a learner earned a certificate in a course run
(``GET /api/certificates/v0/certificates/{username}/courses/{course_id}/``). These functions
reproduce what the LMS's ``get_certificate_for_user`` and ``_format_certificate_for_user`` return:

* audit certificates (``audit_passing``, ``audit_notpassing``) are invisible, as with the LMS's
  ``GeneratedCertificate.eligible_certificates`` manager;
* ``is_passing`` is true for ``downloadable`` and ``generating`` only (``CertificateStatuses.PASSED_STATUSES``);
* ``download_url`` is set only for a ``downloadable`` certificate: the stored PDF URL, else the web
  certificate's path ``/certificates/<verify_uuid>`` (relative, as the LMS's ``reverse`` gives it);
* a web certificate (no PDF URL) of a course run the LMS does not know is no certificate at all.

Simplification: the LMS also answers 404 ``no_certificate_configuration_for_course`` for a web
certificate whose course has no active certificate configuration. The sandbox has no such
configuration and treats every course run it knows as configured.
"""
from __future__ import annotations

from typing import Any

from sandbox.lms.models import CourseOverview, GeneratedCertificate

INELIGIBLE_STATUSES = ("audit_passing", "audit_notpassing")
PASSED_STATUSES = ("downloadable", "generating")


def is_passing_status(status: str) -> bool:
    return status in PASSED_STATUSES


def web_certificate_path(certificate: GeneratedCertificate) -> str:
    """The LMS's ``reverse('certificates:render_cert_by_uuid', ...)``."""
    return f"/certificates/{certificate.verify_uuid}"


def eligible_certificate(username: str, course_id: str) -> GeneratedCertificate | None:
    return (
        GeneratedCertificate.objects.exclude(status__in=INELIGIBLE_STATUSES)
        .filter(user__username=username, course_id=course_id)
        .select_related("user")
        .first()
    )


def certificate_dict(username: str, course_id: str) -> dict[str, Any] | None:
    """The LMS's formatted certificate for the detail view, or None when there is none to show.

    Keys are the view's response keys. ``created_date`` stays a datetime: DRF renders it as ISO
    8601 with ``Z`` and microseconds, exactly as the LMS's response does.
    """
    certificate = eligible_certificate(username, course_id)
    if certificate is None:
        return None
    if not certificate.download_url and not CourseOverview.objects.filter(course_id=course_id).exists():
        return None
    downloadable = certificate.status == GeneratedCertificate.STATUS_DOWNLOADABLE
    return {
        "username": username,
        "course_id": certificate.course_id,
        "certificate_type": certificate.mode,
        "created_date": certificate.created,
        "status": certificate.status,
        "is_passing": is_passing_status(certificate.status),
        "download_url": (certificate.download_url or web_certificate_path(certificate)) if downloadable else None,
        "grade": certificate.grade,
    }
