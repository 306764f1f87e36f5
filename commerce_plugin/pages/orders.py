"""The learner's orders: the receipt (with its live status and refunds), its JSON status, cancel, refund,
and "my orders"."""
from __future__ import annotations

import logging
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from commerce_plugin import api
from commerce_plugin.data import OrderData, OrderStatus
from commerce_plugin.money import format_money
from commerce_plugin.pages.common import HttpResponseSeeOther, course_url, get_order_or_404, own_orders
from commerce_plugin.pages.texts import (
    enrollment_text,
    is_live,
    refund_requested_message,
    refund_text,
    status_text,
)

__all__ = ["cancel", "my_orders", "receipt", "receipt_status", "request_refund"]

log = logging.getLogger(__name__)

ORDERS_PER_PAGE = 20
# What Stripe's Checkout Session ids look like; anything else is not worth a call to Stripe.
_SESSION_ID = re.compile(r"^cs_[A-Za-z0-9_]{1,250}$")


@transaction.non_atomic_requests  # re-fetching from Stripe happens outside any transaction
@login_required
@require_GET
@never_cache
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """``/commerce/orders/<number>/``: the receipt, which Stripe's success URL also leads to.

    Arriving from Stripe (``?session_id=``) with the order still pending, the page applies the
    session itself (the same idempotent fulfilment the webhook runs), so the learner does not
    wait for a late webhook.
    """
    order = get_order_or_404(number, request.user)
    session_id = request.GET.get("session_id", "")
    if session_id and order.status == OrderStatus.PENDING and _SESSION_ID.match(session_id):
        order = _fulfil(request, order, session_id)
    context = {
        **_status_fields(order),
        "order": order,
        "amount_text": format_money(order.amount, order.currency),
        "course_url": course_url(order.course_key),
        "live": is_live(order),
        "status_url": reverse("commerce_plugin:order-status", args=[order.number]),
        "cancel_url": reverse("commerce_plugin:order-cancel", args=[order.number]),
        "checkout_url": reverse("commerce_plugin:checkout", args=[order.product_uuid]),
        **_refund_fields(request, order),
    }
    return render(request, "commerce_plugin/receipt.html", context)


def _refund_fields(request: HttpRequest, order: OrderData) -> dict[str, object]:
    """The receipt's refund part: the policy's sentence, whether the button shows, the refunds so far.

    The decision is asked only of paid orders (it may ask the LMS about certificates); the button is
    only for the buyer (staff looking at a learner's receipt refund from the admin instead).
    """
    refunds = [{"refund": refund, "text": refund_text(refund)}
               for refund in api.refunds_of(order.number, user=request.user)]
    fields: dict[str, object] = {"refunds": refunds, "decision": None, "decision_text": "",
                                 "can_request_refund": False}
    if order.status.is_paid and order.amount > 0:  # free: nothing to refund
        decision = api.refund_decision(order.number, user=request.user)
        mine = order.username == request.user.get_username()
        fields.update({
            "decision": decision,
            "decision_text": api.decision_text(decision),
            "can_request_refund": mine and decision.can_request_refund,
            "refund_amount_text": format_money(decision.amount, decision.currency),
            "refund_url": reverse("commerce_plugin:order-refund", args=[order.number]),
        })
    return fields


def _fulfil(request: HttpRequest, order: OrderData, session_id: str) -> OrderData:
    """Apply the Checkout Session if it is this order's; on any Stripe trouble, show what we know."""
    try:
        applied = api.fulfil_checkout_session(session_id, actor=f"user:{request.user.pk}",
                                              order_number=order.number)
    except api.PaymentGatewayError as exc:
        log.info("receipt order=%s fulfil=skipped reason=%s", order.number, type(exc).__name__)
        return order
    if applied is None or applied.number != order.number:
        return order  # another order's session (or unknown): nothing to show here
    return get_order_or_404(order.number, request.user)


def _status_fields(order: OrderData) -> dict[str, str]:
    """The fields the receipt shows and polls, as the JSON endpoint returns them."""
    return {
        "status": order.status.value,
        "enrollment_state": order.enrollment_state.value,
        "status_text": status_text(order.status),
        "enrollment_text": enrollment_text(order),
    }


@require_GET
@never_cache
def receipt_status(request: HttpRequest, number: str) -> JsonResponse:
    """``/commerce/orders/<number>/status.json``: what the receipt's script polls.

    Same rules as the receipt (own order or staff), but answered in JSON: a script cannot follow
    a login redirect, so an anonymous caller gets 401.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Log in to see this order.")}, status=401)
    try:
        order = api.get_order(number, user=request.user)
    except api.NotFound:
        return JsonResponse({"detail": _("No such order.")}, status=404)
    return JsonResponse(_status_fields(order))


@transaction.non_atomic_requests  # Stripe's page is closed before the order changes
@login_required
@require_POST
def cancel(request: HttpRequest, number: str) -> HttpResponse:
    """The "Cancel order" button of a pending receipt: the seat is freed and Stripe's page closed."""
    receipt_url = reverse("commerce_plugin:receipt", args=[number])
    try:
        api.cancel_order(number, user=request.user)
    except api.NotFound as exc:
        raise Http404(str(exc)) from exc
    except api.InvalidTransition as exc:
        if exc.from_status in (OrderStatus.PAID.value, OrderStatus.FULFILLED.value):
            messages.info(request, _("This order can no longer be canceled: your payment has gone through."))
        else:
            messages.error(request, _("This order can no longer be canceled."))
    except api.PaymentGatewayError:
        messages.error(request, _("Payment service temporarily unavailable, try again in a minute."))
    else:
        messages.success(request, _("Your order is canceled."))
    return HttpResponseSeeOther(receipt_url)


@transaction.non_atomic_requests  # the refund goes to Stripe once the request is saved, not at the end
@login_required
@require_POST
def request_refund(request: HttpRequest, number: str) -> HttpResponse:
    """The "Request a refund" button of a paid receipt: refunded at once when the policy allows, else reviewed."""
    receipt_url = reverse("commerce_plugin:receipt", args=[number])
    try:
        refund = api.request_refund(number, user=request.user)
    except api.NotFound as exc:
        raise Http404(str(exc)) from exc
    except api.RefundNotAllowed as exc:
        messages.error(request, api.reason_text(exc.reason))
    else:
        level = messages.ERROR if refund.status == "failed" else messages.SUCCESS
        messages.add_message(request, level, refund_requested_message(refund))
    return HttpResponseSeeOther(receipt_url)


@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """``/commerce/orders/``: the learner's own orders, newest first, 20 a page."""
    page = Paginator(own_orders(request.user), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    # Batched per page (the page's orders, their syncs, their refunds): no query per row.
    orders = list(page.object_list)
    refunds = api.refunds_by_order(orders)
    rows = []
    for order in api.orders_to_data(orders):
        rows.append({
            "order": order,
            "amount_text": format_money(order.amount, order.currency),
            "status_text": status_text(order.status),
            "refund_texts": [refund_text(refund) for refund in refunds[order.number]],
            "url": reverse("commerce_plugin:receipt", args=[order.number]),
        })
    return render(request, "commerce_plugin/orders.html", {"page": page, "rows": rows})
