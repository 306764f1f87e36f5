"""Signed events from the stand-in, verified exactly as the plugin will verify them."""
from __future__ import annotations

import pytest
import requests
import stripe

from tests.stripe_standin.conftest import WEBHOOK_SECRET


def test_paying_sends_a_signed_checkout_session_completed(webhook_receiver, create_session):
    session = create_session()

    requests.post(session.url, data={"card_number": "4242424242424242"}, allow_redirects=False, timeout=10)
    delivery = webhook_receiver.wait_for("checkout.session.completed", session.id)

    event = stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET)
    sent = event.data.object
    assert event.id.startswith("evt_")
    assert (sent.id, sent.object, sent.status, sent.payment_status) == (
        session.id,
        "checkout.session",
        "complete",
        "paid",
    )
    assert sent.client_reference_id == "order-42"
    assert sent.metadata.to_dict() == session.metadata.to_dict()
    assert sent.payment_intent.startswith("pi_")  # an id in the event, never expanded
    assert sent.amount_total == 4900


def test_complete_hook_sends_the_same_events(stripe_standin, webhook_receiver, create_session):
    session = create_session()

    completed = stripe_standin.complete_session(session.id)

    webhook_receiver.wait_for("checkout.session.completed", session.id)
    delivery = webhook_receiver.wait_for("payment_intent.succeeded", completed["payment_intent"])
    intent = stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET).data.object
    assert intent.metadata.to_dict() == {"order_id": "order-42"}


def test_decline_sends_payment_intent_payment_failed(client, webhook_receiver, create_session):
    session = create_session()

    requests.post(session.url, data={"card_number": "4000000000000341"}, allow_redirects=False, timeout=10)
    intent_id = client.v1.checkout.sessions.retrieve(session.id).payment_intent
    delivery = webhook_receiver.wait_for("payment_intent.payment_failed", intent_id)

    intent = stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET).data.object
    assert intent.last_payment_error.code == "card_declined"
    assert intent.metadata.to_dict() == {"order_id": "order-42"}


def test_expire_sends_checkout_session_expired(client, webhook_receiver, create_session):
    session = create_session()

    client.v1.checkout.sessions.expire(session.id)

    delivery = webhook_receiver.wait_for("checkout.session.expired", session.id)
    event = stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET)
    assert event.data.object.status == "expired"


def test_wrong_secret_fails_verification(webhook_receiver, stripe_standin, create_session):
    session = create_session()
    stripe_standin.complete_session(session.id)
    delivery = webhook_receiver.wait_for("checkout.session.completed", session.id)

    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(delivery.payload, delivery.signature, "whsec_wrong")
