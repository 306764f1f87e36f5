"""Fixtures of the REST API tests: clients that speak to the live LMS as third parties and browsers do.

``as_user(user)`` sends ``Authorization: JWT <token>`` (a token minted the way the LMS mints them);
``browser_login(username, password)`` logs in through the LMS login page and keeps the session
and CSRF cookies. Orders that only need to *exist* (lists, filters, dates) are written with
``make_order`` instead of going through Stripe, so those tests stay fast and exact.
"""
from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest
import requests

from tests.refunds.conftest import bought  # noqa: F401 (the refund tests' fixture: ada bought, paid, enrolled)

V1 = "/api/commerce/v1"
OTHER_COURSE_ID = "course-v1:TestX+Other+2026"
_numbers = itertools.count(1)


class ApiClient:
    """``requests`` against ``/api/commerce/v1``, optionally authenticated with a JWT."""

    def __init__(self, base_url: str, user: Any | None = None, session: requests.Session | None = None) -> None:
        self.base = f"{base_url}{V1}"
        self.session = session or requests.Session()
        if user is not None:
            from sandbox.lms.oauth import create_jwt

            self.session.headers["Authorization"] = f"JWT {create_jwt(user)}"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(f"{self.base}{path}", params=params, timeout=15)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.post(f"{self.base}{path}", json=body, timeout=15, **kwargs)


@pytest.fixture
def as_user(lms):
    """``as_user(user)`` -> an :class:`ApiClient` with that user's JWT (``None``: anonymous)."""

    def make(user: Any | None) -> ApiClient:
        return ApiClient(lms.url, user)

    return make


@pytest.fixture
def browser_login(lms):
    """``browser_login(username, password)`` -> an :class:`ApiClient` riding an LMS session."""

    def login(username: str, password: str) -> ApiClient:
        session = requests.Session()
        session.get(f"{lms.url}/login", timeout=5)
        response = session.post(
            f"{lms.url}/login",
            data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": f"{lms.url}/login"}, timeout=5,
        )
        assert response.status_code == 200 and "sessionid" in session.cookies, "login failed"
        return ApiClient(lms.url, session=session)

    return login


@pytest.fixture
def bob(transactional_db):
    """A second learner."""
    from sandbox.lms.seed import create_user

    return create_user("bob", "bob@example.com", password="bob-password")


@pytest.fixture
def staff(transactional_db):
    """A support agent (global staff)."""
    from sandbox.lms.seed import create_user

    return create_user("root", "root@example.com", password="root-password", staff=True)


def make_product(course_id: str, **fields: Any):
    """A product of ``course_id`` (verified, 49.00 USD unless told otherwise)."""
    from commerce_plugin.models import Product

    defaults = {"title": f"{course_id} (verified)", "mode": "verified", "price": 4900, "currency": "usd"}
    return Product.objects.create(course_key=course_id, **{**defaults, **fields})


def make_order(user, product, *, status: str = "pending", created: datetime | None = None):
    """An order row as the purchase flow leaves it, without Stripe (for lists and filters)."""
    from django.utils import timezone

    from commerce_plugin.models import Order

    now = timezone.now()
    order = Order.objects.create(
        number=f"CP-TEST{next(_numbers):05d}", user=user, email=user.email, product=product,
        course_key=product.course_key, mode=product.mode, amount=product.price, currency=product.currency,
        status=status, expires_at=now + timezone.timedelta(hours=1) if status == "pending" else None,
        paid_at=now if status in ("paid", "fulfilled") else None,
    )
    if created is not None:
        Order.objects.filter(pk=order.pk).update(created=created)
        order.refresh_from_db()
    return order
