"""A stand-in for Stripe's hosted Checkout page, served by the localstripe process.

Why this exists: localstripe has no hosted Checkout (section 1.8), yet the demo and the browser
tests must follow the real flow: the plugin redirects the learner to ``session.url``, the learner
pays, Stripe redirects to ``success_url`` and sends ``checkout.session.completed``. This page
does exactly that, with a single card-number field:

* ``4000000000000341`` is declined when charged (localstripe's ``pm_card_chargeCustomerFail``):
  the page answers 402 "Your card was declined." and the learner may try again;
* any other number pays (localstripe's ``pm_card_visa``).

Paying goes through localstripe's own PaymentIntents and signed webhooks (see ``checkout.py``).
Like ``checkout.py`` it imports localstripe (GPL) and runs only inside the localstripe process.
"""
from __future__ import annotations

import html
import re

from aiohttp import web
from aiohttp.typedefs import Handler
from checkout import CheckoutSession
from localstripe import server
from localstripe.errors import UserError

PAY_PREFIX = "/pay/"
DECLINED_CARD = "4000000000000341"
DECLINING_PAYMENT_METHOD = "pm_card_chargeCustomerFail"
SUCCEEDING_PAYMENT_METHOD = "pm_card_visa"
DECLINED_MESSAGE = "Your card was declined."
MISSING_CARD_MESSAGE = "Enter a card number."
EXPIRED_MESSAGE = "This checkout session has expired."
COMPLETE_MESSAGE = "This checkout session is already paid."
# Currencies Stripe counts in whole units (no cents), for display only.
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)


def format_amount(amount: int, currency: str) -> str:
    """``4900, "usd"`` -> ``"49.00 USD"``."""
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return f"{amount} {currency.upper()}"
    return f"{amount // 100}.{amount % 100:02d} {currency.upper()}"


def payment_method_for(card_number: str) -> str:
    """Map a typed card number to the localstripe test payment method that behaves like it."""
    return DECLINING_PAYMENT_METHOD if card_number == DECLINED_CARD else SUCCEEDING_PAYMENT_METHOD


def success_redirect_url(session: CheckoutSession) -> str:
    # Stripe substitutes this literal template variable in success_url.
    return session.success_url.replace("{CHECKOUT_SESSION_ID}", session.id)


def _page(title: str, body: str, status: int = 200) -> web.Response:
    document = (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "</head>\n<body>\n"
        f'<main id="checkout">\n<h1>{html.escape(title)}</h1>\n{body}</main>\n'
        "</body>\n</html>\n"
    )
    return web.Response(text=document, status=status, content_type="text/html")


def _cancel_link(session: CheckoutSession) -> str:
    if not session.cancel_url:
        return ""
    return f'<p><a id="cancel" href="{html.escape(session.cancel_url)}">Cancel</a></p>\n'


def _items_list(session: CheckoutSession) -> str:
    rows = "".join(
        f'<li class="product">{html.escape(item["name"])}'
        + (f" &times; {item['quantity']}" if item["quantity"] != 1 else "")
        + "</li>\n"
        for item in session._line_items
    )
    return f'<ul id="products">\n{rows}</ul>\n'


def _payment_form(session: CheckoutSession, message: str | None) -> str:
    error = f'<p id="error" role="alert">{html.escape(message)}</p>\n' if message else ""
    return (
        f"{error}"
        f'<form method="post" action="{PAY_PREFIX}{html.escape(session.id)}">\n'
        '<label for="card-number">Card number</label>\n'
        '<input type="text" name="card_number" id="card-number" inputmode="numeric" autocomplete="cc-number" '
        'placeholder="4242 4242 4242 4242">\n'
        '<button type="submit" id="pay">Pay</button>\n'
        "</form>\n"
    )


def render_session(session: CheckoutSession, message: str | None = None, status: int = 200) -> web.Response:
    """The page for a session: the form while it is open, a notice once it is paid or expired."""
    title = f"Pay {format_amount(session.amount_total, session.currency)}"
    if session.status == "expired":
        return _page(title, f'<p id="notice">{EXPIRED_MESSAGE}</p>\n{_cancel_link(session)}', status=410)
    if session.status == "complete":
        return _page(title, f'<p id="notice">{COMPLETE_MESSAGE}</p>\n')
    return _page(title, _items_list(session) + _payment_form(session, message) + _cancel_link(session), status)


def _find_session(request: web.Request) -> CheckoutSession | None:
    session_id = request.match_info["session_id"]
    try:
        return CheckoutSession._api_retrieve(session_id)
    except UserError:
        return None


def _not_found() -> web.Response:
    return _page("Checkout session not found", '<p id="notice">No such checkout session.</p>\n', status=404)


async def show(request: web.Request) -> web.Response:
    """GET /pay/{session_id}."""
    session = _find_session(request)
    if session is None:
        return _not_found()
    return render_session(session)


async def pay(request: web.Request) -> web.Response:
    """POST /pay/{session_id} with the form field ``card_number``."""
    session = _find_session(request)
    if session is None:
        return _not_found()
    if session.status == "complete":
        # A second click on "Pay" after success: send the learner where the first one went.
        raise web.HTTPSeeOther(success_redirect_url(session))
    if session.status != "open":
        return render_session(session)
    form = await request.post()
    card_number = re.sub(r"\s", "", str(form.get("card_number", "")))
    if not card_number.isdigit():
        return render_session(session, MISSING_CARD_MESSAGE, status=400)
    try:
        session._pay(payment_method_for(card_number))
    except UserError as error:
        if error.code != 402:
            raise
        # The session stays open and unpaid; localstripe has already scheduled
        # payment_intent.payment_failed for the intent now recorded on the session.
        return render_session(session, DECLINED_MESSAGE, status=402)
    raise web.HTTPSeeOther(success_redirect_url(session))


def _let_browsers_through(app: web.Application) -> None:
    """Exempt the pay page from localstripe's API-key check.

    localstripe's auth middleware wants an ``sk_`` key on every path except ``/_config/`` and
    ``/js.stripe.com/``; a learner's browser has none. Swap that middleware (the list is mutable
    until the app starts) for one that lets ``/pay/`` through and delegates everything else.
    """
    checked = server.auth_middleware

    @web.middleware
    async def auth_except_pay_page(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith(PAY_PREFIX):
            return await handler(request)
        return await checked(request, handler)

    middlewares = app.middlewares
    middlewares[list(middlewares).index(checked)] = auth_except_pay_page


def install(app: web.Application) -> None:
    """Add the pay page routes to localstripe's app, before it starts."""
    _let_browsers_through(app)
    app.router.add_get(PAY_PREFIX + "{session_id}", show)
    app.router.add_post(PAY_PREFIX + "{session_id}", pay)
