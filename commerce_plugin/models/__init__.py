"""Models of the plugin, split by subdomain. Write them only through :mod:`commerce_plugin.api`."""
from __future__ import annotations

from commerce_plugin.models.access import (
    AccessChange,
    AccessPerson,
    AccessRule,
    CourseRuleSet,
    Workgroup,
    WorkgroupMember,
)
from commerce_plugin.models.catalog import Product
from commerce_plugin.models.grants import EnrollmentSync, Grant, SyncAttempt
from commerce_plugin.models.jobs import JobRun
from commerce_plugin.models.orders import Order, OrderStatusChange
from commerce_plugin.models.payments import Payment, StripeEvent
from commerce_plugin.models.refunds import Refund, RefundStatusChange

__all__ = [
    "AccessChange",
    "AccessPerson",
    "AccessRule",
    "CourseRuleSet",
    "EnrollmentSync",
    "Grant",
    "JobRun",
    "Order",
    "OrderStatusChange",
    "Payment",
    "Product",
    "Refund",
    "RefundStatusChange",
    "StripeEvent",
    "SyncAttempt",
    "Workgroup",
    "WorkgroupMember",
]
