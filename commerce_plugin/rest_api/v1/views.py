"""Views of REST API v1. Thin: they authenticate, validate, call :mod:`commerce_plugin.api`, render."""
from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce_plugin import api
from commerce_plugin.rest_api.v1.auth import AUTHENTICATION_CLASSES
from commerce_plugin.rest_api.v1.openapi import AutoSchema, document


@method_decorator(transaction.non_atomic_requests, name="dispatch")  # it calls the LMS over HTTP
class HealthView(APIView):
    """``GET /api/commerce_plugin/v1/health/``: is the plugin installed, which version, can it reach the LMS.

    Anyone gets name, version and ``status``; ``?check=lms`` (staff only, since it reveals the
    service account and LMS address) also obtains the service token and reports who it is.
    The status code is 200 when the asked checks pass and 503 when the LMS check fails, so a load
    balancer or monitor can use it as is.
    """

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (AllowAny,)
    schema = AutoSchema()

    @document(
        tags=["health"],
        summary="Plugin status",
        parameters=[OpenApiParameter("check", OpenApiTypes.STR, enum=["lms"],
                                     description="Staff only: also check the plugin's LMS connection.")],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT,
                   403: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        """Report the plugin status."""
        checks = [part for part in request.query_params.get("check", "").split(",") if part]
        unknown = sorted(set(checks) - {"lms"})
        if unknown:
            return Response(
                {"detail": f"Unknown check {', '.join(unknown)}: the only check is 'lms' (?check=lms)."},
                status=400,
            )
        if checks and not request.user.is_staff:
            return Response({"detail": "Only staff may run checks; ask without ?check for the version."},
                            status=403 if request.user.is_authenticated else 401)
        status = api.get_plugin_status(check_lms="lms" in checks)
        body = {"name": status.name, "version": status.version, "status": "ok"}
        http_status = 200
        if status.lms is not None:
            body["lms"] = asdict(status.lms)
            if not status.lms.ok:
                body["status"] = "degraded"
                http_status = 503
        return Response(body, status=http_status)
