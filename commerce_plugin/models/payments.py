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
    """A verified Stripe webhook event, stored before it is applied (by a task, ADR 0020).

    Unique ``stripe_event_id``: a replayed or concurrent delivery finds the row and changes nothing.
    Until it is applied, ``processed_at`` is empty and ``next_attempt_at`` says when the periodic
    sweep runs it (a lost task, or the retry after a failure, whose message is in ``error``). After
    too many ``attempts`` it is ``parked_at``: no more automatic retries, and staff see it.

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
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True,
                                           help_text="when the sweep applies it, if no task has")
    parked_at = models.DateTimeField(null=True, blank=True,
                                     help_text="set after too many failed attempts: waits for staff")

    class Meta:
        ordering = ("received_at", "id")

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_event_id}"

    @property
    def status(self) -> str:
        """``processed``, ``parked``, ``retrying`` (failed, will retry) or ``queued``."""
        if self.processed_at is not None:
            return "processed"
        if self.parked_at is not None:
            return "parked"
        return "retrying" if self.attempts else "queued"
