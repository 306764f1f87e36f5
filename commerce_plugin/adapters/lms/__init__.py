"""The LMS adapter: the only package that talks to the LMS (import-linter holds this line).

Use :class:`LmsClient` (``LmsClient.from_settings()``) and the dataclasses of :mod:`.data`.
"""
from __future__ import annotations

from commerce_plugin.adapters.lms.client import LmsClient
from commerce_plugin.adapters.lms.data import (
    AllowedResult,
    CertificateInfo,
    CourseDetails,
    CourseModeInfo,
    EnrollmentAllowed,
    EnrollmentAttribute,
    LmsAccount,
    LmsEnrollment,
    TokenInfo,
)

__all__ = [
    "AllowedResult",
    "CertificateInfo",
    "CourseDetails",
    "CourseModeInfo",
    "EnrollmentAllowed",
    "EnrollmentAttribute",
    "LmsAccount",
    "LmsClient",
    "LmsEnrollment",
    "TokenInfo",
]
