"""How our views describe themselves to drf-spectacular, whatever the host's settings.

drf-spectacular builds a method's ``@extend_schema`` on the host's ``DEFAULT_SCHEMA_CLASS``, which
in an LMS that never configured drf-spectacular is DRF's own ``AutoSchema`` and breaks the
document. :func:`document` is ``extend_schema`` pinned to drf-spectacular's ``AutoSchema``, so
the plugin needs nothing in ``REST_FRAMEWORK``.

The two extensions describe the LMS's authentication classes, which drf-spectacular does not know:
a ``JWT <token>`` Authorization header and the LMS session cookie (with CSRF). They register
themselves when this module is imported, which every view module does.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import extend_schema

__all__ = ["AutoSchema", "JwtScheme", "LmsSessionScheme", "document"]

Handler = TypeVar("Handler", bound=Callable[..., Any])


def document(**kwargs: Any) -> Callable[[Handler], Handler]:
    """``extend_schema(**kwargs)`` for a view method, on drf-spectacular's ``AutoSchema``."""

    def decorate(handler: Handler) -> Handler:
        handler.schema = AutoSchema  # type: ignore[attr-defined]  # extend_schema extends this class
        return extend_schema(**kwargs)(handler)

    return decorate


class JwtScheme(OpenApiAuthenticationExtension):
    """edx-drf-extensions' ``JwtAuthentication``: ``Authorization: JWT <token>``."""

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    name = "jwtAuth"
    match_subclasses = True

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`JWT <token>`, a JWT issued by the LMS."}


class LmsSessionScheme(OpenApiAuthenticationExtension):
    """edx-drf-extensions' ``SessionAuthenticationAllowInactiveUser``: the LMS session cookie."""

    target_class = "edx_rest_framework_extensions.auth.session.authentication.SessionAuthenticationAllowInactiveUser"
    name = "lmsSession"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "LMS session; unsafe methods also need the X-CSRFToken header."}
