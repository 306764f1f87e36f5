"""Concurrency: duplicate webhook deliveries and the last seats, with real threads and HTTP.

These matter most on MariaDB/MySQL (``make test-mysql``), where row locks do the work; on SQLite
the same tests pass because IMMEDIATE transactions serialise writers.
"""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import stripe
from django.db import connection, connections

from commerce_plugin import api
from commerce_plugin.models import Grant, Order, Payment, StripeEvent
from tests.conftest import lms_calls, wait_for


def test_twenty_concurrent_deliveries_of_one_event_pay_grant_and_enroll_once(shop, product, learner, settings):
    shop.stripe.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    order = Order.objects.get(number=api.create_order(learner, product.uuid, base_url=shop.url).number)
    shop.stripe.complete_session(order.stripe_session_id)
    event = {"id": "evt_concurrent", "object": "event", "type": "checkout.session.completed",
             "created": int(time.time()),
             "data": {"object": {"id": order.stripe_session_id, "object": "checkout.session", "metadata": {}}}}
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    barrier = threading.Barrier(20)

    def deliver(_):
        barrier.wait()
        return requests.post(f"{shop.url}/commerce/webhooks/stripe/", data=payload, timeout=60,
                             headers={"Content-Type": "application/json", "Stripe-Signature": header})

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(deliver, range(20)))

    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses if r.status_code != 200]
    assert {r.json()["result"] for r in responses} <= {"accepted", "duplicate"}
    assert Payment.objects.filter(order__number=order.number).count() == 1
    assert Grant.objects.filter(source_ref=str(order.uuid)).count() == 1
    assert StripeEvent.objects.filter(stripe_event_id="evt_concurrent").count() == 1
    assert wait_for(lambda: Order.objects.get(number=order.number).status == "fulfilled")
    assert lms_calls("POST", "/api/enrollment/v1/enrollment") == 1


def test_n_plus_five_concurrent_buyers_for_n_seats_get_exactly_n(shop, product):
    from sandbox.lms.seed import create_user

    seats = 3
    product.seat_limit = seats
    product.save()
    buyers = [create_user(f"buyer{i}", f"buyer{i}@example.com") for i in range(seats + 5)]
    barrier = threading.Barrier(len(buyers))

    def buy(user):
        barrier.wait()
        try:
            api.create_order(user, product.uuid, base_url=shop.url)
            return "order"
        except api.SoldOut:
            return "sold out"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(buyers)) as pool:
        results = list(pool.map(buy, buyers))

    assert results.count("order") == seats, results
    assert results.count("sold out") == 5
    assert Order.objects.filter(product=product).count() == seats
    assert api.get_product(product.uuid).seats_taken == seats
    connections.close_all()
