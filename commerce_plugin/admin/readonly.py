"""Building blocks for admin pages that show history without letting anyone rewrite it."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

__all__ = ["HistoryAdmin", "HistoryInline", "RemoteActionsMixin"]


class RemoteActionsMixin:
    """For admins whose actions call Stripe or the LMS through the API (retry, refund, cancel).

    The LMS runs each request in one transaction (``ATOMIC_REQUESTS``). An action that calls a
    remote service must not hold that transaction (and its row locks) open across the call, and
    its after-commit work must run when each step commits, not at the end of the page.
    """

    def report_retries(self, request: HttpRequest, results: list[str], errors: list[str]) -> None:
        """One success message for what was retried, one error message for what could not be."""
        if results:
            self.message_user(request, _("Retried: %(results)s.") % {"results": "; ".join(results)},  # type: ignore[attr-defined]
                              messages.SUCCESS)
        if errors:
            self.message_user(request, _("Could not retry: %(errors)s.") % {"errors": "; ".join(errors)},  # type: ignore[attr-defined]
                              messages.ERROR)

    @transaction.non_atomic_requests
    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return super().changelist_view(request, extra_context)


class HistoryInline(admin.TabularInline):
    """A read-only table of related rows: no add, change or delete (the rows are an audit trail)."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.fields or [])

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryAdmin(admin.ModelAdmin):
    """A model staff may look at (and act on through actions) but never add, edit or delete.

    Change permission is kept so actions that go through the API can require it; every field is
    read-only and the save buttons are hidden, so the change form is a detail page.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        model_fields = [field.name for field in self.model._meta.fields if not field.primary_key]
        return [*model_fields, *[name for name in self.readonly_fields if name not in model_fields]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.method == "POST":
            # A save would write back every column as read, racing the state machine: refuse it.
            raise PermissionDenied
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False,
                         "show_save_and_add_another": False, "show_delete": False}
        return super().change_view(request, object_id, form_url, extra_context)
