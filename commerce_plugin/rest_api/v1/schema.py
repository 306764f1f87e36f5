"""The OpenAPI 3 document of REST API v1, served at ``/api/commerce_plugin/v1/schema/``.

Third parties integrate from this document, so it is generated from the views themselves
(drf-spectacular) and covers only our v1 routes, wherever the LMS mounts them: the URL prefix is
read from the request, not assumed. It needs nothing in the host's settings: our views carry
their own ``AutoSchema``, and the title and version are passed to the view here. (Only a
Swagger/Redoc page would need ``drf_spectacular`` in ``INSTALLED_APPS``, for its templates.)
"""
from __future__ import annotations

from typing import Any

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from commerce_plugin.rest_api.v1.auth import AUTHENTICATION_CLASSES
from commerce_plugin.rest_api.v1.openapi import AutoSchema, document

__all__ = ["SchemaView"]

V1_URLS = "commerce_plugin.rest_api.v1.urls"
SCHEMA_ROUTE = "schema/"

DESCRIPTION = """\
Buy Open edX course runs with Stripe Checkout, read orders, and refund them.

Authenticate with the LMS's JWT (`Authorization: JWT <token>`, e.g. from the LMS's OAuth2
client-credentials token endpoint) or the LMS session cookie (unsafe methods then need the
`X-CSRFToken` header). Money is an integer in minor units of `currency` (4900 usd = 49.00 USD);
the server always sets the price. Lists are paginated with `page` and `page_size` (at most 100).
Errors are `{"detail": "...", "code": "..."}`, or `{"<field>": ["..."]}` for invalid input.
"""


class SchemaView(SpectacularAPIView):
    """``GET /api/commerce_plugin/v1/schema/``: the OpenAPI document (YAML; ``?format=json`` for JSON)."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (AllowAny,)
    schema = AutoSchema()
    custom_settings = {
        "TITLE": "Open edX commerce API",
        "DESCRIPTION": DESCRIPTION,
        "VERSION": "v1",
        "COMPONENT_SPLIT_REQUEST": True,
    }

    @document(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Generate the document for the v1 routes, mounted where this request found them."""
        prefix = request.path_info.removeprefix("/").removesuffix(SCHEMA_ROUTE)
        self.urlconf = [path(prefix, include(V1_URLS))]
        return super().get(request, *args, **kwargs)
