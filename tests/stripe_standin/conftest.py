"""Helpers for testing the Stripe stand-in itself: a session factory and a webhook receiver.

The receiver is a plain ``http.server`` on loopback (no Django): these tests check what
localstripe sends, byte for byte, not how the plugin handles it.
"""
from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import stripe

from sandbox.stripe_process import LocalStripe
from tests.standins import stripe_client_for

WEBHOOK_SECRET = "whsec_standin_tests"
SUCCESS_URL = "https://lms.example.com/commerce/checkout/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://lms.example.com/commerce/checkout/cancel"


def session_params(*, omit: tuple[str, ...] = (), **overrides: Any) -> dict[str, Any]:
    """The parameters the plugin sends when it sells one course run (minus ``omit``, plus ``overrides``)."""
    params: dict[str, Any] = {
        "mode": "payment",
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "line_items": [
            {
                "price_data": {
                    "currency": "usd",
                    "unit_amount": 4900,
                    "product_data": {"name": "Contract testing (verified)"},
                },
                "quantity": 1,
            }
        ],
        "client_reference_id": "order-42",
        "metadata": {"order_id": "order-42", "course_id": "course-v1:TestX+Contract+2026"},
        "customer_email": "ada@example.com",
        "expires_at": int(time.time()) + 3600,
        "payment_intent_data": {"metadata": {"order_id": "order-42"}},
        "currency": "usd",
    }
    params.update(overrides)
    for name in omit:
        del params[name]
    return params


@pytest.fixture
def client(stripe_standin: LocalStripe) -> stripe.StripeClient:
    return stripe_client_for(stripe_standin.url)


@pytest.fixture
def create_session(client: stripe.StripeClient) -> Callable[..., stripe.checkout.Session]:
    def create(*, omit: tuple[str, ...] = (), **overrides: Any) -> stripe.checkout.Session:
        return client.v1.checkout.sessions.create(
            params=session_params(omit=omit, **overrides), options={"idempotency_key": f"checkout-{uuid.uuid4()}"}
        )

    return create


@dataclass
class Delivery:
    """One webhook POST as received: the raw body and the signature header."""

    payload: bytes
    signature: str


@dataclass
class WebhookReceiver:
    url: str
    deliveries: list[Delivery] = field(default_factory=list)

    def wait_for(self, event_type: str, object_id: str, timeout: float = 10.0) -> Delivery:
        """Poll until an event of ``event_type`` about ``object_id`` arrives (localstripe sends ~1 s later)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for delivery in list(self.deliveries):
                event = stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET)
                if event.type == event_type and event.data.object.id == object_id:
                    return delivery
            time.sleep(0.05)
        received = [json.loads(d.payload)["type"] for d in self.deliveries]
        raise AssertionError(f"no {event_type} for {object_id} within {timeout} s; received {received}")


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.deliveries.append(Delivery(body, self.headers.get("Stripe-Signature", "")))
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def webhook_receiver(stripe_standin: LocalStripe) -> Iterator[WebhookReceiver]:
    """A receiver registered with the stand-in for this test; muted again afterwards."""
    receiver = WebhookReceiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhook"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    stripe_standin.register_webhook(receiver.url, WEBHOOK_SECRET, hook_id="standin-tests")
    yield receiver
    # Registrations cannot be deleted: mute this one so later tests do not post to a dead port.
    stripe_standin.register_webhook(receiver.url, WEBHOOK_SECRET, hook_id="standin-tests", events=["none.muted"])
    server.shutdown()
    server.server_close()


PAID_AMOUNT = 5000


@pytest.fixture
def pay(client: stripe.StripeClient) -> Callable[..., stripe.PaymentIntent]:
    """``pay(amount=5000)`` -> a succeeded PaymentIntent (its charge expanded, as localstripe does)."""

    def create(amount: int = PAID_AMOUNT) -> stripe.PaymentIntent:
        return client.v1.payment_intents.create(
            params={"amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
        )

    return create
