"""Shared fixtures: the miniature LMS served over real HTTP, with the plugin pointed at it.

``lms`` starts (once per session) pytest-django's live server, which serves the sandbox project
(the miniature LMS with the plugin loaded through its entry point), creates the plugin's OAuth
application and service user, and points ``COMMERCE_LMS_BASE_URL`` at the server. Tests using it
run in transactional mode so the server's threads see the rows a test creates.
"""
from __future__ import annotations

import itertools
import os
import shutil
from datetime import datetime

import pytest
import requests
from django.core.cache import cache
from edx_django_utils.cache import RequestCache

# Playwright's sync API and live_server share the test thread (stripe-and-services.md, section 8).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.standins"]

COURSE_ID = "course-v1:TestX+Contract+2026"


def forget_tokens() -> None:
    """Empty both tiers of the token cache, so each test starts without a service token."""
    cache.clear()
    RequestCache.clear_all_namespaces()


@pytest.fixture
def lms(live_server, transactional_db, settings):
    """The miniature LMS at ``lms.url``, with the plugin's service application in place."""
    from sandbox.lms.seed import create_service_application

    forget_tokens()
    settings.COMMERCE_LMS_BASE_URL = live_server.url
    settings.LMS_ROOT_URL = live_server.url
    create_service_application(settings.COMMERCE_LMS_OAUTH_CLIENT_ID, settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET)
    yield live_server
    forget_tokens()


@pytest.fixture
def lms_client(lms):
    """The plugin's LMS client, built from settings exactly as the plugin builds it."""
    from commerce_plugin.adapters.lms import LmsClient

    return LmsClient.from_settings()


@pytest.fixture
def course(transactional_db):
    """An open course run with audit and verified modes."""
    from sandbox.lms.seed import create_course

    return create_course(COURSE_ID, display_name="Contract testing")


@pytest.fixture
def learner(transactional_db):
    """A learner account in the LMS."""
    from sandbox.lms.seed import create_user

    return create_user("ada", "ada@example.com", password="ada-password")


def lms_calls(method: str | None = None, path_prefix: str = "/") -> int:
    """How many HTTP calls the miniature LMS received (its call log), by method and path prefix."""
    from sandbox.lms.models import ApiCall

    calls = ApiCall.objects.filter(path__startswith=path_prefix)
    if method:
        calls = calls.filter(method=method)
    return calls.count()


@pytest.fixture
def shop(lms, stripe_standin, settings):
    """The whole purchase stack over real HTTP: the miniature LMS with the plugin (``shop.url``),
    the Stripe stand-in (``shop.stripe``) delivering signed webhooks to the plugin's endpoint."""
    settings.COMMERCE_STRIPE_API_BASE = stripe_standin.url
    stripe_standin.register_webhook(f"{lms.url}/commerce/webhooks/stripe/", settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    yield Shop(url=lms.url, stripe=stripe_standin)
    # Events still on their way (sent about a second late) must not land in the next test's
    # database, which the same live server serves: mute the receiver, then let them drain.
    stripe_standin.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    stripe_standin.wait_for_deliveries()


class Shop:
    """Handles of the running stack, and helpers to drive it like a browser would."""

    def __init__(self, url: str, stripe) -> None:
        self.url = url
        self.stripe = stripe

    def pay(self, checkout_url: str, card: str = "4242424242424242"):
        """Submit the stand-in's hosted payment page as a learner would; returns the response."""
        import requests

        return requests.post(checkout_url, data={"card_number": card}, allow_redirects=False, timeout=10)


@pytest.fixture
def product(transactional_db, course):
    """A verified-mode product of the ``course`` fixture at 49.00 USD."""
    from commerce_plugin.models import Product

    return Product.objects.create(title="Contract testing (verified)", course_key=course.course_id,
                                  mode="verified", price=4900, currency="usd")


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.1):
    """Poll until ``predicate()`` is truthy (webhooks arrive about a second after the event)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium (never ``playwright install``: it downloads a browser,
    which these machines cannot). The flags keep Chromium off Google services the network refuses."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps", "--no-first-run"],
    }


def http_login(base_url: str, username: str, password: str) -> requests.Session:
    """A session logged in through the miniature LMS's login page, as a browser would (CSRF included)."""
    session = requests.Session()
    session.get(f"{base_url}/login", timeout=5)
    response = session.post(
        f"{base_url}/login",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base_url}/login"},
        timeout=5,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, "login failed"
    return session


_order_numbers = itertools.count(1)


def order_row(user, product, *, status: str = "pending", created: datetime | None = None, **fields):
    """An order row in a given status, as the purchase flow leaves it, without Stripe.

    For tests about lists, pages and filters: it sets up history, it does not exercise the flow.
    """
    from django.utils import timezone

    from commerce_plugin.models import Order, OrderStatusChange

    now = timezone.now()
    fields.setdefault("number", f"CP-TEST{next(_order_numbers):05d}")
    fields.setdefault("expires_at", now + timezone.timedelta(hours=1) if status == "pending" else None)
    fields.setdefault("paid_at", now if status in ("paid", "fulfilled") else None)
    order = Order.objects.create(user=user, email=user.email, product=product, course_key=product.course_key,
                                 mode=product.mode, amount=product.price, currency=product.currency, status=status,
                                 **fields)
    OrderStatusChange.objects.create(order=order, from_status="", to_status=status, actor="system",
                                     reason="test set-up")
    if created is not None:
        Order.objects.filter(pk=order.pk).update(created=created)
        order.refresh_from_db()
    return order
