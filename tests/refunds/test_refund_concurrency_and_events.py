"""Refunds under concurrency and from Stripe's side: never twice, recorded once."""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import stripe
from django.db import connection

from commerce_plugin import api
from commerce_plugin.models import Order, Payment, Refund, StripeEvent
from tests.refunds.conftest import lms_enrollment
from tests.standins import stripe_client_for


def test_two_concurrent_requests_give_one_refund(bought, learner, shop):
    barrier = threading.Barrier(2)

    def ask(_):
        barrier.wait()
        try:
            return api.request_refund(bought.number, user=learner).status
        except api.RefundNotAllowed as exc:
            return f"refused:{exc.reason}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(ask, range(2)))

    assert results[0] in ("refused:already_requested", "refused:already_refunded"), results
    assert results[1] == "succeeded", results
    assert Refund.objects.count() == 1
    payment_intent = Order.objects.get(pk=bought.pk).payments.get(kind="payment").stripe_id
    listed = stripe_client_for(shop.stripe.url).v1.refunds.list(params={"payment_intent": payment_intent})
    assert len(listed.to_dict()["data"]) == 1


def _deliver(shop, settings, event: dict) -> requests.Response:
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    return requests.post(f"{shop.url}/commerce/webhooks/stripe/", data=payload, timeout=15,
                         headers={"Content-Type": "application/json", "Stripe-Signature": header})


def test_a_dashboard_refund_reported_twice_is_recorded_once(bought, shop, settings):
    client = stripe_client_for(shop.stripe.url)
    payment_intent = bought.payments.get(kind="payment").stripe_id
    # Someone refunds in the Stripe dashboard: no metadata of ours.
    dashboard = client.v1.refunds.create(params={"payment_intent": payment_intent}).to_dict()
    charge = dashboard["charge"]
    event = {"id": "evt_dashboard_refund", "object": "event", "type": "charge.refunded", "created": int(time.time()),
             "data": {"object": {"id": charge, "object": "charge", "payment_intent": payment_intent}}}
    again = {**event, "id": "evt_dashboard_refund_again"}
    updated = {"id": "evt_refund_updated", "object": "event", "type": "refund.updated", "created": int(time.time()),
               "data": {"object": {"id": dashboard["id"], "object": "refund"}}}

    responses = [_deliver(shop, settings, item) for item in (event, event, again, updated)]

    assert [r.status_code for r in responses] == [200, 200, 200, 200], [r.text for r in responses]
    assert responses[1].json()["result"] == "duplicate"
    refund = Refund.objects.get()
    assert (refund.source, refund.amount, refund.status, refund.stripe_refund_id) == (
        "dashboard", 4900, "succeeded", dashboard["id"])
    assert Payment.objects.filter(kind="refund").count() == 1
    order = Order.objects.get(pk=bought.pk)
    assert order.status == "refunded"
    assert lms_enrollment("ada", order.course_key).is_active is False
    assert StripeEvent.objects.filter(type="charge.refunded").count() == 2  # two distinct event ids
    assert StripeEvent.objects.filter(order=order).count() >= 3
