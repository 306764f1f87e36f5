"""Admin of the Stripe events we received: what arrived, whether it was applied, what failed.

A stored event is applied by a task and retried by the periodic sweep; after too many failures it
is parked here. "Retry" gives a parked or retrying event a fresh set of attempts and applies it at
once (through the API), and the message says how it ended.
"""
from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commerce_plugin import api
from commerce_plugin.admin.readonly import HistoryAdmin, RemoteActionsMixin
from commerce_plugin.models import StripeEvent

__all__ = ["StripeEventAdmin"]

log = logging.getLogger(__name__)


class EventStatusFilter(admin.SimpleListFilter):
    """Processed, queued, retrying or parked: what staff look for first."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("processed", _("processed")), ("queued", _("queued")), ("retrying", _("retrying")),
                ("parked", _("parked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[StripeEvent]) -> QuerySet[StripeEvent]:
        waiting = Q(processed_at__isnull=True, parked_at__isnull=True)
        conditions = {"processed": Q(processed_at__isnull=False), "parked": Q(parked_at__isnull=False),
                      "queued": waiting & Q(attempts=0), "retrying": waiting & Q(attempts__gt=0)}
        condition = conditions.get(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset


@admin.register(StripeEvent)
class StripeEventAdmin(RemoteActionsMixin, HistoryAdmin):
    """Read-only facts Stripe told us, with "Retry" for events that could not be applied."""

    list_display = ("stripe_event_id", "type", "status", "attempts", "order", "received_at", "processed_at",
                    "next_attempt_at", "error")
    list_filter = (EventStatusFilter, "type")
    search_fields = ("stripe_event_id", "type", "object_id")
    list_select_related = ("order",)
    actions = ("retry",)

    @admin.display(description=_("status"))
    def status(self, obj: StripeEvent) -> str:
        return obj.status

    @admin.action(description=_("Retry (parked or failing events)"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[StripeEvent]) -> None:
        """Apply each selected unprocessed event now, and say how each one ended."""
        results, errors = [], []
        for event in queryset.filter(processed_at__isnull=True):
            try:
                outcome = api.retry_webhook_event(event.pk)
            except Exception as exc:  # one broken event must not hide the others' results
                log.exception("admin retry_webhook_event event=%s failed", event.pk)
                errors.append(f"{event.stripe_event_id}: {type(exc).__name__}")
                continue
            log.info("admin retry_webhook_event event=%s by=admin:%s outcome=%s", event.stripe_event_id,
                     request.user.pk, outcome)
            results.append(f"{event.stripe_event_id}: {outcome}")
        self.report_retries(request, results, errors)
        if not results and not errors:
            self.message_user(request, _("Nothing to retry: the selected events are already processed."),
                              messages.WARNING)
