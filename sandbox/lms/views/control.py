"""The sandbox control plane: ``/sandbox/faults`` and ``/sandbox/calls``.

Tests and the demo drive the LMS's misbehaviour and read its call log through these over HTTP (for
example from another process). They exist only when ``SANDBOX_CONTROL_ENDPOINTS`` is on and answer
only loopback clients; there is no authentication, by design, and no CSRF check.
"""
from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sandbox.lms.faults import arm_fault, clear_faults
from sandbox.lms.models import ApiCall

MAX_CALLS_LISTED = 200


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def control_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Hide the view (404) unless enabled in settings and called from loopback."""

    @csrf_exempt
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(settings, "SANDBOX_CONTROL_ENDPOINTS", False):
            return JsonResponse({"detail": "Not found."}, status=404)
        if not _is_loopback(request.META.get("REMOTE_ADDR", "")):
            return JsonResponse({"detail": "Not found."}, status=404)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@control_endpoint
@require_http_methods(["POST", "DELETE"])
def faults_view(request: HttpRequest) -> HttpResponse:
    """POST ``{kind, count, path_prefix?, stall_seconds?}`` arms a fault (201); DELETE clears all (204)."""
    if request.method == "DELETE":
        clear_faults()
        return HttpResponse(status=204)
    try:
        body = json.loads(request.body or b"{}")
        fault = arm_fault(
            str(body["kind"]),
            int(body.get("count", 1)),
            path_prefix=str(body.get("path_prefix", "/api/")),
            stall_seconds=float(body.get("stall_seconds", 5.0)),
        )
    except (ValueError, KeyError, TypeError) as exc:
        return JsonResponse({"detail": f"Invalid fault: {exc}"}, status=400)
    return JsonResponse(
        {
            "id": fault.pk,
            "kind": fault.kind,
            "remaining": fault.remaining,
            "path_prefix": fault.path_prefix,
            "stall_seconds": fault.stall_seconds,
        },
        status=201,
    )


@control_endpoint
@require_http_methods(["GET", "DELETE"])
def calls_view(request: HttpRequest) -> HttpResponse:
    """GET ``?method=&path_prefix=`` → ``{"count", "calls": [last 200]}``; DELETE clears the log (204)."""
    if request.method == "DELETE":
        ApiCall.objects.all().delete()
        return HttpResponse(status=204)
    calls = ApiCall.objects.all()
    if request.GET.get("method"):
        calls = calls.filter(method=request.GET["method"].upper())
    if request.GET.get("path_prefix"):
        calls = calls.filter(path__startswith=request.GET["path_prefix"])
    count = calls.count()
    latest = list(calls.order_by("-created", "-id")[:MAX_CALLS_LISTED])
    latest.reverse()
    return JsonResponse(
        {
            "count": count,
            "calls": [
                {
                    "method": call.method,
                    "path": call.path,
                    "query": call.query,
                    "status": call.status,
                    "username": call.username,
                    "created": call.created.isoformat().replace("+00:00", "Z"),
                }
                for call in latest
            ],
        }
    )
