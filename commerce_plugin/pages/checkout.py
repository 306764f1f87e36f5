"""The checkout page: what a course run costs, and the button that starts Stripe Checkout.

GET shows the product and whether it can be bought; POST creates (or resumes) the order through
``api.create_order`` and sends the browser to Stripe's hosted page. Every refusal from the API is
a sentence on the page with a fitting status code, never a 500.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commerce_plugin import api
from commerce_plugin.data import OrderStatus, ProductData
from commerce_plugin.money import format_money
from commerce_plugin.pages.common import HttpResponseSeeOther, own_orders

__all__ = ["checkout"]

_HOLDING = (OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUND_PENDING)


@transaction.non_atomic_requests  # the order commits before Stripe is called (no lock held over HTTP)
@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, product_uuid: str) -> HttpResponse:
    """``/commerce/checkout/<product>/``: show the product (GET) or start paying for it (POST)."""
    try:
        product = api.get_product(product_uuid)
    except api.NotFound as exc:
        raise Http404(str(exc)) from exc
    if request.method == "POST":
        return _buy(request, product)
    return _render(request, product)


def _buy(request: HttpRequest, product: ProductData) -> HttpResponse:
    try:
        order = api.create_order(request.user, product.uuid, base_url=request.build_absolute_uri("/"))
    except api.AlreadyPurchased as exc:
        return _render(request, product, error=_("You already bought this course run."), status=409,
                       receipt_number=exc.order_number)
    except api.SoldOut:
        return _render(request, product, error=_("Sorry, all seats of this course run are taken."), status=409)
    except api.ProductNotOnSale:
        return _render(request, product, error=_("This course run is not on sale right now."), status=409)
    except api.NotFound as exc:
        raise Http404(str(exc)) from exc
    except api.PaymentGatewayUnavailable:
        return _render(request, product, status=503,
                       error=_("Payment service temporarily unavailable, try again in a minute."))
    except api.PaymentGatewayError:
        return _render(request, product, status=502,
                       error=_("The payment service refused to start this payment. Please contact support."))
    if order.status == OrderStatus.PENDING.value and order.checkout_url:
        return HttpResponseSeeOther(order.checkout_url)
    return HttpResponseSeeOther(reverse("commerce_plugin:receipt", args=[order.number]))


def _render(
    request: HttpRequest, product: ProductData, *, error: str = "", status: int = 200, receipt_number: str = "",
) -> HttpResponse:
    """The page, with what the learner can do now: buy, resume, see their receipt, or nothing."""
    mine = [api.order_to_data(order) for order in own_orders(request.user, course_key=product.course_key)]
    mine = [order for order in mine if order.product_uuid == product.uuid]
    purchased = next((order for order in mine if order.status in _HOLDING), None)
    pending = next((order for order in mine if order.status == OrderStatus.PENDING and order.checkout_url), None)
    if purchased and not receipt_number:
        receipt_number = purchased.number
    seats_left = None
    if product.seat_limit is not None:
        seats_left = max(product.seat_limit - (product.seats_taken or 0), 0)
    if receipt_number:
        state = "purchased"
    elif not product.on_sale:
        state = "not_on_sale"
    elif seats_left == 0 and pending is None:  # the learner's own pending order holds a seat
        state = "sold_out"
    else:
        state = "buy"
    context = {
        "product": product,
        "price_text": format_money(product.price, product.currency),
        "seats_left": seats_left,
        "state": state,
        "pending": pending,
        "error": error,
        "canceled": bool(request.GET.get("canceled")),
        "receipt_url": reverse("commerce_plugin:receipt", args=[receipt_number]) if receipt_number else "",
    }
    return render(request, "commerce_plugin/checkout.html", context, status=status)
