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

from commerce_plugin import api
from commerce_plugin.data import (
    OrderData,
    OrderStatus,
    ProductData,
    RefundData,
    RefundDecision,
    RefundReason,
    RefundStatus,
)
from commerce_plugin.limits import NOTE_MAX_LENGTH, ORDER_NUMBER_MAX_LENGTH
from commerce_plugin.rest_api.v1.links import checkout_page_url, receipt_page_url

__all__ = [
    "AlreadyPurchasedSerializer",
    "CancelSalesOutcomeSerializer",
    "CancelSalesSerializer",
    "CourseKeyField",
    "DateOrDateTimeField",
    "ErrorSerializer",
    "OrderConflictSerializer",
    "OrderCreateSerializer",
    "OrderFilterSerializer",
    "OrderSerializer",
    "OrderStatusField",
    "ProductFilterSerializer",
    "ProductSerializer",
    "RefundAmountInvalidSerializer",
    "RefundDecideSerializer",
    "RefundDecisionSerializer",
    "RefundFilterSerializer",
    "RefundNotAllowedSerializer",
    "RefundRequestSerializer",
    "RefundRejectSerializer",
    "RefundSerializer",
    "RefundStatusField",
    "RefundSummarySerializer",
]

ORDER_STATUSES = [status.value for status in OrderStatus]
ENROLLMENT_STATES = ("enrolled", "enrolling", "waiting", "retrying", "failed", "none")
REFUND_STATUSES = [status.value for status in RefundStatus]
REFUND_REASONS = [reason.value for reason in RefundReason]


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


class RefundStatusField(serializers.ChoiceField):
    """A refund status; an unknown one is refused with the list of valid ones."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=REFUND_STATUSES, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if str(data) not in REFUND_STATUSES:
            raise serializers.ValidationError(
                _("Unknown status %(value)s; use one of: %(valid)s.")
                % {"value": repr(str(data)), "valid": ", ".join(REFUND_STATUSES)})
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
        help_text=gettext_lazy("Uuid of the product to buy, as listed by GET /api/commerce_plugin/v1/products/."),
        error_messages={
            "required": gettext_lazy('Send the uuid of the product to buy, as JSON: "product": "<uuid>".'),
            "null": gettext_lazy('Send the uuid of the product to buy, as JSON: "product": "<uuid>".'),
            "invalid": gettext_lazy("Not a product uuid: use the uuid field of an item of "
                                    "GET /api/commerce_plugin/v1/products/."),
        },
    )


class RefundRequestSerializer(serializers.Serializer):
    """Body of ``POST /orders/<number>/refund/``: empty for a learner; ``reason`` (and ``amount``) for staff."""

    amount = serializers.IntegerField(
        required=False, min_value=1, help_text=gettext_lazy(
            "Staff only: how much to refund, in minor units of the order's currency (4900 usd = 49.00 USD). "
            "Leave out for everything that remains refundable."),
        error_messages={"invalid": gettext_lazy("Send the amount as a whole number of minor units, e.g. 4900."),
                        "min_value": gettext_lazy("The amount must be at least 1 minor unit.")})
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, help_text=gettext_lazy(
            "Staff only, required for staff: why the order is refunded (kept in the order's history)."))


class _NoteField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=NOTE_MAX_LENGTH, help_text=gettext_lazy(
            "The staff decision note; the learner sees it on the receipt."), **kwargs)


class RefundDecideSerializer(serializers.Serializer):
    """Body of ``POST /refunds/<uuid>/approve/``: an optional note."""

    note = _NoteField(required=False, allow_blank=True)


class RefundRejectSerializer(serializers.Serializer):
    """Body of ``POST /refunds/<uuid>/reject/``: the note is required (the learner reads it)."""

    note = _NoteField(error_messages={
        "required": gettext_lazy("Say why the refund is rejected, as JSON: \"note\": \"...\"; the learner sees it."),
        "blank": gettext_lazy("Say why the refund is rejected: the learner sees the note."),
    })


class RefundFilterSerializer(serializers.Serializer):
    """Query parameters of the refund list (staff)."""

    status = RefundStatusField(required=False, help_text=gettext_lazy("Only refunds in this status."))
    course_id = CourseKeyField(required=False, help_text=gettext_lazy("Only refunds of orders of this course run."))
    order = serializers.CharField(required=False, max_length=ORDER_NUMBER_MAX_LENGTH, help_text=gettext_lazy(
        "Only refunds of this order (its number, e.g. CP-7KQ2M9XH4T)."))


class CancelSalesSerializer(serializers.Serializer):
    """Body of ``POST /course-runs/<course_id>/cancel-sales/``."""

    reason = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, help_text=gettext_lazy(
            "Why the course run is withdrawn; kept on every refund it creates."),
        error_messages={
            "required": gettext_lazy('Say why the course run is withdrawn, as JSON: "reason": "...".'),
            "blank": gettext_lazy("Say why the course run is withdrawn: the reason is kept on every refund."),
        })


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


class RefundSerializer(serializers.Serializer):
    """A refund of an order (:class:`commerce_plugin.data.RefundData`)."""

    uuid = serializers.UUIDField(read_only=True)
    order_number = serializers.CharField(read_only=True)
    amount = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "In minor units of the currency."))
    currency = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=REFUND_STATUSES, read_only=True, help_text=gettext_lazy(
        "requested (waits for staff), approved (on its way to Stripe), succeeded, failed (staff are told), "
        "rejected (see note)."))
    source = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Who started it: learner, staff, dashboard (Stripe dashboard), auto_unenroll, course_removed."))
    reason = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The refund policy's reason code when requested (e.g. eligible, window_closed), or staff_override."))
    reason_message = serializers.SerializerMethodField(help_text=gettext_lazy("The reason in words."))
    note = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The staff decision note, or the reason of a staff refund."))
    override = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "Granted by staff regardless of the refund policy."))
    created = serializers.DateTimeField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_error = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "Why Stripe refused a failed refund; empty otherwise."))

    def get_reason_message(self, refund: RefundData) -> str:
        return api.reason_text(refund.reason)


class RefundDecisionSerializer(serializers.Serializer):
    """The refund policy's answer for an order (:class:`commerce_plugin.data.RefundDecision`)."""

    eligible = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "True when a learner's request would be approved at once."))
    reason = serializers.ChoiceField(choices=REFUND_REASONS, read_only=True)
    message = serializers.SerializerMethodField(help_text=gettext_lazy(
        'The decision in words, e.g. "Refundable until 12 March 2027."'))
    refundable_until = serializers.DateTimeField(read_only=True, allow_null=True, help_text=gettext_lazy(
        "End of the refund window; null when the order was not paid."))
    amount = serializers.IntegerField(read_only=True, help_text=gettext_lazy(
        "What a learner's refund would return now, in minor units."))
    currency = serializers.CharField(read_only=True)

    def get_message(self, decision: RefundDecision) -> str:
        return api.decision_text(decision)


class RefundSummarySerializer(serializers.Serializer):
    """Body of ``GET /orders/<number>/refund/``: the policy's decision and the order's refunds."""

    decision = RefundDecisionSerializer()
    refunds = RefundSerializer(many=True, help_text=gettext_lazy("The order's refunds, newest first."))


class CancelSalesOutcomeSerializer(serializers.Serializer):
    """What withdrawing a course run from sale did, by order number."""

    course_id = serializers.CharField()
    canceled = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Pending orders canceled (their payment pages closed)."))
    refunded = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Paid orders given a full refund."))
    skipped = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "Orders that could not be canceled or refunded (e.g. nothing left to refund)."))


class ErrorSerializer(serializers.Serializer):
    """Body of an error response (validation errors are ``{field: [messages]}`` instead)."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong and what to do, for people."))
    code = serializers.CharField(required=False, help_text=gettext_lazy("Stable reason, for programs."))


class AlreadyPurchasedSerializer(ErrorSerializer):
    """409 when the learner already holds a paid order for the product."""

    order_number = serializers.CharField()


class OrderConflictSerializer(ErrorSerializer):
    """409 when an order cannot make the asked move (``code`` is ``invalid_transition``)."""

    order_number = serializers.CharField()
    status = serializers.CharField(help_text=gettext_lazy("The order's status now."))
    order = OrderSerializer(help_text=gettext_lazy("The order as it stands now."))


class RefundNotAllowedSerializer(ErrorSerializer):
    """409 when the refund policy does not let the learner ask (``code`` is ``refund_not_allowed``)."""

    reason = serializers.ChoiceField(choices=REFUND_REASONS, help_text=gettext_lazy(
        "Why: not_paid, already_requested, already_refunded..."))


class RefundAmountInvalidSerializer(ErrorSerializer):
    """400 when a staff refund's amount is above what remains refundable (``code`` is ``refund_amount_invalid``)."""

    refundable = serializers.IntegerField(help_text=gettext_lazy("What remains refundable, in minor units."))
