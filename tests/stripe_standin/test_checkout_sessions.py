"""The Checkout Session API of the stand-in, through stripe-python 16 over real HTTP."""
from __future__ import annotations

import time

import pytest
import requests
import stripe

from tests.stripe_standin.conftest import SUCCESS_URL, session_params


def test_create_returns_an_open_session_with_a_pay_page_url(stripe_standin, create_session):
    session = create_session()

    assert session.object == "checkout.session"
    assert session.id.startswith("cs_test_")
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert session.amount_total == 4900
    assert session.currency == "usd"
    assert session.url == f"{stripe_standin.url}/pay/{session.id}"
    assert session.success_url == SUCCESS_URL
    assert session.client_reference_id == "order-42"
    assert session.customer_email == "ada@example.com"
    assert session.metadata.to_dict() == {"order_id": "order-42", "course_id": "course-v1:TestX+Contract+2026"}
    assert session.payment_intent is None


def test_amount_total_sums_quantities(create_session):
    item = session_params()["line_items"][0]
    second = {"price_data": {**item["price_data"], "unit_amount": 1000}, "quantity": 3}

    session = create_session(line_items=[item, second])

    assert session.amount_total == 4900 + 3 * 1000


def test_expires_at_defaults_to_24_hours(create_session):
    session = create_session(omit=("expires_at", "cancel_url", "customer_email", "payment_intent_data", "currency"))

    assert session.expires_at - session.created == 24 * 3600
    assert session.cancel_url is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"automatic_tax": {"enabled": True}}, "Unexpected automatic_tax"),
        ({"payment_method_types": ["card"]}, "Unexpected payment_method_types"),
        ({"payment_intent_data": {"description": "x"}}, "Unexpected payment_intent_data[description]"),
        ({"mode": "subscription"}, "mode=payment"),
        ({"expires_at": int(time.time()) + 60}, "at least 30 minutes"),
        ({"currency": "eur"}, "currency must match"),
    ],
)
def test_rejects_what_the_plugin_does_not_send(create_session, overrides, message):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        create_session(**overrides)

    assert raised.value.http_status == 400
    assert message in raised.value.user_message


def test_retrieve_and_expand_payment_intent(stripe_standin, client, create_session):
    session = create_session()
    stripe_standin.complete_session(session.id)

    plain = client.v1.checkout.sessions.retrieve(session.id)
    expanded = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})

    assert plain.payment_intent.startswith("pi_")
    assert expanded.payment_intent.id == plain.payment_intent
    assert expanded.payment_intent.status == "succeeded"
    assert expanded.payment_intent.amount == 4900
    assert expanded.payment_intent.metadata.to_dict() == {"order_id": "order-42"}
    # A paid session has no url any more, as on Stripe.
    assert (plain.status, plain.payment_status, plain.url) == ("complete", "paid", None)


def test_retrieve_unknown_session_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.retrieve("cs_test_doesnotexist")

    assert raised.value.http_status == 404


def test_expire_then_expire_again(client, create_session):
    session = create_session()

    expired = client.v1.checkout.sessions.expire(session.id)
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.checkout.sessions.expire(session.id)

    assert (expired.status, expired.url) == ("expired", None)
    assert raised.value.http_status == 400
    assert "Session is not open" in raised.value.user_message


def test_complete_hook_refuses_an_expired_session(stripe_standin, client, create_session):
    session = create_session()
    client.v1.checkout.sessions.expire(session.id)

    with pytest.raises(requests.HTTPError) as raised:
        stripe_standin.complete_session(session.id)

    assert raised.value.response.status_code == 400


def test_api_needs_a_secret_key(stripe_standin, create_session):
    response = requests.get(f"{stripe_standin.url}/v1/checkout/sessions/{create_session().id}", timeout=5)

    assert response.status_code == 401
