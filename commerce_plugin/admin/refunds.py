"""Admin of refunds: the review queue (approve, or reject with a note) and each refund's audited history.

Refunds are records: read-only here. Decisions go through :func:`commerce_plugin.api.decide_refund`,
which locks the order, re-checks what remains refundable and sends approved refunds to Stripe.
"""
from __future__ import annotations

import logging

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commerce_plugin import api
from commerce_plugin.admin.confirm import confirmation_form, render_confirmation
from commerce_plugin.admin.readonly import HistoryAdmin, HistoryInline, RemoteActionsMixin
from commerce_plugin.models import Refund, RefundStatusChange
from commerce_plugin.money import format_money

__all__ = ["RefundAdmin", "RefundDecisionForm", "refusal_text"]

log = logging.getLogger(__name__)


class RefundStatusChangeInline(HistoryInline):
    """Every move of the refund's status: from, to, who, why, when."""

    model = RefundStatusChange
    fields = ("created", "from_status", "to_status", "actor", "reason")
    verbose_name = gettext_lazy("status change")
    verbose_name_plural = gettext_lazy("status history")


class RefundDecisionForm(forms.Form):
    """The note of a decision: optional to approve, required to reject (the learner reads it)."""

    note = forms.CharField(label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                           max_length=1000)

    def __init__(self, *args: object, note_required: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].help_text = (
            gettext_lazy("Required: the learner sees it on their receipt.") if note_required
            else gettext_lazy("Optional; kept in the refund's history."))


def refusal_text(refund: Refund, exc: Exception) -> str:
    """Why the API refused to act on this refund, in words for staff."""
    if isinstance(exc, api.InvalidRefundTransition):
        return _("not waiting for a decision (it is %(status)s)") % {"status": refund.status}
    if isinstance(exc, api.RefundAmountInvalid):
        return _("only %(amount)s remains refundable on the order") % {
            "amount": format_money(exc.refundable, refund.currency)}
    return str(exc)


@admin.register(Refund)
class RefundAdmin(RemoteActionsMixin, HistoryAdmin):
    """Refunds: find them by order, email or Stripe id; decide the ones waiting for review."""

    list_display = ("order_number", "email", "amount_display", "status", "source", "reason", "override", "created",
                    "completed_at")
    list_filter = ("status", "source", "override")
    search_fields = ("order__number", "order__email", "stripe_refund_id")
    list_select_related = ("order",)
    readonly_fields = ("order_link", "amount_display")
    fieldsets = (
        (None, {"fields": ("uuid", "order_link", "amount_display", "amount", "currency", "status", "source",
                           "reason", "override", "note")}),
        (gettext_lazy("Decision"), {"fields": ("requested_by", "decided_by", "decided_at", "order_status_before")}),
        (gettext_lazy("Stripe"), {"fields": ("stripe_refund_id", "attempts", "next_attempt_at", "lease_until",
                                             "last_error", "created", "completed_at")}),
    )
    inlines = (RefundStatusChangeInline,)
    actions = ("approve_requests", "reject_requests")

    @admin.display(description=gettext_lazy("order"), ordering="order__number")
    def order_number(self, refund: Refund) -> str:
        return refund.order.number

    @admin.display(description=gettext_lazy("email"), ordering="order__email")
    def email(self, refund: Refund) -> str:
        return refund.order.email

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, refund: Refund) -> str:
        return format_money(refund.amount, refund.currency)

    @admin.display(description=gettext_lazy("order"))
    def order_link(self, refund: Refund) -> SafeString:
        url = reverse("admin:commerce_plugin_order_change", args=[refund.order_id])
        return format_html('<a href="{}">{}</a>', url, refund.order.number)

    @admin.action(description=gettext_lazy("Approve selected requests"), permissions=["change"])
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[Refund]) -> HttpResponse | None:
        """Approve (with an optional note): each refund is sent to Stripe; say where each one ended up."""
        return self._decide(request, queryset, approve=True)

    @admin.action(description=gettext_lazy("Reject selected requests"), permissions=["change"])
    def reject_requests(self, request: HttpRequest, queryset: QuerySet[Refund]) -> HttpResponse | None:
        """Reject with a note the learners read (asked on a confirmation page)."""
        return self._decide(request, queryset, approve=False)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Refund], *, approve: bool) -> HttpResponse | None:
        form = confirmation_form(request, RefundDecisionForm, note_required=not approve)
        if not form.is_bound or not form.is_valid():
            refunds = list(queryset.select_related("order"))
            items = [_("%(amount)s for order %(number)s (%(email)s), %(status)s: %(reason)s") % {
                "amount": format_money(refund.amount, refund.currency), "number": refund.order.number,
                "email": refund.order.email, "status": refund.status, "reason": api.reason_text(refund.reason)}
                for refund in refunds]
            return render_confirmation(
                self, request, queryset, action="approve_requests" if approve else "reject_requests",
                title=_("Approve refund requests") if approve else _("Reject refund requests"),
                intro=(_("These refunds will be sent to Stripe; the buyers get their money back and lose the "
                         "enrollment of a fully refunded order:") if approve
                       else _("These requests will be rejected; the buyers see your note on their receipt:")),
                items=items, form=form,
                submit_label=_("Approve and refund") if approve else _("Reject"))
        note = form.cleaned_data["note"].strip()
        done, refused = [], []
        for refund in queryset.select_related("order"):
            try:
                decided = api.decide_refund(str(refund.uuid), staff=request.user, approve=approve, note=note)
            except api.CommerceRequestError as exc:
                refused.append(f"{refund.order.number} ({refusal_text(refund, exc)})")
                continue
            except Exception as exc:  # one broken record must not hide the others' results
                log.exception("admin decide_refund refund=%s failed", refund.uuid)
                refused.append(f"{refund.order.number} ({type(exc).__name__})")
                continue
            done.append(f"{refund.order.number} ({decided.status})")
        if done:
            message = _("Approved: %(refunds)s.") if approve else _("Rejected: %(refunds)s.")
            self.message_user(request, message % {"refunds": ", ".join(done)}, messages.SUCCESS)
        if refused:
            message = _("Not approved: %(refunds)s.") if approve else _("Not rejected: %(refunds)s.")
            self.message_user(request, message % {"refunds": "; ".join(refused)}, messages.WARNING)
        return None
