"""Admin of the catalog: products are the one thing staff edit freely (price, window, seats)."""
from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from commerce_plugin import api
from commerce_plugin.models import Product
from commerce_plugin.money import format_money

__all__ = ["ProductAdmin", "ProductAdminForm"]

_CURRENCY = re.compile(r"^[a-z]{3}$")


class ProductAdminForm(forms.ModelForm):
    """Catches what would otherwise fail later, at checkout: a malformed course key or currency."""

    class Meta:
        model = Product
        fields = ("title", "course_key", "mode", "price", "currency", "sale_starts_at", "sale_ends_at",
                  "seat_limit", "is_active")
        help_texts = {
            "course_key": _("The course run id, e.g. course-v1:Org+Course+Run."),
            "price": _("In minor units of the currency: 4900 USD is 49.00 USD; 5000 JPY is 5000 JPY."),
            "currency": _("ISO 4217 code in lower case, as Stripe takes it: usd, eur, jpy."),
            "seat_limit": _("Leave empty for no limit."),
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


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """Products: what is for sale, at what price, with how many seats left."""

    form = ProductAdminForm
    list_display = ("title", "course_key", "mode", "price_display", "currency", "seat_limit", "seats_taken",
                    "is_active", "sale_window")
    list_filter = ("is_active", "mode", "currency")
    search_fields = ("title", "course_key")
    readonly_fields = ("uuid", "price_display", "seats_taken", "created", "modified")
    fieldsets = (
        (None, {"fields": ("title", "course_key", "mode", "is_active", "uuid")}),
        (_("Price"), {"fields": ("price", "currency", "price_display")}),
        (_("Sale"), {"fields": ("sale_starts_at", "sale_ends_at", "seat_limit", "seats_taken")}),
        (_("Record"), {"fields": ("created", "modified")}),
    )

    @admin.display(description=_("price"), ordering="price")
    def price_display(self, product: Product) -> str:
        return format_money(product.price, product.currency) if product.pk else "-"

    @admin.display(description=_("seats taken"))
    def seats_taken(self, product: Product) -> int | str:
        """Orders holding a seat now (the same count checkout uses); only for limited products."""
        if not product.pk or product.seat_limit is None:
            return "-"
        return api.product_to_data(product).seats_taken or 0

    @admin.display(description=_("sale window"))
    def sale_window(self, product: Product) -> str:
        if not product.sale_starts_at and not product.sale_ends_at:
            return str(_("always"))
        start = f"{localtime(product.sale_starts_at):%Y-%m-%d %H:%M}" if product.sale_starts_at else "…"
        end = f"{localtime(product.sale_ends_at):%Y-%m-%d %H:%M}" if product.sale_ends_at else "…"
        return f"{start} – {end}"
