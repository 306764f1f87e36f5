"""Fixtures of the learner page tests: browsers logged in over real HTTP, and orders in any status."""
from __future__ import annotations

import re

import pytest
import requests

from tests.conftest import http_login as login  # noqa: F401 (re-exported for the page tests)
from tests.conftest import order_row
from tests.refunds.conftest import bought  # noqa: F401 (the refund tests' fixture: ada bought, paid, enrolled)


def post_form(session: requests.Session, url: str, page_url: str | None = None) -> requests.Response:
    """Submit a page's POST form the way a browser does: CSRF token from the page, Referer, no redirects."""
    page = session.get(page_url or url, timeout=10)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    # A page without the form (sold out...) still gets a POST from a stale tab: use the cookie's token.
    token = found.group(1) if found else session.cookies["csrftoken"]
    return session.post(url, data={"csrfmiddlewaretoken": token}, headers={"Referer": page_url or url},
                        allow_redirects=False, timeout=15)


@pytest.fixture
def ada(lms, learner) -> requests.Session:
    """The learner "ada", logged in to the live LMS."""
    return login(lms.url, "ada", "ada-password")


@pytest.fixture
def grace(transactional_db):
    """Another learner, whose orders ada must never see."""
    from sandbox.lms.seed import create_user

    return create_user("grace", "grace@example.com", password="grace-password")


@pytest.fixture
def staff_user(transactional_db):
    """A support agent."""
    from sandbox.lms.seed import create_user

    return create_user("root", "root@example.com", password="root-password", staff=True)


@pytest.fixture
def make_order():
    """Create an order row directly in a given status (see ``tests.conftest.order_row``)."""
    return order_row
