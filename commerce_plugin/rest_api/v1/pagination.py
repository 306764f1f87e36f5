"""Pagination of list endpoints: the Open edX envelope, described in the OpenAPI schema too.

``DefaultPagination`` (edx-drf-extensions) is what the LMS's own APIs use: page numbers,
``page_size`` up to 100 and the envelope ``count, num_pages, current_page, start, next, previous,
results``. DRF's schema of ``PageNumberPagination`` only knows ``count, next, previous, results``,
so this subclass adds the other three to the schema, leaving the responses untouched.
"""
from __future__ import annotations

from typing import Any

from edx_rest_framework_extensions.paginators import DefaultPagination

__all__ = ["CommercePagination"]


class CommercePagination(DefaultPagination):
    """``DefaultPagination`` with a schema matching its envelope."""

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The envelope around a page of ``schema`` items."""
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"].update({
            "num_pages": {"type": "integer", "example": 3},
            "current_page": {"type": "integer", "example": 1},
            "start": {"type": "integer", "example": 0, "description": "Index of the page's first item."},
        })
        envelope["required"] = ["count", "num_pages", "current_page", "start", "next", "previous", "results"]
        return envelope
