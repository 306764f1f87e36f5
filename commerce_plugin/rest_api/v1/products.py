"""Catalog endpoints: anyone may see what is for sale and at what price."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from commerce_plugin import api
from commerce_plugin.rest_api.v1.base import CommerceAPIView
from commerce_plugin.rest_api.v1.openapi import document
from commerce_plugin.rest_api.v1.serializers import ErrorSerializer, ProductFilterSerializer, ProductSerializer

__all__ = ["ProductDetailView", "ProductListView"]

TAGS = ["products"]


class ProductListView(CommerceAPIView):
    """``GET /api/commerce_plugin/v1/products/``: active products, paginated, optionally of one course run."""

    permission_classes = (AllowAny,)

    @document(
        tags=TAGS,
        summary="List products for sale",
        parameters=[ProductFilterSerializer],
        responses={
            200: ProductSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="Malformed course_id."),
        },
    )
    def get(self, request: Request) -> Response:
        filters = ProductFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        products = api.list_products(course_key=filters.validated_data.get("course_id"))
        context = {"request": request}
        return self.paginated(request, products, lambda page: ProductSerializer(
            [api.product_to_data(product) for product in page], many=True, context=context).data)


class ProductDetailView(CommerceAPIView):
    """``GET /api/commerce_plugin/v1/products/<uuid>/``: one active product."""

    permission_classes = (AllowAny,)
    not_found_message = _("No product with this uuid is for sale.")

    @document(
        tags=TAGS,
        summary="Get a product",
        parameters=[OpenApiParameter("product_uuid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: ProductSerializer, 404: OpenApiResponse(ErrorSerializer, description="Unknown product.")},
    )
    def get(self, request: Request, product_uuid: str) -> Response:
        product = api.get_product(product_uuid)
        return Response(ProductSerializer(product, context={"request": request}).data)
