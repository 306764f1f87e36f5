"""The Stripe gateway: the only module that imports ``stripe`` (import-linter holds this line).

It speaks stripe-python 16's ``StripeClient`` (``client.v1.*``), turns Stripe objects into plain
dataclasses right away (a ``StripeObject`` is not a dict and must not leak), and classifies
failures: :class:`PaymentGatewayUnavailable` for what a retry may fix (connection errors, 5xx,
rate limits), :class:`PaymentGatewayRejected` for what it will not (bad request, auth, card).

Every call that creates something carries an idempotency key derived from our own record, so a
retry (ours or stripe-python's) cannot create it twice on real Stripe. The localstripe stand-in
ignores those keys, which is why our own records (unique constraints, row locks) are the real guard.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import stripe

from commerce_plugin.conf import get_setting
from commerce_plugin.errors import UpstreamError
from commerce_plugin.limits import STRIPE_EVENT_TYPE_MAX_LENGTH, STRIPE_ID_MAX_LENGTH

__all__ = [
    "CheckoutSessionInfo",
    "InvalidWebhook",
    "MalformedWebhook",
    "PaymentGatewayError",
    "PaymentGatewayRejected",
    "PaymentGatewayUnavailable",
    "RefundInfo",
    "StripeGateway",
    "WebhookEvent",
    "stored_event",
]


class PaymentGatewayError(UpstreamError):
    """Stripe did not give the answer we needed."""

    def __init__(self, operation: str, detail: str, *, status_code: int | None = None, code: str = "") -> None:
        self.operation = operation
        self.detail = detail
        self.status_code = status_code
        self.code = code
        super().__init__(f"Stripe {operation} failed: {detail}")


class PaymentGatewayUnavailable(PaymentGatewayError):
    """Transient: connection error, Stripe 5xx, rate limit. Retry later."""

    transient = True


class PaymentGatewayRejected(PaymentGatewayError):
    """Permanent: Stripe refused the request (invalid, unauthenticated, card declined)."""

    transient = False


class InvalidWebhook(Exception):  # noqa: N818 - reads as a verdict at the call site
    """A webhook delivery that is not a verified Stripe event: bad or missing signature, stale, not JSON."""


class MalformedWebhook(InvalidWebhook):
    """Correctly signed, but not the shape of a Stripe event (staff should see these: it is our secret).

    ``digest`` identifies the body (sha256), so a redelivery of the same bytes is recorded once.
    """

    def __init__(self, message: str, digest: str) -> None:
        super().__init__(message)
        self.digest = digest


@dataclass(frozen=True)
class CheckoutSessionInfo:
    """What we need of a Checkout Session, read fresh from Stripe."""

    id: str
    url: str
    status: str  # open, complete, expired
    payment_status: str  # paid, unpaid, no_payment_required
    amount_total: int | None
    currency: str
    payment_intent_id: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    payment_error_code: str = ""
    payment_error_message: str = ""


@dataclass(frozen=True)
class RefundInfo:
    """What we need of a Stripe Refund, read fresh from Stripe.

    ``status``: ``pending``, ``requires_action``, ``succeeded``, ``failed`` or ``canceled``.
    """

    id: str
    amount: int
    currency: str
    status: str
    payment_intent_id: str | None
    charge_id: str | None
    metadata: dict[str, str] = field(default_factory=dict)
    failure_reason: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    """A verified event: id, type, and the id and metadata of the object it is about."""

    id: str
    type: str
    object_id: str
    object_type: str
    metadata: dict[str, str]
    created: int
    payload: dict[str, Any]


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Read a field of a StripeObject or a dict (expanded objects arrive as either)."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _classify(operation: str, exc: stripe.StripeError) -> PaymentGatewayError:
    status = getattr(exc, "http_status", None)
    code = getattr(exc, "code", None) or ""
    message = getattr(exc, "user_message", None) or str(exc) or type(exc).__name__
    transient_types = (stripe.APIConnectionError, stripe.RateLimitError)
    if isinstance(exc, transient_types) or (status is not None and status >= 500) or (
        isinstance(exc, stripe.APIError) and status is None
    ):
        return PaymentGatewayUnavailable(operation, message[:500], status_code=status, code=code)
    return PaymentGatewayRejected(operation, message[:500], status_code=status, code=code)


def _event_from(data: Any, digest: str) -> WebhookEvent:
    """Check the shape of a signed event body and read what we use of it.

    Raises:
        MalformedWebhook: not an object with a string ``id`` and ``type`` that fit our columns, or
            a ``data.object``, ``metadata`` or object ``id`` of the wrong type or length.
    """
    def refuse(message: str) -> MalformedWebhook:
        return MalformedWebhook(message, digest)

    if not isinstance(data, dict):
        raise refuse(f"the body is a JSON {type(data).__name__}, not an event object")
    event_id, event_type = data.get("id"), data.get("type")
    if not isinstance(event_id, str) or not event_id or len(event_id) > STRIPE_ID_MAX_LENGTH:
        raise refuse(f"the event id must be a string of 1 to {STRIPE_ID_MAX_LENGTH} characters")
    if not isinstance(event_type, str) or not event_type or len(event_type) > STRIPE_EVENT_TYPE_MAX_LENGTH:
        raise refuse(f"the event type must be a string of 1 to {STRIPE_EVENT_TYPE_MAX_LENGTH} characters")
    envelope = data.get("data", {})
    if not isinstance(envelope, dict) or not isinstance(envelope.get("object", {}), dict):
        raise refuse("data.object must be a JSON object")
    obj = envelope.get("object") or {}
    object_id, metadata, created = obj.get("id", ""), obj.get("metadata") or {}, data.get("created") or 0
    if not isinstance(object_id, str) or len(object_id) > STRIPE_ID_MAX_LENGTH:
        raise refuse(f"data.object.id must be a string of at most {STRIPE_ID_MAX_LENGTH} characters")
    if not isinstance(metadata, dict):
        raise refuse("data.object.metadata must be a JSON object")
    if not isinstance(created, int) or isinstance(created, bool):
        raise refuse("created must be a whole number of seconds")
    return WebhookEvent(
        id=event_id,
        type=event_type,
        object_id=object_id,
        object_type=str(obj.get("object") or ""),
        metadata={str(key): str(value) for key, value in metadata.items()},
        created=created,
        payload=data,
    )


@functools.lru_cache(maxsize=8)
def _client_for(secret_key: str, api_base: str, max_network_retries: int, timeout: float) -> stripe.StripeClient:
    """One Stripe client per configuration, kept for the process.

    Safe to share between threads: stripe-python's ``RequestsClient`` keeps one ``requests``
    session per thread, so each thread reuses its own pooled connection. A changed setting (a
    test, a rotated key) gives a new client.
    """
    kwargs: dict[str, Any] = {"max_network_retries": max_network_retries,
                              "http_client": stripe.RequestsClient(timeout=timeout)}
    if api_base:
        kwargs["base_addresses"] = {"api": api_base}
    return stripe.StripeClient(secret_key, **kwargs)


def stored_event(payload: dict[str, Any]) -> WebhookEvent:
    """An event read back from the payload we stored after verifying it (the task's input)."""
    return _event_from(payload, "")


class StripeGateway:
    """Stripe, as the plugin uses it: Checkout Sessions and verified webhooks."""

    def __init__(self, client: stripe.StripeClient, *, webhook_secret: str, webhook_tolerance: int = 300) -> None:
        self._client = client
        self._webhook_secret = webhook_secret
        self._webhook_tolerance = webhook_tolerance

    @classmethod
    def from_settings(cls) -> StripeGateway:
        """A gateway configured from the current ``COMMERCE_STRIPE_*`` settings.

        The Stripe client is made once per process and configuration (:func:`_client_for`): a new
        client per call would open a new HTTPS connection, and its TLS handshake, every time.
        """
        client = _client_for(get_setting("COMMERCE_STRIPE_SECRET_KEY") or "sk_missing",
                             get_setting("COMMERCE_STRIPE_API_BASE") or "",
                             get_setting("COMMERCE_STRIPE_MAX_NETWORK_RETRIES"),
                             get_setting("COMMERCE_STRIPE_TIMEOUT"))
        return cls(client, webhook_secret=get_setting("COMMERCE_STRIPE_WEBHOOK_SECRET"),
                   webhook_tolerance=get_setting("COMMERCE_WEBHOOK_TOLERANCE_SECONDS"))

    # ------------------------------------------------------------------ account

    def account_summary(self) -> tuple[bool, str]:
        """``(livemode, account id)`` of the secret key: proves the key is accepted by Stripe.

        The balance endpoint answers for any valid key (and on the localstripe stand-in); the
        account id comes from ``GET /v1/account``, which the stand-in does not serve ("" then).

        Raises:
            PaymentGatewayRejected: the key is refused. PaymentGatewayUnavailable: Stripe unreachable.
        """
        try:
            balance = self._client.v1.balance.retrieve()
        except stripe.StripeError as exc:
            raise _classify("check_key", exc) from exc
        try:
            account_id = str(self._client.v1.accounts.retrieve_current().id or "")
        except stripe.StripeError:
            account_id = ""
        return bool(getattr(balance, "livemode", False)), account_id

    # ------------------------------------------------------------------ Checkout Sessions

    def create_checkout_session(
        self,
        *,
        idempotency_key: str,
        amount: int,
        currency: str,
        product_name: str,
        metadata: dict[str, str],
        client_reference_id: str,
        customer_email: str,
        success_url: str,
        cancel_url: str,
        expires_at: datetime | None = None,
    ) -> CheckoutSessionInfo:
        """Create a one-line Checkout Session priced inline (no Stripe Price objects to manage).

        ``metadata`` goes on both the session and its PaymentIntent, so events about either lead
        back to our order. ``expires_at`` is sent only when Stripe accepts it (30 min to 24 h).
        """
        params: dict[str, Any] = {
            "mode": "payment",
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": client_reference_id,
            "customer_email": customer_email,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "line_items": [{
                "quantity": 1,
                "price_data": {"currency": currency, "unit_amount": amount, "product_data": {"name": product_name}},
            }],
        }
        if expires_at is not None:
            params["expires_at"] = int(expires_at.timestamp())
        try:
            session = self._client.v1.checkout.sessions.create(
                params=params, options={"idempotency_key": idempotency_key})
        except stripe.StripeError as exc:
            raise _classify("create_checkout_session", exc) from exc
        return self._session_info(session)

    def retrieve_checkout_session(self, session_id: str) -> CheckoutSessionInfo:
        """The session as Stripe holds it now, with its PaymentIntent expanded (for decline reasons)."""
        try:
            session = self._client.v1.checkout.sessions.retrieve(session_id, params={"expand": ["payment_intent"]})
        except stripe.StripeError as exc:
            raise _classify("retrieve_checkout_session", exc) from exc
        return self._session_info(session)

    def expire_checkout_session(self, session_id: str) -> CheckoutSessionInfo:
        """Close an open session so it can no longer be paid; returns the session's current state.

        A session that is no longer open (paid or already expired) is not an error here: the
        caller reads ``status`` and ``payment_status`` and acts on them.
        """
        try:
            session = self._client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError:
            return self.retrieve_checkout_session(session_id)
        except stripe.StripeError as exc:
            raise _classify("expire_checkout_session", exc) from exc
        return self._session_info(session)

    def retrieve_payment_intent_metadata(self, payment_intent_id: str) -> tuple[dict[str, str], str, str]:
        """``(metadata, error_code, error_message)`` of a PaymentIntent, read fresh."""
        try:
            intent = self._client.v1.payment_intents.retrieve(payment_intent_id)
        except stripe.StripeError as exc:
            raise _classify("retrieve_payment_intent", exc) from exc
        intent = intent.to_dict() if hasattr(intent, "to_dict") else intent
        error = _get(intent, "last_payment_error")
        return (dict(_get(intent, "metadata") or {}), _get(error, "code", "") or "",
                _get(error, "message", "") or "")

    # ------------------------------------------------------------------ refunds

    def create_refund(self, *, payment_intent_id: str, amount: int, metadata: dict[str, str],
                      idempotency_key: str) -> RefundInfo:
        """Refund ``amount`` minor units of a PaymentIntent.

        No ``reason`` is sent (localstripe rejects it and Stripe does not need it); ours is in
        ``metadata``. The idempotency key comes from our refund record, so a retry after a lost
        answer cannot refund twice on real Stripe (the caller also looks for the refund first).
        """
        try:
            refund = self._client.v1.refunds.create(
                params={"payment_intent": payment_intent_id, "amount": amount, "metadata": metadata},
                options={"idempotency_key": idempotency_key})
        except stripe.StripeError as exc:
            raise _classify("create_refund", exc) from exc
        return self._refund_info(refund)

    def retrieve_refund(self, refund_id: str) -> RefundInfo:
        """A refund as Stripe holds it now."""
        try:
            refund = self._client.v1.refunds.retrieve(refund_id)
        except stripe.StripeError as exc:
            raise _classify("retrieve_refund", exc) from exc
        return self._refund_info(refund)

    def list_refunds(self, payment_intent_id: str) -> list[RefundInfo]:
        """Every refund of a PaymentIntent (up to 100, more than any order of ours can have)."""
        try:
            page = self._client.v1.refunds.list(params={"payment_intent": payment_intent_id, "limit": 100})
        except stripe.StripeError as exc:
            raise _classify("list_refunds", exc) from exc
        data = page.to_dict().get("data", []) if hasattr(page, "to_dict") else list(page.get("data", []))
        return [self._refund_info(item) for item in data]

    def payment_intent_of_charge(self, charge_id: str) -> str | None:
        """The PaymentIntent a Charge belongs to (``charge.refunded`` events name the charge)."""
        try:
            charge = self._client.v1.charges.retrieve(charge_id)
        except stripe.StripeError as exc:
            raise _classify("retrieve_charge", exc) from exc
        intent = _get(charge.to_dict() if hasattr(charge, "to_dict") else charge, "payment_intent")
        return intent if isinstance(intent, str) or intent is None else _get(intent, "id")

    # ------------------------------------------------------------------ webhooks

    def verify_webhook(self, payload: bytes, signature_header: str | None) -> WebhookEvent:
        """Verify a delivery's signature on the raw body and return the event it carries.

        Raises:
            InvalidWebhook: no signature, a signature that does not match our secret, a timestamp
                outside the tolerance (a replay), or a body that is not a JSON event.
        """
        if not signature_header:
            raise InvalidWebhook("missing Stripe-Signature header")
        if not self._webhook_secret:
            raise InvalidWebhook("COMMERCE_STRIPE_WEBHOOK_SECRET is not configured")
        try:
            text = payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else payload
        except UnicodeDecodeError as exc:
            raise InvalidWebhook("the body is not UTF-8 text") from exc
        try:
            stripe.WebhookSignature.verify_header(text, signature_header, self._webhook_secret,
                                                  tolerance=self._webhook_tolerance)
        except stripe.SignatureVerificationError as exc:
            raise InvalidWebhook("signature verification failed (wrong secret or stale timestamp)") from exc
        # Signed with our secret from here on: whatever is wrong is worth recording (see MalformedWebhook).
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise MalformedWebhook("the body is not JSON (or is nested too deeply)", digest) from exc
        return _event_from(data, digest)

    # ------------------------------------------------------------------ plumbing

    @staticmethod
    def _session_info(session: Any) -> CheckoutSessionInfo:
        if hasattr(session, "to_dict"):
            session = session.to_dict()  # plain dicts all the way down (StripeObject is no mapping)
        intent = _get(session, "payment_intent")
        intent_id = intent if isinstance(intent, str) or intent is None else _get(intent, "id")
        error = None if isinstance(intent, str) or intent is None else _get(intent, "last_payment_error")
        return CheckoutSessionInfo(
            id=_get(session, "id"),
            url=_get(session, "url") or "",
            status=_get(session, "status") or "",
            payment_status=_get(session, "payment_status") or "",
            amount_total=_get(session, "amount_total"),
            currency=(_get(session, "currency") or "").lower(),
            payment_intent_id=intent_id,
            metadata={str(k): str(v) for k, v in dict(_get(session, "metadata") or {}).items()},
            payment_error_code=_get(error, "code", "") or "",
            payment_error_message=_get(error, "message", "") or "",
        )

    @staticmethod
    def _refund_info(refund: Any) -> RefundInfo:
        if hasattr(refund, "to_dict"):
            refund = refund.to_dict()
        charge = _get(refund, "charge")
        intent = _get(refund, "payment_intent")
        return RefundInfo(
            id=_get(refund, "id"),
            amount=int(_get(refund, "amount") or 0),
            currency=(_get(refund, "currency") or "").lower(),
            status=_get(refund, "status") or "",
            payment_intent_id=intent if isinstance(intent, str) or intent is None else _get(intent, "id"),
            charge_id=charge if isinstance(charge, str) or charge is None else _get(charge, "id"),
            metadata={str(k): str(v) for k, v in dict(_get(refund, "metadata") or {}).items()},
            failure_reason=_get(refund, "failure_reason") or "",
        )
