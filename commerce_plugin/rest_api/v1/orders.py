"""Order endpoints: buy (the server prices it), list, read and cancel.

Learners see and cancel only their own orders; staff see and cancel all. An order that is not
yours answers 404, exactly like one that does not exist, so order numbers cannot be probed.
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from commerce_plugin import api
from commerce_plugin.rest_api.v1.base import CommerceAPIView
from commerce_plugin.rest_api.v1.errors import commerce_exception_handler
from commerce_plugin.rest_api.v1.links import base_url
from commerce_plugin.rest_api.v1.openapi import document
from commerce_plugin.rest_api.v1.serializers import (
    AlreadyPurchasedSerializer,
    ErrorSerializer,
    OrderConflictSerializer,
    OrderCreateSerializer,
    OrderFilterSerializer,
    OrderSerializer,
)

__all__ = ["OrderCancelView", "OrderDetailView", "OrderListView"]

TAGS = ["orders"]
NUMBER = OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH,
                          description="Order number, e.g. CP-7KQ2M9XH4T.")
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="No valid JWT or session.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such order, or not yours.")


class OrderListView(CommerceAPIView):
    """``/api/commerce_plugin/v1/orders/``: list the orders you may see (GET), buy a product (POST)."""

    not_found_message = _("No product with this uuid.")

    @document(
        tags=TAGS,
        summary="List orders",
        description="A learner's own orders; every order for staff. Newest first.",
        parameters=[OrderFilterSerializer],
        responses={
            200: OrderSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="A filter is malformed (the message says which)."),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="Filtering by email is for staff only."),
        },
    )
    def get(self, request: Request) -> Response:
        filters = OrderFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        query = filters.validated_data
        if query.get("email") and not request.user.is_staff:
            raise PermissionDenied(_("Only staff may filter orders by email; leave out email to list your orders."))
        orders = api.orders_for(
            request.user, status=query.get("status"), course_key=query.get("course_id"), email=query.get("email"),
            created_from=query.get("created_after"), created_to=query.get("created_before"),
        )
        context = {"request": request}
        return self.paginated(request, orders, lambda page: OrderSerializer(
            [api.order_to_data(order) for order in page], many=True, context=context).data)

    @document(
        tags=TAGS,
        summary="Buy a product",
        description=(
            "Creates a pending order priced by the server (any amount, price or currency sent is ignored) "
            "and starts Stripe Checkout: send the learner to `checkout_url`. A learner who already has a "
            "pending order for the product gets that order back (200). Free products come back `paid`, "
            "with an empty `checkout_url`."),
        request=OrderCreateSerializer,
        examples=[OpenApiExample("Buy", value={"product": "0b6c5a9e-54b4-4c57-9d0f-6f3e1c6b9a10"},
                                 request_only=True)],
        responses={
            201: OpenApiResponse(OrderSerializer, description="Order created."),
            200: OpenApiResponse(OrderSerializer, description="Your pending order for this product, resumed."),
            400: OpenApiResponse(ErrorSerializer, description="`product` missing or not a uuid."),
            401: UNAUTHENTICATED,
            403: OpenApiResponse(ErrorSerializer, description="Session login without a CSRF token."),
            404: OpenApiResponse(ErrorSerializer, description="No such product."),
            409: OpenApiResponse(AlreadyPurchasedSerializer, description=(
                "`not_on_sale`, `sold_out`, or `already_purchased` (with `order_number`).")),
            503: OpenApiResponse(ErrorSerializer, description="Stripe unreachable; the order stays pending, retry."),
        },
    )
    def post(self, request: Request) -> Response:
        body = OrderCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = api.create_order(request.user, body.validated_data["product"], base_url=base_url(request))
        return Response(OrderSerializer(order, context={"request": request}).data,
                        status=200 if order.resumed else 201)


class OrderDetailView(CommerceAPIView):
    """``GET /api/commerce_plugin/v1/orders/<number>/``: your order, or any for staff."""

    not_found_message = _("No such order among yours.")

    @document(tags=TAGS, summary="Get an order", parameters=[NUMBER],
                   responses={200: OrderSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND})
    def get(self, request: Request, number: str) -> Response:
        order = api.get_order(number, user=request.user)
        return Response(OrderSerializer(order, context={"request": request}).data)


class OrderCancelView(CommerceAPIView):
    """``POST /api/commerce_plugin/v1/orders/<number>/cancel/``: give up a pending order and free its seat."""

    not_found_message = _("No such order among yours.")

    @document(
        tags=TAGS, summary="Cancel a pending order", parameters=[NUMBER], request=None,
        responses={
            200: OrderSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND,
            409: OpenApiResponse(OrderConflictSerializer,
                                 description="The order is no longer pending (paid, canceled, expired); "
                                             "``order`` is where it stands now."),
            503: OpenApiResponse(ErrorSerializer, description="Stripe unreachable; retry."),
        },
    )
    def post(self, request: Request, number: str) -> Response:
        try:
            order = api.cancel_order(number, user=request.user)
        except api.InvalidTransition as exc:
            # 409 with the order as it stands: a learner who paid a moment ago must see "paid".
            response = commerce_exception_handler(exc, {"view": self})
            response.data["order"] = OrderSerializer(api.get_order(number, user=request.user),
                                                     context={"request": request}).data
            return response
        return Response(OrderSerializer(order, context={"request": request}).data)
