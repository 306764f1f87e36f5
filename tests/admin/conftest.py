"""Fixtures of the admin tests: a superuser's test client and an order with a full history."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.refunds.conftest import bought  # noqa: F401 (the refund tests' fixture: ada bought, paid, enrolled)


@pytest.fixture
def staff_client(transactional_db) -> Client:
    """The Django test client logged in as a superuser (the admin needs model permissions)."""
    from sandbox.lms.seed import create_user

    client = Client()
    client.force_login(create_user("root", "root@example.com", password="root-password", superuser=True))
    return client


@pytest.fixture
def paid_order(learner, product):
    """A paid order with what a real one accumulates: history, a payment, an event, a sync with attempts."""
    from commerce_plugin.models import (
        EnrollmentSync,
        Order,
        OrderStatusChange,
        Payment,
        StripeEvent,
        SyncAttempt,
    )

    order = Order.objects.create(number="CP-ADMINTEST1", user=learner, email="Ada@Example.com", product=product,
                                 course_key=product.course_key, mode="verified", amount=4900, currency="usd",
                                 status="paid")
    OrderStatusChange.objects.create(order=order, from_status="", to_status="pending", actor=f"user:{learner.pk}",
                                     reason="order created")
    OrderStatusChange.objects.create(order=order, from_status="pending", to_status="paid", actor="stripe",
                                     reason="payment confirmed by Stripe")
    Payment.objects.create(order=order, kind="payment", amount=4900, currency="usd", stripe_id="pi_admin_1")
    StripeEvent.objects.create(stripe_event_id="evt_admin_1", type="checkout.session.completed", order=order,
                               payload={"id": "evt_admin_1"})
    sync = EnrollmentSync.objects.create(email="ada@example.com", course_key=product.course_key, state="retrying",
                                         desired_active=True, desired_mode="verified", attempts=1,
                                         last_error="LMS enroll failed: status=503 Service Unavailable")
    SyncAttempt.objects.create(sync=sync, action="enroll", outcome="transient", status_code=503,
                               detail="Service Unavailable <script>")
    return order


@pytest.fixture
def grace_order(product):
    """Another learner's pending order (no Stripe session yet), to tell search results apart."""
    from commerce_plugin.models import Order, OrderStatusChange
    from sandbox.lms.seed import create_user

    grace = create_user("grace", "grace@example.com")
    order = Order.objects.create(number="CP-GRACE00001", user=grace, email=grace.email, product=product,
                                 course_key=product.course_key, mode="verified", amount=4900, currency="usd")
    OrderStatusChange.objects.create(order=order, from_status="", to_status="pending", actor="system")
    return order
