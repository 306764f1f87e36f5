"""The public Python API of the plugin: the one door for views, tasks, commands and other apps.

This module only re-exports; the work happens in the private subpackages. Functions return
:mod:`commerce_plugin.data` objects (or, where an edge paginates, a documented queryset) and raise
:mod:`commerce_plugin.errors` classes and the flow errors re-exported here.
"""
from __future__ import annotations

from commerce_plugin.access.errors import AccessInputInvalid, AccessNotFound, RulesChanged
from commerce_plugin.access.fanout import seed_lms_state_of_ruleset as seed_access_fanout
from commerce_plugin.access.gate import gate_decision as enrollment_gate
from commerce_plugin.access.gate import record_self_enrollment
from commerce_plugin.access.provisioning import provision_person
from commerce_plugin.access.queries import person_access
from commerce_plugin.access.service import (
    bulk_put_members,
    create_workgroup,
    delete_rule,
    delete_workgroup,
    get_workgroup,
    list_members,
    list_workgroups,
    member_to_data,
    put_member,
    remove_member,
    replace_rules,
    rules_of,
    save_rule,
    update_workgroup,
    workgroup_to_data,
)
from commerce_plugin.access.windows import apply_time_windows
from commerce_plugin.adapters.stripe_gateway import InvalidWebhook, PaymentGatewayError, PaymentGatewayUnavailable
from commerce_plugin.diagnostics import (
    check_lms_connection,
    get_plugin_status,
    lms_course_enrollments,
    production_checks,
)
from commerce_plugin.errors import CommerceError, CommerceRequestError, UpstreamError
from commerce_plugin.intake.stripe_webhooks import WebhookOutcome, receive_webhook
from commerce_plugin.intake.stripe_webhooks import process_due_events as process_due_webhooks
from commerce_plugin.intake.stripe_webhooks import process_event as process_stripe_event
from commerce_plugin.intake.stripe_webhooks import retry_event as retry_webhook_event
from commerce_plugin.intake.stripe_webhooks import retry_event_by_stripe_id as retry_webhook_event_by_id
from commerce_plugin.jobs import (
    account_registered,
    expire_orders,
    lms_enrollment_changed,
    lms_unenrolled,
    process_due_refunds,
    process_due_syncs,
    refund_after_unenrollment_of,
    retry_sync,
    send_refund,
    sync_enrollment,
)
from commerce_plugin.orders.errors import AlreadyPurchased, NotFound, ProductNotOnSale, SoldOut
from commerce_plugin.orders.fulfilment import fulfil_checkout_session
from commerce_plugin.orders.queries import (
    get_order,
    get_product,
    list_products,
    order_to_data,
    orders_for,
    orders_to_data,
    product_to_data,
    with_seats_taken,
)
from commerce_plugin.orders.service import cancel_order, create_order
from commerce_plugin.orders.states import TRANSITIONS, InvalidTransition
from commerce_plugin.refunds.errors import RefundAmountInvalid, RefundNotAllowed
from commerce_plugin.refunds.queries import (
    refund_decision,
    refund_to_data,
    refunds_by_order,
    refunds_for,
    refunds_of,
)
from commerce_plugin.refunds.service import cancel_course_sales, decide_refund, request_refund, staff_refund
from commerce_plugin.refunds.states import InvalidRefundTransition
from commerce_plugin.refunds.texts import decision_text, reason_text
from commerce_plugin.retirement import retire_user

__all__ = [
    "AccessInputInvalid",
    "AccessNotFound",
    "RulesChanged",
    "apply_time_windows",
    "bulk_put_members",
    "create_workgroup",
    "delete_rule",
    "delete_workgroup",
    "enrollment_gate",
    "get_workgroup",
    "list_members",
    "list_workgroups",
    "member_to_data",
    "person_access",
    "provision_person",
    "put_member",
    "record_self_enrollment",
    "seed_access_fanout",
    "remove_member",
    "replace_rules",
    "rules_of",
    "save_rule",
    "update_workgroup",
    "workgroup_to_data",
    "AlreadyPurchased",
    "CommerceError",
    "CommerceRequestError",
    "InvalidRefundTransition",
    "InvalidTransition",
    "InvalidWebhook",
    "NotFound",
    "PaymentGatewayError",
    "PaymentGatewayUnavailable",
    "ProductNotOnSale",
    "RefundAmountInvalid",
    "RefundNotAllowed",
    "SoldOut",
    "TRANSITIONS",
    "UpstreamError",
    "WebhookOutcome",
    "account_registered",
    "cancel_course_sales",
    "cancel_order",
    "check_lms_connection",
    "create_order",
    "decide_refund",
    "decision_text",
    "expire_orders",
    "fulfil_checkout_session",
    "get_order",
    "get_plugin_status",
    "get_product",
    "list_products",
    "lms_course_enrollments",
    "lms_enrollment_changed",
    "lms_unenrolled",
    "order_to_data",
    "orders_for",
    "orders_to_data",
    "process_due_refunds",
    "process_due_syncs",
    "process_due_webhooks",
    "process_stripe_event",
    "product_to_data",
    "with_seats_taken",
    "production_checks",
    "reason_text",
    "receive_webhook",
    "refund_after_unenrollment_of",
    "refund_decision",
    "refund_to_data",
    "refunds_by_order",
    "refunds_for",
    "refunds_of",
    "request_refund",
    "retire_user",
    "retry_sync",
    "retry_webhook_event",
    "retry_webhook_event_by_id",
    "send_refund",
    "staff_refund",
    "sync_enrollment",
]
