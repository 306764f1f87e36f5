"""The Stripe webhook endpoint: verified, recorded once, applied idempotently, over real HTTP."""
from __future__ import annotations

import json
import time

import pytest
import requests
import stripe

from commerce_plugin import api
from commerce_plugin.models import Grant, Order, Payment, StripeEvent
from tests.conftest import lms_calls, wait_for

WEBHOOK = "/commerce/webhooks/stripe/"


def _signed(event: dict, secret: str, *, timestamp: int | None = None) -> tuple[str, str]:
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return payload, header


def _event(session_id: str, *, event_id: str = "evt_test_1", event_type: str = "checkout.session.completed"):
    return {"id": event_id, "object": "event", "type": event_type, "created": int(time.time()),
            "data": {"object": {"id": session_id, "object": "checkout.session", "metadata": {}}}}


def _post(url: str, payload: str, header: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Stripe-Signature"] = header
    return requests.post(url, data=payload, headers=headers, timeout=15)


def _paid_session(shop, product, learner) -> tuple[Order, str]:
    """An order whose Stripe session is paid, with its automatic webhook muted (we deliver by hand)."""
    shop.stripe.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    stored = Order.objects.get(number=order.number)
    shop.stripe.complete_session(stored.stripe_session_id)
    return stored, stored.stripe_session_id


def test_a_verified_completed_session_pays_and_enrolls(shop, product, learner, settings):
    order, session_id = _paid_session(shop, product, learner)
    payload, header = _signed(_event(session_id), settings.COMMERCE_STRIPE_WEBHOOK_SECRET)

    response = _post(shop.url + WEBHOOK, payload, header)

    assert response.status_code == 200, response.text
    assert response.json()["result"] == "accepted"  # stored and queued (the task ran eagerly here)
    order.refresh_from_db()
    assert order.status == "fulfilled"
    assert StripeEvent.objects.get(stripe_event_id="evt_test_1").processed_at is not None


def test_a_replayed_event_changes_nothing(shop, product, learner, settings):
    order, session_id = _paid_session(shop, product, learner)
    payload, header = _signed(_event(session_id), settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    assert _post(shop.url + WEBHOOK, payload, header).status_code == 200
    calls_before = lms_calls()

    replay = _post(shop.url + WEBHOOK, payload, header)

    assert replay.status_code == 200 and replay.json()["result"] == "duplicate"
    assert Payment.objects.count() == 1 and Grant.objects.count() == 1
    assert StripeEvent.objects.count() == 1
    assert lms_calls() == calls_before


def test_a_second_event_for_the_same_payment_changes_nothing(shop, product, learner, settings):
    order, session_id = _paid_session(shop, product, learner)
    for event_id in ("evt_first", "evt_second"):
        payload, header = _signed(_event(session_id, event_id=event_id), settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
        assert _post(shop.url + WEBHOOK, payload, header).json()["result"] == "accepted"
    assert Payment.objects.count() == 1 and Grant.objects.count() == 1
    assert lms_calls("POST", "/api/enrollment/v1/enrollment") == 1
    assert list(order.status_changes.values_list("to_status", flat=True)) == ["pending", "paid", "fulfilled"]


def test_a_forged_signature_is_refused_and_nothing_is_written(shop, product, learner):
    order, session_id = _paid_session(shop, product, learner)
    payload, header = _signed(_event(session_id), "whsec_someone_else")

    response = _post(shop.url + WEBHOOK, payload, header)

    assert response.status_code == 400
    assert "signature" in response.json()["detail"]
    assert not StripeEvent.objects.exists()
    order.refresh_from_db()
    assert order.status == "pending" and not Payment.objects.exists()


def test_a_stale_timestamp_is_refused(shop, product, learner, settings):
    _order, session_id = _paid_session(shop, product, learner)
    payload, header = _signed(_event(session_id), settings.COMMERCE_STRIPE_WEBHOOK_SECRET,
                              timestamp=int(time.time()) - 400)
    assert _post(shop.url + WEBHOOK, payload, header).status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_missing_signature_is_refused(shop):
    response = _post(shop.url + WEBHOOK, json.dumps(_event("cs_test_x")), None)
    assert response.status_code == 400
    assert "Stripe-Signature" in response.json()["detail"]
    assert not StripeEvent.objects.exists()


def _sign(payload: str, secret: str) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret)


def test_signed_malformed_json_is_refused_and_recorded_as_rejected(shop, settings):
    payload = "{not json"
    response = _post(shop.url + WEBHOOK, payload, _sign(payload, settings.COMMERCE_STRIPE_WEBHOOK_SECRET))
    again = _post(shop.url + WEBHOOK, payload, _sign(payload, settings.COMMERCE_STRIPE_WEBHOOK_SECRET))

    assert response.status_code == 400 and again.status_code == 400
    assert "not JSON" in response.json()["detail"]
    rejected = StripeEvent.objects.get()  # once per distinct body
    assert rejected.type == "rejected" and rejected.processed_at is not None and "not JSON" in rejected.error


_LONG = "x" * 256
BAD_SHAPES = {
    "a JSON array": "[1, 2, 3]",
    "a JSON string": '"evt_1"',
    "nested 1,000 levels deep": "[" * 1000 + "]" * 1000,
    "data.object a list": json.dumps({"id": "evt_a", "type": "checkout.session.completed", "data": {"object": []}}),
    "data a string": json.dumps({"id": "evt_b", "type": "checkout.session.completed", "data": "cs_1"}),
    "metadata a list": json.dumps({"id": "evt_c", "type": "charge.refunded",
                                   "data": {"object": {"id": "ch_1", "metadata": ["order"]}}}),
    "object id a number": json.dumps({"id": "evt_d", "type": "charge.refunded", "data": {"object": {"id": 7}}}),
    "event id too long": json.dumps({"id": "evt_" + _LONG, "type": "charge.refunded", "data": {"object": {}}}),
    "type too long": json.dumps({"id": "evt_e", "type": "t" * 101, "data": {"object": {}}}),
    "object id too long": json.dumps({"id": "evt_f", "type": "charge.refunded",
                                      "data": {"object": {"id": "ch_" + _LONG}}}),
    "id missing": json.dumps({"type": "charge.refunded", "data": {"object": {}}}),
    "created a string": json.dumps({"id": "evt_g", "type": "charge.refunded", "created": "today",
                                    "data": {"object": {}}}),
}


@pytest.mark.parametrize("payload", list(BAD_SHAPES.values()), ids=list(BAD_SHAPES))
def test_a_signed_body_of_the_wrong_shape_is_400_and_recorded(shop, settings, payload):
    response = _post(shop.url + WEBHOOK, payload, _sign(payload, settings.COMMERCE_STRIPE_WEBHOOK_SECRET))

    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("Rejected: ")
    assert list(StripeEvent.objects.values_list("type", flat=True)) == ["rejected"]
    assert not Payment.objects.exists()


def test_an_unknown_event_type_is_recorded_and_answered_200(shop, settings):
    event = {"id": "evt_unknown", "object": "event", "type": "customer.created", "created": int(time.time()),
             "data": {"object": {"id": "cus_1", "object": "customer"}}}
    payload, header = _signed(event, settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    response = _post(shop.url + WEBHOOK, payload, header)
    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert StripeEvent.objects.get(stripe_event_id="evt_unknown").processed_at is not None


def test_get_is_not_allowed(shop):
    assert requests.get(shop.url + WEBHOOK, timeout=5).status_code == 405


def test_expired_session_event_expires_the_order_and_frees_the_seat(shop, product, learner, settings):
    shop.stripe.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    stored = Order.objects.get(number=order.number)
    from tests.standins import stripe_client_for

    stripe_client_for(shop.stripe.url).v1.checkout.sessions.expire(stored.stripe_session_id)
    payload, header = _signed(_event(stored.stripe_session_id, event_type="checkout.session.expired"),
                              settings.COMMERCE_STRIPE_WEBHOOK_SECRET)

    assert _post(shop.url + WEBHOOK, payload, header).status_code == 200
    stored.refresh_from_db()
    assert stored.status == "expired"
    assert not Grant.objects.exists()


def test_the_webhook_from_the_stand_in_arrives_on_its_own(shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    shop.pay(order.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=order.number).status == "fulfilled", timeout=15)
    # Only this order's events: the stand-in may still deliver late events of earlier tests.
    assert StripeEvent.objects.filter(type="checkout.session.completed", order__number=order.number).count() == 1
