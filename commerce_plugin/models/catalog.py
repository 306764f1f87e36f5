"""The catalog: what is for sale."""
from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField


class Product(models.Model):
    """One course run sold in one LMS mode at one price.

    Prices are integer minor units of an ISO 4217 currency (``4900`` + ``usd`` = 49.00 USD), as
    Stripe takes them; the server prices every order from here, never from the client.
    ``seat_limit`` caps the orders that hold a seat (pending within their hold, paid, fulfilled).
    ``uuid`` is the identifier seen outside (URLs, API); ``id`` stays internal.

    .. no_pii:
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=255)
    course_key = CourseKeyField(_("course run"), max_length=255, db_index=True)
    mode = models.CharField(_("LMS mode"), max_length=100, default="verified")
    price = models.PositiveIntegerField(_("price (minor units)"))
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    sale_starts_at = models.DateTimeField(_("sale starts"), null=True, blank=True)
    sale_ends_at = models.DateTimeField(_("sale ends"), null=True, blank=True)
    seat_limit = models.PositiveIntegerField(_("seat limit"), null=True, blank=True)
    refund_window_days = models.PositiveIntegerField(
        _("refund window (days)"), null=True, blank=True,
        help_text=_("Overrides COMMERCE_REFUND_WINDOW_DAYS for this product; empty = the setting."))
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("course_key", "price")

    def __str__(self) -> str:
        return f"{self.title} ({self.course_key}, {self.mode})"
