"""The base of every v1 view: authentication, permissions, schema and error mapping declared here.

Declaring them on our views, instead of trusting the host's ``REST_FRAMEWORK`` defaults, makes
the API behave the same in every LMS: the LMS's JWT or session login (with CSRF), drf-spectacular's
``AutoSchema`` even where the host's ``DEFAULT_SCHEMA_CLASS`` is DRF's own, and plugin errors
mapped to HTTP by :mod:`commerce_plugin.rest_api.v1.errors`.

Views are non-atomic: the LMS runs requests in a transaction (``ATOMIC_REQUESTS``), but
:func:`commerce_plugin.api.create_order` must commit the order before it calls Stripe, and
``on_commit`` work (enrollment syncs) must not wait for the end of the request.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce_plugin.rest_api.v1.auth import AUTHENTICATION_CLASSES
from commerce_plugin.rest_api.v1.errors import commerce_exception_handler
from commerce_plugin.rest_api.v1.openapi import AutoSchema
from commerce_plugin.rest_api.v1.pagination import CommercePagination
from commerce_plugin.rest_api.v1.parsers import CommerceJSONParser

__all__ = ["CommerceAPIView"]


@method_decorator(transaction.non_atomic_requests, name="dispatch")
class CommerceAPIView(APIView):
    """A v1 endpoint: JWT or session, authenticated unless a view says otherwise, JSON bodies, errors mapped."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = (IsAuthenticated,)
    parser_classes = (CommerceJSONParser,)
    pagination_class = CommercePagination
    schema = AutoSchema()
    #: The ``detail`` of a 404 when :mod:`commerce_plugin.api` raises ``NotFound`` in this view.
    not_found_message: Any = _("Not found.")

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        return commerce_exception_handler

    def paginated(self, request: Request, items: Iterable[Any], render: Callable[[list[Any]], Any]) -> Response:
        """One page of ``items`` (a queryset) in the Open edX envelope; ``render`` turns the page into JSON.

        Written out rather than edx-drf-extensions' ``paginate_manually``: that helper exists only
        from 10.8.0, and the LMS pins 10.6.0 (ADR 0011). An ImportError in a URL module takes the
        whole LMS URLconf down, so every call here stays on APIs of the LMS's pinned versions.
        """
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(render(list(page or [])))
