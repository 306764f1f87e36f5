"""Absolute URLs of the learner pages that API responses point to.

The API answers third parties and mobile apps, which need full URLs, not paths. The pages are
reversed by name (``commerce_plugin:checkout``, ``commerce_plugin:receipt``), so the links follow
wherever the LMS mounts the plugin; the host is the one the client used, as for the base URL that
:func:`commerce_plugin.api.create_order` gives Stripe for its return links.
"""
from __future__ import annotations

from uuid import UUID

from django.urls import reverse
from rest_framework.request import Request

__all__ = ["base_url", "checkout_page_url", "receipt_page_url"]


def base_url(request: Request) -> str:
    """The site root as the client reached it, e.g. ``https://lms.example.com/``."""
    return request.build_absolute_uri("/")


def checkout_page_url(request: Request, product_uuid: UUID | str) -> str:
    """The learner's checkout page of a product."""
    return request.build_absolute_uri(reverse("commerce_plugin:checkout", kwargs={"product_uuid": product_uuid}))


def receipt_page_url(request: Request, order_number: str) -> str:
    """The learner's receipt page of an order."""
    return request.build_absolute_uri(reverse("commerce_plugin:receipt", kwargs={"number": order_number}))
