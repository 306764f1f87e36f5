"""Public data objects of the plugin: what :mod:`commerce_plugin.api` returns.

Frozen dataclasses of the standard library only, so any caller (views, tasks, other apps) can use
them without importing models or adapters.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["LmsConnectionCheck", "LmsEnrollmentSnapshot", "PluginStatus"]


@dataclass(frozen=True)
class LmsConnectionCheck:
    """Result of checking the plugin's connection to the LMS (token request and staff power).

    ``ok`` is True only when a token was obtained and it belongs to a staff user: without staff,
    the enrollment and enrollment_allowed calls the plugin depends on are refused.
    """

    ok: bool
    base_url: str
    service_username: str | None = None
    service_is_staff: bool | None = None
    token_expires_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class PluginStatus:
    """Name and version of the installed plugin, with the LMS check when one was asked for."""

    name: str
    version: str
    lms: LmsConnectionCheck | None = None


@dataclass(frozen=True)
class LmsEnrollmentSnapshot:
    """One enrollment as the LMS reports it right now (course id as a string)."""

    username: str
    course_id: str
    mode: str
    is_active: bool
    created: datetime | None
