"""Refunds and their audited status history."""
from __future__ import annotations

import uuid

from django.db import models

from commerce_plugin.data import RefundStatus
from commerce_plugin.models.history import StatusChange

REFUND_STATUS_CHOICES = [(status.value, status.value) for status in RefundStatus]
REFUND_SOURCES = [
    ("learner", "learner request"),
    ("staff", "staff"),
    ("dashboard", "Stripe dashboard"),
    ("auto_unenroll", "unenrolled in the LMS"),
    ("course_removed", "course run withdrawn"),
]


class Refund(models.Model):
    """Money going back to the buyer of an order: requested, decided, sent to Stripe, settled.

    The amount (minor units of the order's currency) was checked against the order's remaining
    refundable balance under the order's row lock when the refund was created. ``uuid`` is the
    Stripe idempotency key and metadata, so a retried call can never refund twice and a lost
    answer can be found again. ``stripe_refund_id`` is unique: a refund made in the Stripe
    dashboard and reported twice is recorded once. ``order_status_before`` is where the order
    goes back to when the refund does not complete it.

    .. no_pii:
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey("commerce_plugin.Order", on_delete=models.PROTECT, related_name="refunds")
    amount = models.PositiveIntegerField(help_text="minor units")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=REFUND_STATUS_CHOICES, default=RefundStatus.REQUESTED.value,
                              db_index=True)
    source = models.CharField(max_length=20, choices=REFUND_SOURCES)
    reason = models.CharField(max_length=60, help_text="the policy's reason code when requested")
    note = models.TextField(blank=True, help_text="staff decision note or override reason")
    override = models.BooleanField(default=False, help_text="granted by staff regardless of the policy")
    requested_by = models.CharField(max_length=100)
    decided_by = models.CharField(max_length=100, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    order_status_before = models.CharField(max_length=20, blank=True)
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"refund {self.amount} {self.currency} of {self.order_id} [{self.status}]"


class RefundStatusChange(StatusChange):
    """One move of a refund's status (see :class:`~commerce_plugin.models.history.StatusChange`).

    .. no_pii:
    """

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.refund_id}: {self.from_status or '-'} -> {self.to_status}"
