"""The one place where errors of :mod:`commerce_plugin.api` become HTTP responses.

The domain names errors by who is at fault (``commerce_plugin.errors``); only this edge knows
status codes. Every mapped response is ``{"detail": <translated message>, "code": <stable code>}``
(plus facts a client needs, such as ``order_number``), so a client can branch on ``code`` and show
``detail``. Errors we do not know fall through to DRF's handler (validation, auth, 404 of DRF),
and anything else stays a 500: hiding our own bugs behind a 4xx would only delay the fix.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from commerce_plugin import api

__all__ = ["PAYMENT_UNAVAILABLE", "RETRY_AFTER_SECONDS", "commerce_exception_handler", "error_body"]

#: What a client should wait before retrying a 503 (Stripe or the LMS being briefly unreachable).
RETRY_AFTER_SECONDS = 30

#: Kept as a constant: clients and tests match this sentence (marked here, translated at render time).
PAYMENT_UNAVAILABLE = gettext_noop("Payment service temporarily unavailable; try again.")


def error_body(detail: str, code: str, **facts: Any) -> dict[str, Any]:
    """The JSON body of every mapped error."""
    return {"detail": detail, "code": code, **facts}


def _not_found(exc: Exception, view: Any) -> Response:
    message = getattr(view, "not_found_message", None) or _("Not found.")
    return Response(error_body(str(message), "not_found"), status=404)


def _not_on_sale(exc: Exception, view: Any) -> Response:
    return Response(error_body(_("This course run is not on sale right now."), "not_on_sale"), status=409)


def _sold_out(exc: Exception, view: Any) -> Response:
    return Response(error_body(_("All seats of this course run are taken."), "sold_out"), status=409)


def _already_purchased(exc: api.AlreadyPurchased, view: Any) -> Response:
    detail = _("You already bought this course run (order %(number)s).") % {"number": exc.order_number}
    return Response(error_body(detail, "already_purchased", order_number=exc.order_number), status=409)


def _invalid_transition(exc: api.InvalidTransition, view: Any) -> Response:
    detail = _("Order %(number)s is %(status)s: it cannot move to %(target)s.") % {
        "number": exc.order_number, "status": exc.from_status, "target": exc.to_status}
    return Response(error_body(detail, "invalid_transition", order_number=exc.order_number,
                               status=exc.from_status), status=409)


def _refund_not_allowed(exc: api.RefundNotAllowed, view: Any) -> Response:
    reason = str(exc.reason)
    return Response(error_body(api.reason_text(reason), "refund_not_allowed", reason=reason), status=409)


def _refund_amount_invalid(exc: api.RefundAmountInvalid, view: Any) -> Response:
    detail = _("The amount must be between 1 and %(refundable)d (minor units): that is what remains "
               "refundable on this order.") % {"refundable": exc.refundable}
    if exc.refundable <= 0:
        detail = _("Nothing remains refundable on this order.")
    return Response(error_body(detail, "refund_amount_invalid", refundable=exc.refundable), status=400)


def _invalid_refund_transition(exc: Exception, view: Any) -> Response:
    detail = _("This refund is not waiting for that decision any more (it was already decided or completed); "
               "read the order's refunds to see where it stands.")
    return Response(error_body(detail, "invalid_refund_transition"), status=409)


def _payment_unavailable(exc: Exception, view: Any) -> Response:
    return Response(error_body(_(PAYMENT_UNAVAILABLE), "payment_unavailable"), status=503,
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _payment_refused(exc: Exception, view: Any) -> Response:
    detail = _("The payment service refused to start this checkout; the order was marked failed. "
               "Contact support if this keeps happening.")
    return Response(error_body(detail, "payment_refused"), status=502)


def _upstream(exc: api.UpstreamError, view: Any) -> Response:
    if exc.transient:
        return Response(error_body(_("A service we depend on is temporarily unavailable; try again."),
                                   "upstream_unavailable"), status=503,
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return Response(error_body(_("A service we depend on refused the request."), "upstream_refused"), status=502)


def _access_not_found(exc: api.AccessNotFound, view: Any) -> Response:
    return Response(error_body(str(exc), "not_found", what=exc.what), status=404)


def _access_invalid(exc: api.AccessInputInvalid, view: Any) -> Response:
    detail = _("The request is invalid; see errors for each field.")
    return Response(error_body(detail, "invalid", errors=exc.errors), status=400)


def _rules_changed(exc: api.RulesChanged, view: Any) -> Response:
    detail = _("The rules of this course run changed since you read them (now version %(version)d): "
               "GET them again, apply your change and send that list.") % {"version": exc.current_version}
    return Response(error_body(detail, "rules_changed", version=exc.current_version), status=412,
                    headers={"ETag": f'"{exc.current_version}"'})


def _bad_request(exc: Exception, view: Any) -> Response:
    # The domain's own sentence (it names the bad value); the edge validates input first, so this
    # is the fallback for rules only the domain knows.
    return Response(error_body(str(exc), "invalid_request"), status=400)


#: First match wins: subclasses before their bases.
_MAPPING: tuple[tuple[type[Exception], Callable[[Any, Any], Response]], ...] = (
    (api.NotFound, _not_found),
    (api.ProductNotOnSale, _not_on_sale),
    (api.SoldOut, _sold_out),
    (api.AlreadyPurchased, _already_purchased),
    (api.InvalidTransition, _invalid_transition),
    (api.RefundNotAllowed, _refund_not_allowed),
    (api.RefundAmountInvalid, _refund_amount_invalid),
    (api.InvalidRefundTransition, _invalid_refund_transition),
    (api.PaymentGatewayUnavailable, _payment_unavailable),
    (api.PaymentGatewayError, _payment_refused),
    (api.UpstreamError, _upstream),
    (api.AccessNotFound, _access_not_found),
    (api.AccessInputInvalid, _access_invalid),
    (api.RulesChanged, _rules_changed),
    (api.CommerceRequestError, _bad_request),
)


def commerce_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler of our views: plugin errors first, then DRF's own handling."""
    for error_class, render in _MAPPING:
        if isinstance(exc, error_class):
            set_rollback()
            return render(exc, context.get("view"))
    return exception_handler(exc, context)
