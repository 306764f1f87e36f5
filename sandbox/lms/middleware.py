"""Middleware of the miniature LMS: an API call log and fault injection.

The call log lets tests and benchmarks count how often the plugin calls the LMS (and with what
result, faults included); fault injection makes the LMS misbehave on demand so the plugin's error
handling is exercised over real HTTP. Neither touches ``/sandbox/`` (the control plane) or ``/admin/``.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse

from sandbox.lms.models import ApiCall, Fault

LOGGED_PREFIXES = ("/api/", "/oauth2/")


def _is_lms_api(path: str) -> bool:
    return path.startswith(LOGGED_PREFIXES)


def _caller_username(request: HttpRequest) -> str:
    # DRF writes the authenticated user (JWT or session) back onto the Django request.
    user = getattr(request, "user", None)
    try:
        if user is not None and user.is_authenticated:
            return user.get_username()
    except Exception:  # pylint: disable=broad-except
        return ""
    return getattr(request, "sandbox_caller", "") or ""


class ApiCallLogMiddleware:
    """Record one ``ApiCall`` per request to ``/api/`` or ``/oauth2/``, whatever its outcome."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_lms_api(request.path):
            ApiCall.objects.create(
                method=request.method or "",
                path=request.path[:ApiCall._meta.get_field("path").max_length],  # a long path is logged, cut
                query=request.META.get("QUERY_STRING", ""),
                status=response.status_code,
                username=_caller_username(request)[:150],
            )
        return response


def _consume_fault(path: str) -> Fault | None:
    """Atomically take one unit of the oldest armed fault matching ``path``; None if there is none."""
    for fault in Fault.objects.filter(remaining__gt=0).order_by("created", "id"):
        if not path.startswith(fault.path_prefix):
            continue
        taken = Fault.objects.filter(pk=fault.pk, remaining__gt=0).update(remaining=F("remaining") - 1)
        if taken == 1:
            return fault
    return None


class FaultInjectionMiddleware:
    """Answer 503/429 or stall for ``/api/`` and ``/oauth2/`` requests while a fault is armed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_lms_api(request.path):
            fault = _consume_fault(request.path)
            if fault is not None:
                if fault.kind == Fault.KIND_503:
                    return JsonResponse({"detail": "Service unavailable (sandbox fault)"}, status=503)
                if fault.kind == Fault.KIND_429:
                    response = JsonResponse(
                        {"detail": "Request was throttled. Expected available in 1 second."}, status=429
                    )
                    response["Retry-After"] = "1"
                    return response
                if fault.kind == Fault.KIND_STALL:
                    time.sleep(fault.stall_seconds)
        return self.get_response(request)
