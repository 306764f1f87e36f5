"""``POST /oauth2/access_token``: the LMS's client-credentials token endpoint, JWT flavour.

Errors follow oauthlib's shapes (``{"error": "invalid_client"}`` 401, ``unsupported_grant_type`` 400)
because edx-rest-api-client only calls ``raise_for_status()`` and reads ``access_token``/``expires_in``.
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from sandbox.lms.oauth import InvalidClient, authenticate_client, issue_token


def _basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """Client credentials from an HTTP Basic header, which DOT also accepts."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header.split(" ", 1)[1]).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


@method_decorator(csrf_exempt, name="dispatch")
class AccessTokenView(View):
    """Issue a JWT for a client-credentials application."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> JsonResponse:
        grant_type = request.POST.get("grant_type", "")
        if grant_type != "client_credentials":
            return JsonResponse({"error": "unsupported_grant_type"}, status=400)
        token_type = (request.POST.get("token_type") or request.META.get("HTTP_X_TOKEN_TYPE") or "").lower()
        if token_type != "jwt":
            return JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "The sandbox LMS only issues JWTs: send token_type=jwt.",
                },
                status=400,
            )
        credentials = _basic_credentials(request) or (
            request.POST.get("client_id", ""),
            request.POST.get("client_secret", ""),
        )
        try:
            application = authenticate_client(*credentials)
        except InvalidClient:
            return JsonResponse({"error": "invalid_client"}, status=401)
        request.sandbox_caller = application.user.get_username()
        response = JsonResponse(issue_token(application))
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response
