"""Checkout Sessions for localstripe, which has none (stripe-and-services.md, sections 1.3 and 1.10).

Why this exists: the plugin sells course runs through hosted Stripe Checkout, and localstripe (our
offline Stripe) answers 404 to ``/v1/checkout/sessions``. This module adds the small part of the
Checkout Sessions API the plugin uses, built on localstripe's own resources so that the sessions,
the PaymentIntents they create and the signed webhook events behave like the rest of localstripe.

It imports localstripe (GPL), so it runs only inside the separate localstripe process started by
``run_localstripe.py``; nothing in the main project imports it (the directory has no ``__init__``).

Like localstripe, it is strict: any parameter the plugin is not expected to send is a 400
``Unexpected <name>``, so a plugin change that starts sending something new is noticed here first.
"""
from __future__ import annotations

import time
from typing import Any

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import Charge, Event, PaymentIntent, StripeObject, try_convert_to_int
from localstripe.server import api_extra, api_retrieve, get_post_data, json_response
from localstripe.webhooks import schedule_webhook

SESSIONS_URL = "/v1/checkout/sessions"
# Real Stripe: expires_at must be 30 minutes to 24 hours after the session is created; the
# default is 24 hours.
MIN_LIFETIME_S = 30 * 60
MAX_LIFETIME_S = 24 * 60 * 60
SUCCEEDING_PAYMENT_METHOD = "pm_card_visa"

# Where the hosted pay page lives when a session was not created through an HTTP request (the
# wrapper sets it once it knows its port); sessions created over HTTP use the request's own host.
_default_base_url = "http://127.0.0.1:8420"


def set_default_base_url(url: str) -> None:
    """Set the base URL used for ``url`` when no request tells us the host (see ``install``)."""
    global _default_base_url
    _default_base_url = url.rstrip("/")


def _bad_request(message: str) -> UserError:
    return UserError(400, message)


def _unexpected(names: list[str]) -> UserError:
    # Same wording as localstripe's own strictness (section 1.4).
    return UserError(400, "Unexpected " + ", ".join(names))


def _check_keys(value: dict[str, Any], allowed: set[str], prefix: str) -> None:
    """Reject keys of a nested parameter that the plugin does not send, naming them Stripe-style."""
    extra = sorted(set(value) - allowed)
    if extra:
        raise _unexpected([f"{prefix}[{key}]" for key in extra])


def _as_int(value: Any, name: str, *, minimum: int) -> int:
    # Form-encoded bodies (what stripe-python sends) carry every value as a string.
    number = try_convert_to_int(value)
    if type(number) is not int or number < minimum:
        raise _bad_request(f"Invalid integer: {name} must be an integer >= {minimum}.")
    return number


def _as_str(value: Any, name: str, *, max_length: int = 5000) -> str:
    if type(value) is not str or not value or len(value) > max_length:
        raise _bad_request(f"Invalid string: {name}.")
    return value


def _as_url(value: Any, name: str) -> str:
    url = _as_str(value, name, max_length=5000)
    if not url.startswith(("http://", "https://")):
        raise _bad_request(f"Not a valid URL: {name}.")
    return url


def _as_metadata(value: Any, name: str) -> dict[str, str]:
    """Stripe metadata: string keys and string values. An empty string (stripe-python's encoding of
    an empty dict, and Stripe's way to clear metadata) means no metadata."""
    if value is None or value == "":
        return {}
    if type(value) is not dict:
        raise _bad_request(f"Invalid object: {name}.")
    return {str(key): str(item) for key, item in value.items()}


def _parse_line_item(raw: Any, index: int) -> dict[str, Any]:
    """One ``{price_data: {currency, unit_amount, product_data: {name}}, quantity}`` item.

    Only inline ``price_data`` is supported: localstripe has no Prices (section 1.3).
    """
    prefix = f"line_items[{index}]"
    if type(raw) is not dict:
        raise _bad_request(f"Invalid object: {prefix}.")
    _check_keys(raw, {"price_data", "quantity"}, prefix)
    price_data = raw.get("price_data")
    if type(price_data) is not dict:
        raise _bad_request(f"Missing required param: {prefix}[price_data].")
    _check_keys(price_data, {"currency", "unit_amount", "product_data"}, f"{prefix}[price_data]")
    product_data = price_data.get("product_data")
    if type(product_data) is not dict:
        raise _bad_request(f"Missing required param: {prefix}[price_data][product_data].")
    _check_keys(product_data, {"name"}, f"{prefix}[price_data][product_data]")
    return {
        "currency": _as_str(price_data.get("currency"), f"{prefix}[price_data][currency]").lower(),
        "unit_amount": _as_int(price_data.get("unit_amount"), f"{prefix}[price_data][unit_amount]", minimum=0),
        "name": _as_str(product_data.get("name"), f"{prefix}[price_data][product_data][name]"),
        "quantity": _as_int(raw.get("quantity", 1), f"{prefix}[quantity]", minimum=1),
    }


def _parse_line_items(raw: Any) -> list[dict[str, Any]]:
    # A form-encoded ``line_items[0][...]`` arrives as a list once localstripe unflattens it.
    if type(raw) is not list or not raw:
        raise _bad_request("Missing required param: line_items.")
    items = [_parse_line_item(item, index) for index, item in enumerate(raw)]
    if len({item["currency"] for item in items}) != 1:
        raise _bad_request("All line_items must use the same currency.")
    return items


def _parse_expires_at(raw: Any, now: int) -> int:
    if raw is None:
        return now + MAX_LIFETIME_S
    expires_at = _as_int(raw, "expires_at", minimum=0)
    if expires_at - now < MIN_LIFETIME_S:
        raise _bad_request("The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.")
    if expires_at - now > MAX_LIFETIME_S:
        raise _bad_request("The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.")
    return expires_at


def _parse_payment_intent_data(raw: Any) -> dict[str, str]:
    """Only ``payment_intent_data[metadata]`` is accepted; returns that metadata."""
    if raw is None:
        return {}
    if type(raw) is not dict:
        raise _bad_request("Invalid object: payment_intent_data.")
    _check_keys(raw, {"metadata"}, "payment_intent_data")
    return _as_metadata(raw.get("metadata"), "payment_intent_data[metadata]")


def _intent_id_of_decline(error: UserError) -> str | None:
    """The PaymentIntent behind a localstripe 402.

    localstripe stores the PaymentIntent before confirming it, then raises a 402 that names only the
    failed *charge*; the charge points back at its intent.
    """
    charge_id = error.body.get("error", {}).get("charge")
    if not charge_id:
        return None
    return Charge._api_retrieve(charge_id).payment_intent


class CheckoutSession(StripeObject):
    """A ``checkout.session`` in ``payment`` mode with inline prices.

    Every public attribute (and property) is serialised by localstripe, so private state and helper
    methods start with ``_``.
    """

    object = "checkout.session"
    _id_prefix = "cs_test_"

    def __init__(
        self,
        mode: Any = None,
        success_url: Any = None,
        cancel_url: Any = None,
        line_items: Any = None,
        client_reference_id: Any = None,
        metadata: Any = None,
        customer_email: Any = None,
        expires_at: Any = None,
        payment_intent_data: Any = None,
        currency: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise _unexpected(sorted(kwargs))
        # Validate everything first: StripeObject.__init__ stores the object at once.
        if mode is None:
            raise _bad_request("Missing required param: mode.")
        if mode != "payment":
            raise _bad_request("Only mode=payment is supported by this stand-in.")
        if success_url is None:
            raise _bad_request("Missing required param: success_url.")
        success_url = _as_url(success_url, "success_url")
        if cancel_url is not None:
            cancel_url = _as_url(cancel_url, "cancel_url")
        items = _parse_line_items(line_items)
        session_currency = items[0]["currency"]
        if currency is not None and _as_str(currency, "currency").lower() != session_currency:
            raise _bad_request("currency must match the currency of the line_items.")
        amount_total = sum(item["unit_amount"] * item["quantity"] for item in items)
        if amount_total <= 0:
            # localstripe's PaymentIntents need a positive amount; the plugin never sells for free
            # through Stripe.
            raise _bad_request("amount_total must be greater than 0.")
        if client_reference_id is not None:
            client_reference_id = _as_str(client_reference_id, "client_reference_id", max_length=200)
        if customer_email is not None:
            customer_email = _as_str(customer_email, "customer_email", max_length=800)
            if "@" not in customer_email:
                raise _bad_request("Invalid email address: customer_email.")
        metadata = _as_metadata(metadata, "metadata")
        intent_metadata = _parse_payment_intent_data(payment_intent_data)
        expires_at = _parse_expires_at(expires_at, int(time.time()))

        super().__init__()

        self.mode = "payment"
        self.status = "open"
        self.payment_status = "unpaid"
        self.success_url = success_url
        self.cancel_url = cancel_url
        self.client_reference_id = client_reference_id
        self.metadata = metadata
        self.customer_email = customer_email
        self.currency = session_currency
        self.amount_total = amount_total
        self.expires_at = expires_at
        self.payment_intent = None

        self._line_items = items
        self._intent_metadata = intent_metadata
        self._base_url = _default_base_url

    @property
    def url(self) -> str | None:
        """The hosted pay page. Like real Stripe, only an open session has a ``url``."""
        if self.status != "open":
            return None
        return f"{self._base_url}/pay/{self.id}"

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def _api_retrieve(cls, id: str) -> CheckoutSession:  # noqa: A002 (localstripe's signature)
        session = super()._api_retrieve(id)
        session._expire_if_due()
        return session

    def _expire_if_due(self) -> None:
        # Real Stripe expires sessions by itself shortly after expires_at; here it happens lazily,
        # the next time the session is read.
        if self.status == "open" and time.time() >= self.expires_at:
            self._expire()

    def _expire(self) -> None:
        self.status = "expired"
        schedule_webhook(Event("checkout.session.expired", self))

    def _require_open(self) -> None:
        if self.status != "open":
            raise UserError(400, "Session is not open")

    def _pay(self, payment_method: str) -> PaymentIntent:
        """Charge the session with a localstripe test payment method (e.g. ``pm_card_visa``).

        The first attempt creates and confirms a PaymentIntent. A later attempt (after a decline)
        reuses that intent, as real Checkout does. localstripe itself emits
        ``payment_intent.succeeded`` or ``payment_intent.payment_failed``; a decline is raised as
        localstripe's 402 ``card_declined`` ``UserError`` and leaves the session open and unpaid.
        """
        self._require_open()
        if self.payment_intent is None:
            intent = self._create_intent(payment_method)
        else:
            intent = self._retry_intent(payment_method)
        self.payment_intent = intent.id
        self.status = "complete"
        self.payment_status = "paid"
        schedule_webhook(Event("checkout.session.completed", self))
        return intent

    def _create_intent(self, payment_method: str) -> PaymentIntent:
        try:
            return PaymentIntent._api_create(
                amount=self.amount_total,
                currency=self.currency,
                payment_method=payment_method,
                confirm=True,
                metadata=dict(self._intent_metadata),
            )
        except UserError as error:
            if error.code == 402:
                self.payment_intent = _intent_id_of_decline(error)
            raise

    def _retry_intent(self, payment_method: str) -> PaymentIntent:
        # localstripe derives an intent's status from its latest charge, so an intent whose charge
        # failed can never be confirmed again, and confirm(payment_method=...) is "Not implemented"
        # (section 1.4). Emulate Stripe's retry on the same intent: new method, forget the failed
        # charge (it stays stored, pointing at the intent), confirm again.
        intent = PaymentIntent._api_retrieve(self.payment_intent)
        intent.payment_method = payment_method
        intent.latest_charge = None
        intent._confirm(on_failure_now=intent._report_failure)
        return intent

    # -- API entry points (called by localstripe's handler factories) --------------------------

    @classmethod
    def _api_expire(cls, id: str, **kwargs: Any) -> CheckoutSession:  # noqa: A002
        if kwargs:
            raise _unexpected(sorted(kwargs))
        session = cls._api_retrieve(id)
        session._require_open()
        session._expire()
        return session

    @classmethod
    def _api_test_complete(cls, id: str, **kwargs: Any) -> CheckoutSession:  # noqa: A002
        """Test hook (not a Stripe API): pay the session with a succeeding card."""
        if kwargs:
            raise _unexpected(sorted(kwargs))
        session = cls._api_retrieve(id)
        session._pay(SUCCEEDING_PAYMENT_METHOD)
        return session


def _base_url_of(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


async def _create_session(request: web.Request) -> web.Response:
    """POST /v1/checkout/sessions.

    Like localstripe's ``api_create``, but it also records the host the client called, so ``url``
    points at this server as the client sees it (localstripe's factories never pass the request on).
    """
    data = await get_post_data(request) or {}
    expand = data.pop("expand", None)
    session = CheckoutSession._api_create(**data)
    session._base_url = _base_url_of(request)
    return json_response(session._export(expand=expand))


def install(app: web.Application, base_url: str | None = None) -> None:
    """Add the Checkout Session routes to localstripe's app (before it starts: the router freezes).

    The ``{id}/expire`` route goes first, as localstripe does for its own extra routes.
    """
    if base_url:
        set_default_base_url(base_url)
    app.router.add_post(SESSIONS_URL + "/{id}/expire", api_extra(CheckoutSession._api_expire, SESSIONS_URL))
    # Under /_config/ localstripe asks for no API key: a test-only hook.
    app.router.add_post(
        "/_config/checkout/sessions/{id}/complete", api_extra(CheckoutSession._api_test_complete, SESSIONS_URL)
    )
    app.router.add_post(SESSIONS_URL, _create_session)
    # api_retrieve honours expand[]=payment_intent: localstripe looks the id up by its "pi_" prefix.
    app.router.add_get(SESSIONS_URL + "/{id}", api_retrieve(CheckoutSession, SESSIONS_URL))
