"""Orders and their audited status history."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from opaque_keys.edx.django.models import CourseKeyField

from commerce_plugin.data import OrderStatus
from commerce_plugin.models.history import StatusChange

ORDER_STATUS_CHOICES = [(status.value, status.value.replace("_", " ")) for status in OrderStatus]


class Order(models.Model):
    """A learner's purchase of one product.

    The status changes only through ``orders.states.transition`` (one table of allowed moves,
    a row lock and an :class:`OrderStatusChange` row per move). Product, course, mode, amount and
    currency are copied at creation, so later catalog edits never change what was sold.
    ``number`` is the human-facing reference (receipts, support); ``uuid`` goes to Stripe metadata.

    .. pii: the buyer's email address, copied from the account at purchase (receipts, support search)
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commerce_orders")
    email = models.EmailField(_("email at purchase"), db_index=True)
    product = models.ForeignKey("commerce_plugin.Product", on_delete=models.PROTECT, related_name="orders")
    course_key = CourseKeyField(max_length=255, db_index=True)
    mode = models.CharField(max_length=100)
    amount = models.PositiveIntegerField(_("amount (minor units)"))
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=ORDER_STATUS_CHOICES, default=OrderStatus.PENDING.value,
                              db_index=True)
    expires_at = models.DateTimeField(_("seat held until"), null=True, blank=True, db_index=True)
    stripe_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.number


class OrderStatusChange(StatusChange):
    """One move of an order's status (see :class:`~commerce_plugin.models.history.StatusChange`).

    .. no_pii:
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} -> {self.to_status}"
