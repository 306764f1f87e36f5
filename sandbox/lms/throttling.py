"""The enrollment API's throttles, as the LMS configures them (``openedx/core/djangoapps/enrollments/views.py``).

- ``EnrollmentUserThrottle`` (scope ``enrollment``): 40 requests a minute per user, 120 for staff
  and superusers. DRF keys the history by scope and user, so **one budget is shared by every
  enrollment endpoint** (enrollment, list, staff list, enrollment_allowed) for the plugin's
  service user.
- ``GET course/{id}`` has no authentication classes, so the caller is anonymous and DRF's
  anonymous throttle applies: 40 a minute per client IP.

The real LMS can switch these off per view with ``RateLimitConfiguration`` (``@can_disable_rate_limit``);
here ``SANDBOX_LMS_THROTTLING`` does (off in the unit tests, on in the demo and the scale
benchmarks). The rate limits are read when a request arrives, so tests can change them.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

__all__ = ["EnrollmentAnonThrottle", "EnrollmentUserThrottle"]


def _enabled() -> bool:
    return bool(getattr(settings, "SANDBOX_LMS_THROTTLING", False))


def _rates() -> dict[str, str]:
    return {"user": "40/minute", "staff": "120/minute", "anon": "40/minute",
            **getattr(settings, "SANDBOX_LMS_THROTTLE_RATES", {})}


class EnrollmentUserThrottle(UserRateThrottle):
    """40/minute per user, 120/minute for staff; one history for all enrollment endpoints."""

    scope = "enrollment"

    def __init__(self) -> None:  # rates are chosen per request (staff or not), not at start-up
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        if not _enabled():
            return True
        user = request.user
        self.rate = _rates()["staff" if user and (user.is_staff or user.is_superuser) else "user"]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class EnrollmentAnonThrottle(AnonRateThrottle):
    """40/minute per client IP for the anonymous course details endpoint."""

    scope = "anon"

    def __init__(self) -> None:
        pass

    def allow_request(self, request: Any, view: Any) -> bool:
        if not _enabled():
            return True
        self.rate = _rates()["anon"]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
