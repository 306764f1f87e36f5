"""Admin of orders: search by number or email, the full history on one page, cancel and refund through the API."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from commerce_plugin import api
from commerce_plugin.admin.access import person_link
from commerce_plugin.admin.readonly import HistoryAdmin, HistoryInline, RemoteActionsMixin
from commerce_plugin.admin.syncdisplay import render_sync
from commerce_plugin.data import OrderStatus
from commerce_plugin.models import EnrollmentSync, Order, OrderStatusChange, Payment, Refund, StripeEvent
from commerce_plugin.money import format_money

__all__ = ["OrderAdmin", "StaffRefundForm"]

class StatusChangeInline(HistoryInline):
    """Every move of the order's status: from, to, who, why, when."""

    model = OrderStatusChange
    fields = ("created", "from_status", "to_status", "actor", "reason")
    verbose_name = _("status change")
    verbose_name_plural = _("status history")


class PaymentInline(HistoryInline):
    """The money that moved on this order (payments positive, refunds negative)."""

    model = Payment
    fields = ("created", "kind", "amount_display", "stripe_id")

    @admin.display(description=_("amount"))
    def amount_display(self, payment: Payment) -> str:
        return format_money(payment.amount, payment.currency)


class StripeEventInline(HistoryInline):
    """The Stripe events applied to this order, with the error of any that failed to apply."""

    model = StripeEvent
    fields = ("stripe_event_id", "type", "received_at", "processed_at", "error")
    verbose_name_plural = _("Stripe events")


class RefundInline(HistoryInline):
    """The order's refunds, newest first; each links to its page (history, decision)."""

    model = Refund
    fields = ("created", "amount_display", "status", "source", "reason", "note", "override", "completed_at")
    show_change_link = True

    @admin.display(description=_("amount"))
    def amount_display(self, refund: Refund) -> str:
        return format_money(refund.amount, refund.currency)


class StaffRefundForm(forms.Form):
    """A staff refund: an optional partial amount, and the reason kept in the order's history."""

    amount = forms.IntegerField(
        label=_("Amount (minor units)"), required=False, min_value=1,
        help_text=_("In minor units of the order's currency: 1000 USD is 10.00 USD. "
                    "Leave empty to refund everything that remains."))
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Required: why the order is refunded regardless of the refund policy. Kept in the history."))


@admin.register(Order)
class OrderAdmin(RemoteActionsMixin, HistoryAdmin):
    """Orders are records: read-only here; their status moves only through the state machine."""

    list_display = ("number", "person", "product", "amount_display", "status", "created", "paid_at")
    list_filter = ("status", "currency", "created")
    search_fields = ("number", "email")
    list_select_related = ("product",)
    date_hierarchy = "created"
    actions = ("cancel_pending", "refund_override")
    readonly_fields = ("person", "amount_display", "enrollment_sync", "refund_button")
    fieldsets = (
        (None, {"fields": ("number", "uuid", "status", "user", "person", "failure_reason")}),
        (_("What was sold"), {"fields": ("product", "course_key", "mode", "amount_display", "amount", "currency")}),
        (_("Payment"), {"fields": ("created", "expires_at", "paid_at", "stripe_session_id", "checkout_url",
                                   "modified")}),
        (_("Enrollment"), {"fields": ("enrollment_sync",)}),
        (_("Refunds"), {"fields": ("refund_button",)}),
    )
    inlines = (StatusChangeInline, PaymentInline, RefundInline, StripeEventInline)

    @admin.display(description=_("email"), ordering="email")
    def person(self, order: Order) -> str:
        """The buyer's email, linked to the person page ("who has access and why")."""
        return person_link(order.email)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, order: Order) -> str:
        return format_money(order.amount, order.currency)

    @admin.display(description=_("enrollment sync"))
    def enrollment_sync(self, order: Order) -> SafeString:
        """The sync of the order's (email, course run): is the learner enrolled, and if not, why."""
        sync = EnrollmentSync.objects.filter(email=order.email.lower(), course_key=order.course_key).first()
        return render_sync(sync)

    @admin.action(description=_("Cancel selected pending orders"), permissions=["change"])
    def cancel_pending(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        """Cancel through the API (Stripe's page is closed, the seat freed); other statuses are left alone."""
        canceled, refused = [], []
        for order in queryset:
            try:
                result = api.cancel_order(order.number, user=request.user)
            except (api.InvalidTransition, api.NotFound, api.PaymentGatewayError) as exc:
                refused.append(f"{order.number} ({exc})")
                continue
            if result.status == "canceled":
                canceled.append(order.number)
            else:  # Stripe reported the payment as we closed the page: the order is paid, not canceled
                refused.append(f"{order.number} ({result.status})")
        if canceled:
            self.message_user(request, ngettext("Canceled %(count)d order: %(numbers)s.",
                                                "Canceled %(count)d orders: %(numbers)s.", len(canceled))
                              % {"count": len(canceled), "numbers": ", ".join(canceled)}, messages.SUCCESS)
        if refused:
            self.message_user(request, _("Not canceled: %(orders)s.") % {"orders": "; ".join(refused)},
                              messages.WARNING)

    @admin.display(description=_("staff refund"))
    def refund_button(self, order: Order) -> SafeString | str:
        """The way to the staff refund form, for orders that were paid."""
        if not OrderStatus(order.status).staff_refundable:
            return gettext("Only paid orders can be refunded.")
        url = reverse("admin:commerce_plugin_order_refund", args=[order.pk])
        return format_html('<a class="button" id="staff-refund-link" href="{}">{}</a>', url,
                           gettext("Refund (staff override)"))

    @admin.action(description=_("Refund (staff override)"), permissions=["change"])
    def refund_override(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        """Open the staff refund form of the one selected order."""
        orders = list(queryset[:2])
        if len(orders) != 1:
            self.message_user(request, gettext("Select exactly one order to refund."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:commerce_plugin_order_refund", args=[orders[0].pk]))

    def get_urls(self) -> list[URLPattern]:
        refund_view = transaction.non_atomic_requests(self.admin_site.admin_view(self.staff_refund_view))
        return [path("<path:object_id>/refund/", refund_view, name="commerce_plugin_order_refund"),
                *super().get_urls()]

    def staff_refund_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """``<order>/refund/``: refund an order regardless of the policy (partial allowed), with a reason."""
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404(gettext("No such order."))
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        change_url = reverse("admin:commerce_plugin_order_change", args=[order.pk])
        form = StaffRefundForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                refund = api.staff_refund(order.number, staff=request.user, reason=form.cleaned_data["reason"],
                                          amount=form.cleaned_data["amount"])
            except api.RefundAmountInvalid as exc:
                form.add_error("amount", gettext("The amount must be between 1 and %(refundable)s (%(money)s): "
                                                 "that is what remains refundable.") % {
                    "refundable": exc.refundable, "money": format_money(exc.refundable, order.currency)})
            except api.RefundNotAllowed as exc:
                form.add_error(None, api.reason_text(exc.reason))
            except api.CommerceRequestError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, gettext("Refund of %(amount)s for order %(number)s: %(status)s.") % {
                    "amount": format_money(refund.amount, refund.currency), "number": order.number,
                    "status": refund.status}, messages.ERROR if refund.status == "failed" else messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return TemplateResponse(request, "commerce_plugin/admin/staff_refund.html",
                                self._staff_refund_context(request, order, form, change_url))

    def _staff_refund_context(self, request: HttpRequest, order: Order, form: StaffRefundForm,
                              change_url: str) -> dict[str, Any]:
        decision_text = refundable_text = ""
        if OrderStatus(order.status).is_paid:
            decision = api.refund_decision(order.number, user=request.user)
            decision_text = api.decision_text(decision)
            refundable_text = format_money(decision.amount, decision.currency)
        return {
            **self.admin_site.each_context(request),
            "title": gettext("Refund order %(number)s (staff override)") % {"number": order.number},
            "subtitle": None,
            "opts": self.opts,
            "original": order,
            "order": order,
            "change_url": change_url,
            "amount_text": format_money(order.amount, order.currency),
            "decision_text": decision_text,
            "refundable_text": refundable_text,
            "refunds": [{"refund": refund, "amount_text": format_money(refund.amount, refund.currency)}
                        for refund in order.refunds.all()],
            "form": form,
            "media": self.media + form.media,
            "has_change_permission": True,
        }
