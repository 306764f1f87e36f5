"""Serializers of REST API v1: what clients may send (validated here) and what they get back.

Input serializers check shape and format at the edge, each with a message that says what to send
instead, so :mod:`commerce_plugin.api` only sees well-formed values. Output serializers render
:mod:`commerce_plugin.data` objects; field names are the API's (``course_id``, ``product``), not
the Python ones. Money is always an integer in minor units plus an ISO 4217 currency code.
Nothing a client sends can set a price: the order body has one field, ``product``.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import serializers

from commerce_plugin.data import OrderData, OrderStatus, ProductData
from commerce_plugin.rest_api.v1.links import checkout_page_url, receipt_page_url

__all__ = [
    "AlreadyPurchasedSerializer",
    "CourseKeyField",
    "DateOrDateTimeField",
    "ErrorSerializer",
    "OrderCreateSerializer",
    "OrderFilterSerializer",
    "OrderSerializer",
    "OrderStatusField",
    "ProductFilterSerializer",
    "ProductSerializer",
]

ORDER_STATUSES = [status.value for status in OrderStatus]
ENROLLMENT_STATES = ("enrolled", "enrolling", "waiting", "retrying", "failed", "none")


# ---------------------------------------------------------------------------------------- fields

class CourseKeyField(serializers.CharField):
    """A course run key such as ``course-v1:Org+Course+Run``, kept as its string."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        try:
            return str(CourseKey.from_string(value))
        except InvalidKeyError:
            raise serializers.ValidationError(
                _("%(value)s is not a course key; expected something like course-v1:Org+Course+Run.")
                % {"value": repr(value)}) from None


class OrderStatusField(serializers.ChoiceField):
    """An order status; an unknown one is refused with the list of valid ones."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ORDER_STATUSES, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if str(data) not in ORDER_STATUSES:
            raise serializers.ValidationError(
                _("Unknown status %(value)s; use one of: %(valid)s.")
                % {"value": repr(str(data)), "valid": ", ".join(ORDER_STATUSES)})
        return str(data)


@extend_schema_field({"type": "string", "example": "2026-01-31T13:45:00Z",
                      "description": "ISO 8601 date or datetime; without an offset, the site time zone "
                                     "(UTC in the LMS)."})
class DateOrDateTimeField(serializers.Field):
    """An ISO 8601 date (midnight, in the site's time zone) or datetime; naive ones get the site's zone.

    In a query string, write the UTC offset ``+02:00`` as ``%2B02:00`` (a bare ``+`` reads as a
    space) or use ``Z``.
    """

    def to_internal_value(self, data: Any) -> datetime:
        text = str(data).strip()
        try:
            moment = parse_datetime(text)
            day = None if moment else parse_date(text)
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30
            moment = day = None
        if moment is None and day is not None:
            moment = datetime.combine(day, time.min)
        if moment is None:
            raise serializers.ValidationError(
                _("%(value)s is not a date or datetime; use ISO 8601, e.g. 2026-01-31 or 2026-01-31T13:45:00Z.")
                % {"value": repr(text)})
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def to_representation(self, value: datetime | date) -> str:
        return value.isoformat()


# ----------------------------------------------------------------------------------------- input

class ProductFilterSerializer(serializers.Serializer):
    """Query parameters of the product list."""

    course_id = CourseKeyField(required=False, help_text=gettext_lazy("Only products of this course run."))


class OrderFilterSerializer(serializers.Serializer):
    """Query parameters of the order list."""

    status = OrderStatusField(required=False, help_text=gettext_lazy("Only orders in this status."))
    course_id = CourseKeyField(required=False, help_text=gettext_lazy("Only orders of this course run."))
    email = serializers.EmailField(required=False, help_text=gettext_lazy(
        "Staff only: orders placed with this email address (case-insensitive)."))
    created_after = DateOrDateTimeField(required=False, help_text=gettext_lazy(
        "Orders created at or after this date or datetime."))
    created_before = DateOrDateTimeField(required=False, help_text=gettext_lazy(
        "Orders created before this date or datetime (a date means before that day starts)."))


class OrderCreateSerializer(serializers.Serializer):
    """Body of ``POST /orders/``. Only the product: the server sets the price."""

    product = serializers.UUIDField(
        help_text=gettext_lazy("Uuid of the product to buy, as listed by GET /api/commerce/v1/products/."),
        error_messages={
            "required": gettext_lazy('Send the uuid of the product to buy, as JSON: "product": "<uuid>".'),
            "null": gettext_lazy('Send the uuid of the product to buy, as JSON: "product": "<uuid>".'),
            "invalid": gettext_lazy("Not a product uuid: use the uuid field of an item of "
                                    "GET /api/commerce/v1/products/."),
        },
    )


# ---------------------------------------------------------------------------------------- output

class ProductSerializer(serializers.Serializer):
    """A course run for sale (:class:`commerce_plugin.data.ProductData`)."""

    uuid = serializers.UUIDField(read_only=True)
    title = serializers.CharField(read_only=True)
    course_id = serializers.CharField(source="course_key", read_only=True, help_text="course-v1:Org+Course+Run")
    mode = serializers.CharField(read_only=True, help_text=gettext_lazy("Enrollment mode granted, e.g. verified."))
    price = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "In minor units of the currency: 4900 with usd is 49.00 USD. 0 is free."))
    currency = serializers.CharField(read_only=True, help_text=gettext_lazy("ISO 4217 code, lower case."))
    sale_starts_at = serializers.DateTimeField(read_only=True, allow_null=True)
    sale_ends_at = serializers.DateTimeField(read_only=True, allow_null=True)
    seat_limit = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "Seats for sale; null means unlimited."))
    seats_taken = serializers.IntegerField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "Seats held by paid orders and unexpired pending ones; null when there is no limit."))
    on_sale = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "Active and inside its sale window (a sold-out product may still be on sale)."))
    checkout_url = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The learner's checkout page of this product."))

    def get_checkout_url(self, product: ProductData) -> str:
        return checkout_page_url(self.context["request"], product.uuid)


class OrderSerializer(serializers.Serializer):
    """An order (:class:`commerce_plugin.data.OrderData`)."""

    uuid = serializers.UUIDField(read_only=True)
    number = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The reference on receipts and in support requests."))
    status = serializers.ChoiceField(choices=ORDER_STATUSES, read_only=True)
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    product = serializers.UUIDField(source="product_uuid", read_only=True)
    product_title = serializers.CharField(read_only=True)
    course_id = serializers.CharField(source="course_key", read_only=True)
    mode = serializers.CharField(read_only=True)
    amount = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "Price charged, in minor units of the currency, set by the server from the product."))
    currency = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    paid_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "When a pending order releases its seat; null once it is no longer pending."))
    failure_reason = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Why the last payment attempt failed (a pending order can still be paid)."))
    checkout_url = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Stripe's payment page while the order is pending; empty otherwise (and for free products)."))
    enrollment_state = serializers.ChoiceField(choices=ENROLLMENT_STATES, read_only=True, help_text=gettext_lazy(
        "The LMS enrollment of a paid order: enrolled, enrolling, waiting (no LMS account yet), "
        "retrying, failed; none when not paid."))
    receipt_url = serializers.SerializerMethodField(help_text=gettext_lazy("The learner's receipt page."))

    def get_receipt_url(self, order: OrderData) -> str:
        return receipt_page_url(self.context["request"], order.number)


class ErrorSerializer(serializers.Serializer):
    """Body of an error response (validation errors are ``{field: [messages]}`` instead)."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong and what to do, for people."))
    code = serializers.CharField(required=False, help_text=gettext_lazy("Stable reason, for programs."))


class AlreadyPurchasedSerializer(ErrorSerializer):
    """409 when the learner already holds a paid order for the product."""

    order_number = serializers.CharField()
