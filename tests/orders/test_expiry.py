"""Seat holds: pending orders expire, release their seat, and Stripe's session is closed."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from commerce_plugin import api
from commerce_plugin.models import Grant, Order


def _stand_in_session(shop, session_id):
    from tests.standins import stripe_client_for

    return stripe_client_for(shop.stripe.url).v1.checkout.sessions.retrieve(session_id)


def test_an_expired_hold_frees_the_seat_for_the_next_buyer(shop, product, learner):
    from sandbox.lms.seed import create_user

    product.seat_limit = 1
    product.save()
    first = Order.objects.get(number=api.create_order(learner, product.uuid, base_url=shop.url).number)
    grace = create_user("grace", "grace@example.com")
    with pytest.raises(api.SoldOut):
        api.create_order(grace, product.uuid, base_url=shop.url)

    Order.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("commerce_expire_orders", stdout=out)

    assert f"Expired 1 order(s): {first.number}" in out.getvalue()
    first.refresh_from_db()
    assert first.status == "expired"
    assert _stand_in_session(shop, first.stripe_session_id).status == "expired"
    assert api.create_order(grace, product.uuid, base_url=shop.url).status == "pending"


def test_a_session_paid_at_the_last_second_is_fulfilled_not_expired(shop, product, learner):
    shop.stripe.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    order = Order.objects.get(number=api.create_order(learner, product.uuid, base_url=shop.url).number)
    shop.stripe.complete_session(order.stripe_session_id)  # paid; its webhook is late
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert api.expire_orders() == []

    order.refresh_from_db()
    assert order.status == "fulfilled"
    assert Grant.objects.filter(source_ref=str(order.uuid)).exists()


def test_unexpired_orders_are_left_alone(shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    assert api.expire_orders(timezone.now()) == []
    assert Order.objects.get(number=order.number).status == "pending"


def test_the_learner_gets_the_same_pending_order_back(shop, product, learner):
    first = api.create_order(learner, product.uuid, base_url=shop.url)
    again = api.create_order(learner, product.uuid, base_url=shop.url)
    assert again.number == first.number and again.checkout_url == first.checkout_url
    assert Order.objects.count() == 1


def test_a_free_product_is_granted_without_stripe(shop, product, learner):
    from sandbox.lms.models import CourseEnrollment

    product.price, product.mode = 0, "audit"
    product.save()
    order = api.create_order(learner, product.uuid, base_url=shop.url)

    stored = Order.objects.get(number=order.number)
    assert stored.status == "fulfilled" and not stored.stripe_session_id and not stored.payments.exists()
    assert CourseEnrollment.objects.get(user__username="ada", course__course_id=product.course_key).mode == "audit"
