"""Refund endpoints: the policy's answer for an order, learner requests, staff decisions and overrides.

Who may do what:

- ``GET orders/<number>/refund/``: the order's buyer or staff (anyone else gets 404, as for the
  order itself).
- ``POST orders/<number>/refund/``: a learner asks for a refund of their own order with an empty
  body (approved at once when the policy allows, else it waits for staff). ``amount`` and
  ``reason`` are staff fields: a learner sending either gets 403 ("Only staff can choose an
  amount"), before the order is even looked up, so nothing is revealed about other people's orders.
  Staff refund any order regardless of the policy with a required ``reason`` (and an optional
  partial ``amount``); a staff member posting an empty body on their *own* order files a learner
  request like anyone else.
- ``POST refunds/<uuid>/approve|reject/``, ``GET refunds/``, ``POST course-runs/<id>/cancel-sales/``:
  staff only (403 for others).
"""
from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commerce_plugin import api
from commerce_plugin.data import RefundData
from commerce_plugin.rest_api.v1.base import CommerceAPIView
from commerce_plugin.rest_api.v1.openapi import document
from commerce_plugin.rest_api.v1.serializers import (
    CancelSalesOutcomeSerializer,
    CancelSalesSerializer,
    CourseKeyField,
    ErrorSerializer,
    RefundAmountInvalidSerializer,
    RefundDecideSerializer,
    RefundFilterSerializer,
    RefundNotAllowedSerializer,
    RefundRejectSerializer,
    RefundRequestSerializer,
    RefundSerializer,
    RefundSummarySerializer,
)

__all__ = ["CancelSalesView", "OrderRefundView", "RefundApproveView", "RefundListView", "RefundRejectView",
           "StaffOnly"]

TAGS = ["refunds"]
NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                          description="Order number, e.g. CP-7KQ2M9XH4T.")
REFUND_UUID = OpenApiParameter("refund_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH,
                               description="The refund's uuid (``uuid`` of a refund).")
COURSE_ID = OpenApiParameter("course_id", OpenApiTypes.STR, OpenApiParameter.PATH,
                             description="Course run key, e.g. course-v1:Org+Course+Run.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No valid JWT or session.")
STAFF_ONLY = OpenApiResponse(ErrorSerializer, description="Not staff.")
ORDER_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such order, or not yours.")
REFUND_NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such refund.")
NOT_WAITING = OpenApiResponse(ErrorSerializer, description=(
    "`invalid_refund_transition`: the refund is not waiting for this decision (already decided or completed)."))


class StaffOnly(BasePermission):
    """Global staff (``is_staff``), as for the other support endpoints of the LMS."""

    message = _("Only staff may do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


def _refund_json(refund: RefundData) -> dict:
    return RefundSerializer(refund).data


class OrderRefundView(CommerceAPIView):
    """``/api/commerce_plugin/v1/orders/<number>/refund/``: may this order be refunded (GET); refund it (POST)."""

    not_found_message = _("No such order among yours.")

    @document(
        tags=TAGS,
        summary="Refund decision and refunds of an order",
        description=(
            "What the refund policy says about the order now (`decision`; `message` is the sentence to show, "
            "e.g. \"Refundable until 12 March 2027.\") and the order's refunds, newest first. Your own order, "
            "or any order for staff."),
        parameters=[NUMBER],
        responses={200: RefundSummarySerializer, 401: UNAUTHENTICATED, 404: ORDER_NOT_FOUND},
    )
    def get(self, request: Request, number: str) -> Response:
        decision = api.refund_decision(number, user=request.user)
        refunds = api.refunds_of(number, user=request.user)
        return Response(RefundSummarySerializer({"decision": decision, "refunds": refunds}).data)

    @document(
        tags=TAGS,
        summary="Request or make a refund",
        description=(
            "**Learners** send an empty body to ask for a full refund of their own order: when the policy "
            "allows it, the refund is approved at once and sent to Stripe (it usually comes back `succeeded` "
            "or `approved`); when the refund period ended or a certificate stands in the way, it is "
            "`requested` and waits for staff. `amount` and `reason` are staff fields: a learner sending "
            "one gets 403.\n\n"
            "**Staff** refund any paid order regardless of the policy (an audited override): `reason` is "
            "required; `amount` (minor units) is optional, everything that remains refundable by default, "
            "and may be partial."),
        parameters=[NUMBER],
        request=RefundRequestSerializer,
        examples=[
            OpenApiExample("Learner request", value={}, request_only=True),
            OpenApiExample("Staff partial refund", value={"amount": 1000, "reason": "goodwill: late start"},
                           request_only=True),
        ],
        responses={
            201: OpenApiResponse(RefundSerializer, description="The refund (requested, approved or succeeded)."),
            400: OpenApiResponse(RefundAmountInvalidSerializer, description=(
                "Staff: `reason` missing, or `refund_amount_invalid` (with `refundable`, what remains).")),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description=(
                "A learner sent `amount` or `reason` (staff fields), or a session login without CSRF token.")),
            404: ORDER_NOT_FOUND,
            409: OpenApiResponse(RefundNotAllowedSerializer, description=(
                "`refund_not_allowed`, with the policy's `reason`: not paid, already requested, already refunded.")),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        body = RefundRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        amount = body.validated_data.get("amount")
        reason = body.validated_data.get("reason", "").strip()
        user = request.user
        if not user.is_staff:
            if amount is not None:
                raise PermissionDenied(_("Only staff can choose an amount; send an empty body to ask for a "
                                         "refund of your order."))
            if reason:
                raise PermissionDenied(_("Only staff can give a refund reason; send an empty body to ask for a "
                                         "refund of your order."))
            return Response(_refund_json(api.request_refund(number, user=user)), status=201)
        if not reason and amount is None and api.get_order(number, user=user).username == user.get_username():
            return Response(_refund_json(api.request_refund(number, user=user)), status=201)
        if not reason:
            raise ValidationError({"reason": [_("A staff refund needs a reason: it is kept in the order's "
                                                "history.")]})
        refund = api.staff_refund(number, staff=user, reason=reason, amount=amount)
        return Response(_refund_json(refund), status=201)


def _refund_uuid(value: str) -> str:
    """The path's uuid, normalised; a malformed one is just an unknown refund (404)."""
    try:
        return str(UUID(value))
    except ValueError:
        raise api.NotFound(f"No refund {value!r}.") from None


class RefundApproveView(CommerceAPIView):
    """``POST /api/commerce_plugin/v1/refunds/<uuid>/approve/``: staff approve a waiting (or failed) refund."""

    permission_classes = (IsAuthenticated, StaffOnly)
    not_found_message = _("No such refund.")

    @document(
        tags=TAGS,
        summary="Approve a refund request",
        description=("Staff approve a `requested` refund (or send a `failed` one again): it is sent to Stripe "
                     "and usually comes back `succeeded`. The note is optional."),
        parameters=[REFUND_UUID],
        request=RefundDecideSerializer,
        responses={
            200: RefundSerializer,
            400: OpenApiResponse(RefundAmountInvalidSerializer, description=(
                "`refund_amount_invalid`: the order no longer has that much to refund.")),
            401: UNAUTHENTICATED, 403: STAFF_ONLY, 404: REFUND_NOT_FOUND, 409: NOT_WAITING,
        },
    )
    def post(self, request: Request, refund_uuid: str) -> Response:
        body = RefundDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        refund = api.decide_refund(_refund_uuid(refund_uuid), staff=request.user, approve=True,
                                   note=body.validated_data.get("note", "").strip())
        return Response(_refund_json(refund))


class RefundRejectView(CommerceAPIView):
    """``POST /api/commerce_plugin/v1/refunds/<uuid>/reject/``: staff reject a waiting request, with a note."""

    permission_classes = (IsAuthenticated, StaffOnly)
    not_found_message = _("No such refund.")

    @document(
        tags=TAGS,
        summary="Reject a refund request",
        description="Staff reject a `requested` refund. The note is required: the learner reads it on the receipt.",
        parameters=[REFUND_UUID],
        request=RefundRejectSerializer,
        examples=[OpenApiExample("Reject", value={"note": "The course ended two months ago."}, request_only=True)],
        responses={
            200: RefundSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`note` missing or blank."),
            401: UNAUTHENTICATED, 403: STAFF_ONLY, 404: REFUND_NOT_FOUND, 409: NOT_WAITING,
        },
    )
    def post(self, request: Request, refund_uuid: str) -> Response:
        body = RefundRejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data["note"].strip()
        if not note:
            raise ValidationError({"note": [_("Say why the refund is rejected: the learner sees the note.")]})
        refund = api.decide_refund(_refund_uuid(refund_uuid), staff=request.user, approve=False, note=note)
        return Response(_refund_json(refund))


class RefundListView(CommerceAPIView):
    """``GET /api/commerce_plugin/v1/refunds/``: every refund (staff), newest first, filtered and paginated."""

    permission_classes = (IsAuthenticated, StaffOnly)

    @document(
        tags=TAGS,
        summary="List refunds",
        description="Staff only. Newest first; filter by `status` (e.g. `requested`: the review queue), "
                    "`course_id` or `order`.",
        parameters=[RefundFilterSerializer],
        responses={
            200: RefundSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="A filter is malformed (the message says which)."),
            401: UNAUTHENTICATED, 403: STAFF_ONLY,
        },
    )
    def get(self, request: Request) -> Response:
        filters = RefundFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        query = filters.validated_data
        refunds = api.refunds_for(request.user, status=query.get("status"), course_key=query.get("course_id"),
                                  order_number=query.get("order"))
        return self.paginated(request, refunds, lambda page: RefundSerializer(
            [api.refund_to_data(refund) for refund in page], many=True).data)


class CancelSalesView(CommerceAPIView):
    """``POST /api/commerce_plugin/v1/course-runs/<course_id>/cancel-sales/``: withdraw a run and refund everyone."""

    permission_classes = (IsAuthenticated, StaffOnly)

    @document(
        tags=TAGS,
        summary="Withdraw a course run from sale and refund everyone",
        description=(
            "Staff only. Every product of the course run stops selling; pending orders are canceled (their "
            "payment pages closed); paid orders get a full refund, which ends their enrollments. Answers the "
            "order numbers by outcome (all lists empty when nobody bought the run)."),
        parameters=[COURSE_ID],
        request=CancelSalesSerializer,
        responses={
            200: CancelSalesOutcomeSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`reason` missing, or a malformed course id."),
            401: UNAUTHENTICATED, 403: STAFF_ONLY,
        },
    )
    def post(self, request: Request, course_id: str) -> Response:
        try:
            course_key = CourseKeyField().run_validation(course_id)
        except ValidationError as exc:
            raise ValidationError({"course_id": exc.detail}) from None
        body = CancelSalesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = api.cancel_course_sales(course_key, staff=request.user, reason=body.validated_data["reason"].strip())
        return Response(CancelSalesOutcomeSerializer({"course_id": course_key, **outcome}).data)
