"""Admin of the catalog: products are the one thing staff edit freely (price, windows, seats).

Withdrawing a course run from sale (and refunding everyone who bought it) is an action that goes
through :func:`commerce_plugin.api.cancel_course_sales`, after a confirmation page with a reason.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from commerce_plugin import api
from commerce_plugin.admin.confirm import confirmation_form, render_confirmation
from commerce_plugin.admin.readonly import RemoteActionsMixin
from commerce_plugin.data import OrderStatus
from commerce_plugin.models import Order, Product
from commerce_plugin.money import format_money

__all__ = ["ProductAdmin", "ProductAdminForm", "WithdrawForm"]

log = logging.getLogger(__name__)

_CURRENCY = re.compile(r"^[a-z]{3}$")


class ProductAdminForm(forms.ModelForm):
    """Catches what would otherwise fail later, at checkout: a malformed course key or currency."""

    class Meta:
        model = Product
        fields = ("title", "course_key", "mode", "price", "currency", "sale_starts_at", "sale_ends_at",
                  "seat_limit", "refund_window_days", "is_active")
        help_texts = {
            "course_key": _("The course run id, e.g. course-v1:Org+Course+Run."),
            "price": _("In minor units of the currency: 4900 USD is 49.00 USD; 5000 JPY is 5000 JPY."),
            "currency": _("ISO 4217 code in lower case, as Stripe takes it: usd, eur, jpy."),
            "seat_limit": _("Leave empty for no limit."),
            "refund_window_days": _("Days a buyer may get a full refund, counted from the payment or the course "
                                    "start, whichever is later. Leave empty to use COMMERCE_REFUND_WINDOW_DAYS."),
        }

    def clean_course_key(self) -> CourseKey:
        value = self.cleaned_data["course_key"]
        try:
            return value if isinstance(value, CourseKey) else CourseKey.from_string(str(value).strip())
        except InvalidKeyError as exc:
            raise forms.ValidationError(
                _("%(value)s is not a course run id; expected something like course-v1:Org+Course+Run."),
                params={"value": value}, code="invalid_course_key") from exc

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].strip()
        if not _CURRENCY.match(value):
            raise forms.ValidationError(_("Use the three-letter currency code in lower case, e.g. usd."),
                                        code="invalid_currency")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("sale_starts_at"), cleaned.get("sale_ends_at")
        if starts and ends and ends <= starts:
            self.add_error("sale_ends_at", _("The sale must end after it starts."))
        return cleaned


class WithdrawForm(forms.Form):
    """The reason of a withdrawal: kept on every refund it creates and in every canceled order's history."""

    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Required: why the course run is withdrawn (e.g. the course was cancelled)."))


@admin.register(Product)
class ProductAdmin(RemoteActionsMixin, admin.ModelAdmin):
    """Products: what is for sale, at what price, with how many seats left."""

    form = ProductAdminForm
    list_display = ("title", "course_key", "mode", "price_display", "currency", "seat_limit", "seats_taken",
                    "is_active", "sale_window")
    list_filter = ("is_active", "mode", "currency")
    search_fields = ("title", "course_key")
    readonly_fields = ("uuid", "price_display", "seats_taken", "created", "modified")
    actions = ("withdraw_and_refund",)
    fieldsets = (
        (None, {"fields": ("title", "course_key", "mode", "is_active", "uuid")}),
        (_("Price"), {"fields": ("price", "currency", "price_display")}),
        (_("Sale"), {"fields": ("sale_starts_at", "sale_ends_at", "seat_limit", "seats_taken")}),
        (_("Refunds"), {"fields": ("refund_window_days",)}),
        (_("Record"), {"fields": ("created", "modified")}),
    )

    @admin.display(description=_("price"), ordering="price")
    def price_display(self, product: Product) -> str:
        return format_money(product.price, product.currency) if product.pk else "-"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Product]:
        """Seats counted in the list's own query, not once per row."""
        return api.with_seats_taken(super().get_queryset(request))

    @admin.display(description=_("seats taken"))
    def seats_taken(self, product: Product) -> int | str:
        """Orders holding a seat now (the same count checkout uses); only for limited products."""
        if not product.pk or product.seat_limit is None:
            return "-"
        counted = getattr(product, "seats_taken_now", None)  # absent on a freshly saved product
        return counted if counted is not None else api.product_to_data(product).seats_taken or 0

    @admin.display(description=_("sale window"))
    def sale_window(self, product: Product) -> str:
        if not product.sale_starts_at and not product.sale_ends_at:
            return str(_("always"))
        start = f"{localtime(product.sale_starts_at):%Y-%m-%d %H:%M}" if product.sale_starts_at else "…"
        end = f"{localtime(product.sale_ends_at):%Y-%m-%d %H:%M}" if product.sale_ends_at else "…"
        return f"{start} – {end}"

    @admin.action(description=_("Withdraw from sale and refund everyone"), permissions=["change"])
    def withdraw_and_refund(self, request: HttpRequest, queryset: QuerySet[Product]) -> HttpResponse | None:
        """Stop selling the selected products' course runs, cancel pending orders and refund paid ones.

        Asks first (a confirmation page with the orders concerned and a required reason), then says
        per course run how many orders were canceled, refunded and skipped.
        """
        course_keys = sorted({str(key) for key in queryset.values_list("course_key", flat=True)})
        form = confirmation_form(request, WithdrawForm)
        if not form.is_bound or not form.is_valid():
            return render_confirmation(
                self, request, queryset, action="withdraw_and_refund",
                title=gettext("Withdraw from sale and refund everyone"),
                intro=gettext("Every product of these course runs stops selling; pending orders are canceled and "
                              "paid orders refunded in full, which ends their enrollments:"),
                items=self._withdraw_summary(course_keys), form=form,
                submit_label=gettext("Withdraw and refund"))
        reason = form.cleaned_data["reason"].strip()
        for course_key in course_keys:
            try:
                outcome = api.cancel_course_sales(course_key, staff=request.user, reason=reason)
            except Exception as exc:  # one run failing must not hide the others' results
                log.exception("admin cancel_course_sales course=%s failed", course_key)
                self.message_user(request, gettext("%(course)s: could not be withdrawn (%(error)s).") % {
                    "course": course_key, "error": type(exc).__name__}, messages.ERROR)
                continue
            self.message_user(request, gettext(
                "%(course)s withdrawn from sale. Pending orders canceled: %(canceled)d; paid orders refunded: "
                "%(refunded)d; skipped: %(skipped)d.") % {
                "course": course_key, "canceled": len(outcome["canceled"]), "refunded": len(outcome["refunded"]),
                "skipped": len(outcome["skipped"])}, messages.SUCCESS)
            if outcome["skipped"]:
                self.message_user(request, gettext("%(course)s: orders skipped (nothing to cancel or refund): "
                                                   "%(numbers)s.") % {
                    "course": course_key, "numbers": ", ".join(outcome["skipped"])}, messages.WARNING)
        return None

    def _withdraw_summary(self, course_keys: list[str]) -> list[str]:
        """One line per course run: how many orders the withdrawal will cancel and refund."""
        counts = {str(row["course_key"]): row for row in Order.objects.filter(course_key__in=course_keys)
                  .values("course_key").annotate(pending=Count("pk", filter=Q(status="pending")),
                                                 paid=Count("pk", filter=Q(status__in=[
                                                     status.value for status in OrderStatus
                                                     if status.staff_refundable])))}
        return [gettext("%(course)s: %(pending)d pending orders to cancel, %(paid)d paid orders to refund.") % {
            "course": key, "pending": counts.get(key, {}).get("pending", 0), "paid": counts.get(key, {}).get("paid", 0)}
            for key in course_keys]
