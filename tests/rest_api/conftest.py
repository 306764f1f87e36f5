"""Fixtures of the REST API tests: clients that speak to the live LMS as third parties and browsers do.

``as_user(user)`` sends ``Authorization: JWT <token>`` (a token minted the way the LMS mints them);
``browser_login(username, password)`` logs in through the LMS login page and keeps the session
and CSRF cookies. Orders that only need to *exist* (lists, filters, dates) are written with
``make_order`` instead of going through Stripe, so those tests stay fast and exact.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import requests

from tests.conftest import http_login, order_row
from tests.refunds.conftest import bought  # noqa: F401 (the refund tests' fixture: ada bought, paid, enrolled)

V1 = "/api/commerce_plugin/v1"
OTHER_COURSE_ID = "course-v1:TestX+Other+2026"


class ApiClient:
    """``requests`` against ``/api/commerce_plugin/v1``, optionally authenticated with a JWT."""

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
        return ApiClient(lms.url, session=http_login(lms.url, username, password))

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
    return order_row(user, product, status=status, created=created)
