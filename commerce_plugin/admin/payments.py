"""Admin of the Stripe events we received: what arrived, when it was applied, what failed."""
from __future__ import annotations

from django.contrib import admin

from commerce_plugin.admin.readonly import HistoryAdmin
from commerce_plugin.models import StripeEvent

__all__ = ["StripeEventAdmin"]


@admin.register(StripeEvent)
class StripeEventAdmin(HistoryAdmin):
    """Read-only: an event is a fact Stripe told us; replays go through the webhook, not the admin."""

    list_display = ("stripe_event_id", "type", "order", "received_at", "processed_at", "error")
    list_filter = ("type",)
    search_fields = ("stripe_event_id", "type")
    list_select_related = ("order",)
