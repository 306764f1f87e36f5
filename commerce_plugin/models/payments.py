"""The payment ledger and the Stripe events we received."""
from __future__ import annotations

from django.db import models

from commerce_plugin.data import PaymentKind
from commerce_plugin.limits import STRIPE_EVENT_TYPE_MAX_LENGTH, STRIPE_ID_MAX_LENGTH

PAYMENT_KINDS = [(kind.value, kind.value) for kind in PaymentKind]


class Payment(models.Model):
    """One movement of money on an order: a payment (positive) or a refund (negative). Append-only.

    ``stripe_id`` (the PaymentIntent or Refund id) is unique: the database, not the code, makes a
    repeated Stripe event record a payment once. Balances are computed from these rows.

    .. no_pii:
    """

    order = models.ForeignKey("commerce_plugin.Order", on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=20, choices=PAYMENT_KINDS)
    amount = models.IntegerField(help_text="minor units; refunds are negative")
    currency = models.CharField(max_length=3)
    stripe_id = models.CharField(max_length=STRIPE_ID_MAX_LENGTH, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} {self.currency} ({self.stripe_id})"


class StripeEvent(models.Model):
    """A verified Stripe webhook event, stored before it is applied.

    Unique ``stripe_event_id``: a replayed or concurrent delivery finds the row and changes nothing.
    ``processed_at`` stays empty and ``error`` holds the failure when applying it raised, so staff
    can see and replay it.

    .. no_pii:
    """

    stripe_event_id = models.CharField(max_length=STRIPE_ID_MAX_LENGTH, unique=True)
    type = models.CharField(max_length=STRIPE_EVENT_TYPE_MAX_LENGTH, db_index=True)
    object_id = models.CharField(max_length=STRIPE_ID_MAX_LENGTH, blank=True, db_index=True)
    order = models.ForeignKey("commerce_plugin.Order", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="stripe_events")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ("received_at", "id")

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"
