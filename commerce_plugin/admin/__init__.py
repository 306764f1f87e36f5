"""Django admin of the plugin: products, orders with their full history, refunds, enrollment syncs, grants, events.

The admin reads models directly (that is what ModelAdmin is for) but changes state only through
:mod:`commerce_plugin.api`: order statuses move through the state machine, syncs through the sync
engine, refunds through the refund flow. Records that are history (orders, payments, refunds,
events, status changes, attempts, grants) cannot be added, edited or deleted here.
"""
from __future__ import annotations

from commerce_plugin.admin import access, catalog, grants, orders, payments, refunds  # noqa: F401 (registers the admins)
