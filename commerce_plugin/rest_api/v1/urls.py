"""Routes of REST API v1 (``/api/commerce_plugin/v1/...``).

Order numbers, product and refund uuids and course ids are matched as plain strings: a malformed one must get the API's
JSON 404, not Django's HTML one from a failed path converter.
"""
from __future__ import annotations

from django.urls import path

from commerce_plugin.rest_api.v1 import access, orders, products, refunds, views
from commerce_plugin.rest_api.v1.schema import SCHEMA_ROUTE, SchemaView

urlpatterns = [
    path("health/", views.HealthView.as_view(), name="health"),
    path("products/", products.ProductListView.as_view(), name="product-list"),
    path("products/<str:product_uuid>/", products.ProductDetailView.as_view(), name="product-detail"),
    path("orders/", orders.OrderListView.as_view(), name="order-list"),
    path("orders/<str:number>/", orders.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<str:number>/cancel/", orders.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<str:number>/refund/", refunds.OrderRefundView.as_view(), name="order-refund"),
    path("refunds/", refunds.RefundListView.as_view(), name="refund-list"),
    path("refunds/<str:refund_uuid>/approve/", refunds.RefundApproveView.as_view(), name="refund-approve"),
    path("refunds/<str:refund_uuid>/reject/", refunds.RefundRejectView.as_view(), name="refund-reject"),
    path("course-runs/<str:course_id>/cancel-sales/", refunds.CancelSalesView.as_view(), name="course-cancel-sales"),
    path("workgroups/", access.WorkgroupListView.as_view(), name="workgroup-list"),
    path("workgroups/<str:workgroup_id>/", access.WorkgroupDetailView.as_view(), name="workgroup-detail"),
    path("workgroups/<str:workgroup_id>/members/", access.MemberListView.as_view(), name="member-list"),
    path("workgroups/<str:workgroup_id>/members/bulk/", access.MemberBulkView.as_view(), name="member-bulk"),
    path("workgroups/<str:workgroup_id>/members/<str:email>/", access.MemberDetailView.as_view(),
         name="member-detail"),
    path("course-runs/<str:course_id>/rules/", access.CourseRulesView.as_view(), name="course-rules"),
    path("people/provision/", access.ProvisionView.as_view(), name="people-provision"),
    path("people/<str:email>/access/", access.PersonAccessView.as_view(), name="person-access"),
    path(SCHEMA_ROUTE, SchemaView.as_view(), name="schema"),
]
