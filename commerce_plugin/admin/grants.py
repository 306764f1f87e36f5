"""Admin of the enrollment side: syncs (with "Retry now") and the grants behind them."""
from __future__ import annotations

import logging

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from commerce_plugin import api
from commerce_plugin.admin.access import person_link
from commerce_plugin.admin.readonly import HistoryAdmin, HistoryInline, RemoteActionsMixin
from commerce_plugin.models import EnrollmentSync, Grant, SyncAttempt

__all__ = ["EnrollmentSyncAdmin", "GrantAdmin"]

log = logging.getLogger(__name__)


class SyncAttemptInline(HistoryInline):
    """Every LMS call the sync engine made for this pair, newest first."""

    model = SyncAttempt
    fields = ("created", "action", "outcome", "status_code", "detail")
    verbose_name_plural = _("LMS calls")


@admin.register(EnrollmentSync)
class EnrollmentSyncAdmin(RemoteActionsMixin, HistoryAdmin):
    """Where each (person, course run) stands against the LMS; failed ones can be retried at once."""

    list_display = ("email", "course_key", "state", "lms_state", "attempts", "next_attempt_at", "last_error_short")
    list_filter = ("state",)
    search_fields = ("email", "course_key")
    readonly_fields = ("lms_state",)
    actions = ("retry_now",)
    inlines = (SyncAttemptInline,)

    @admin.display(description=_("LMS state"))
    def lms_state(self, sync: EnrollmentSync) -> str:
        if sync.lms_active is None:
            return str(_("never read"))
        return f"{_('enrolled')} ({sync.lms_mode})" if sync.lms_active else str(_("not enrolled"))

    @admin.display(description=_("last error"))
    def last_error_short(self, sync: EnrollmentSync) -> str:
        return sync.last_error if len(sync.last_error) <= 80 else f"{sync.last_error[:79]}…"

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[EnrollmentSync]) -> None:
        """Run each selected sync at once through the API, and say where each one ended up."""
        results, errors = [], []
        for sync in queryset:
            label = f"{sync.email} / {sync.course_key}"
            try:
                state = api.retry_sync(sync.pk)
            except Exception as exc:  # one broken record must not hide the others' results
                log.exception("admin retry_sync sync=%s failed", sync.pk)
                errors.append(f"{label}: {type(exc).__name__}")
                continue
            results.append(f"{label}: {state.replace('_', ' ')}")
        self.report_retries(request, results, errors)


@admin.register(Grant)
class GrantAdmin(HistoryAdmin):
    """The reasons people hold course runs; changed only by orders, rules and staff flows, not here."""

    list_display = ("person", "course_key", "mode", "source", "source_ref", "starts_at", "ends_at", "revoked_at")
    list_filter = ("source",)
    search_fields = ("email", "course_key")

    @admin.display(description=_("email"), ordering="email")
    def person(self, grant: Grant) -> str:
        """The email, linked to the person page ("who has access and why")."""
        return person_link(grant.email)
