"""Routes of REST API v1 (``/api/commerce/v1/...``).

Order numbers and product uuids are matched as plain strings: a malformed one must get the API's
JSON 404, not Django's HTML one from a failed path converter.
"""
from __future__ import annotations

from django.urls import path

from commerce_plugin.rest_api.v1 import orders, products, views
from commerce_plugin.rest_api.v1.schema import SCHEMA_ROUTE, SchemaView

urlpatterns = [
    path("health/", views.HealthView.as_view(), name="health"),
    path("products/", products.ProductListView.as_view(), name="product-list"),
    path("products/<str:product_uuid>/", products.ProductDetailView.as_view(), name="product-detail"),
    path("orders/", orders.OrderListView.as_view(), name="order-list"),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path(SCHEMA_ROUTE, SchemaView.as_view(), name="schema"),
]
