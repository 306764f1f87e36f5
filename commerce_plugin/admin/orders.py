"""Admin of orders: search by number or email, the full history on one page, cancel through the API."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commerce_plugin import api
from commerce_plugin.admin.readonly import HistoryAdmin, HistoryInline
from commerce_plugin.admin.syncdisplay import render_sync
from commerce_plugin.models import EnrollmentSync, Order, OrderStatusChange, Payment, StripeEvent
from commerce_plugin.money import format_money

__all__ = ["OrderAdmin"]


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


@admin.register(Order)
class OrderAdmin(HistoryAdmin):
    """Orders are records: read-only here; their status moves only through the state machine."""

    list_display = ("number", "email", "product", "amount_display", "status", "created", "paid_at")
    list_filter = ("status", "currency", "created")
    search_fields = ("number", "email")
    list_select_related = ("product",)
    date_hierarchy = "created"
    actions = ("cancel_pending",)
    readonly_fields = ("amount_display", "enrollment_sync")
    fieldsets = (
        (None, {"fields": ("number", "uuid", "status", "user", "email", "failure_reason")}),
        (_("What was sold"), {"fields": ("product", "course_key", "mode", "amount_display", "amount", "currency")}),
        (_("Payment"), {"fields": ("created", "expires_at", "paid_at", "stripe_session_id", "checkout_url",
                                   "modified")}),
        (_("Enrollment"), {"fields": ("enrollment_sync",)}),
    )
    inlines = (StatusChangeInline, PaymentInline, StripeEventInline)

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
