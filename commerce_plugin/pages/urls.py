"""Routes of the pages under ``/commerce/`` (names in the ``commerce_plugin`` namespace)."""
from __future__ import annotations

from django.urls import path

from commerce_plugin.pages import checkout, orders, views

urlpatterns = [
    path("status/", views.status_page, name="status"),
    path("checkout/<uuid:product_uuid>/", checkout.checkout, name="checkout"),
    path("orders/", orders.my_orders, name="orders"),
    path("orders/<str:number>/", orders.receipt, name="receipt"),
    path("orders/<str:number>/status.json", orders.receipt_status, name="order-status"),
    path("orders/<str:number>/cancel/", orders.cancel, name="order-cancel"),
    path("orders/<str:number>/refund/", orders.request_refund, name="order-refund"),
]
