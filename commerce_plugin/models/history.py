"""What every audited status change records, whatever it is the status of (orders, refunds)."""
from __future__ import annotations

from django.db import models

from commerce_plugin.limits import NOTE_MAX_LENGTH


class StatusChange(models.Model):
    """One move of a status: from, to, who (``system``, ``stripe``, ``user:<id>``, ``staff:<id>``;
    never an email), why, when. Append-only; concrete subclasses add the foreign key."""

    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=100)
    reason = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ("created", "id")
