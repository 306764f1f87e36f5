"""The learner pages cost the same whatever the number of rows, and a reloaded receipt does not ask
the LMS again (issue 11.12)."""
from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import lms_calls, order_row

#: Queries of "my orders" (session, user, count, one page of orders, their syncs, their refunds).
MY_ORDERS_QUERIES = 8
#: Queries of a receipt (session, user, the order, its refunds, the refund decision's reads).
RECEIPT_QUERIES = 9


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _refund(order, **fields):
    from commerce_plugin.models import Refund

    return Refund.objects.create(order=order, amount=order.amount, currency=order.currency, source="learner",
                                 reason="window_closed", requested_by="learner", **fields)


@pytest.mark.parametrize("size", [1, 100])
def test_my_orders_runs_the_same_queries_for_1_and_100_orders(learner, product, size, django_assert_num_queries):
    from commerce_plugin.models import EnrollmentSync

    EnrollmentSync.objects.create(email=learner.email, course_key=product.course_key, state="in_sync",
                                  desired_active=True, desired_mode="verified", lms_active=True)
    for index in range(size):
        order = order_row(learner, product, status=("fulfilled", "refunded", "paid", "expired")[index % 4])
        if order.status == "refunded":
            _refund(order, status="succeeded")
    client = _client(learner)

    with django_assert_num_queries(MY_ORDERS_QUERIES):
        page = client.get("/commerce/orders/")

    assert page.status_code == 200 and f"{size} order" in page.content.decode()
    assert ("Paid and enrolled" in page.content.decode()) and (size == 1 or "Refund of 49.00 USD" in
                                                               page.content.decode())


@pytest.mark.parametrize("size", [1, 100])
def test_a_receipt_runs_the_same_queries_for_1_and_100_refunds(learner, product, size, django_assert_num_queries):
    order = order_row(learner, product, status="fulfilled")
    for _ in range(size):
        _refund(order, status="rejected", note="Outside the window.")
    client = _client(learner)

    with django_assert_num_queries(RECEIPT_QUERIES):
        page = client.get(f"/commerce/orders/{order.number}/")

    assert page.status_code == 200
    assert page.content.decode().count("rejected: Outside the window.") == size


def test_a_reloaded_receipt_does_not_ask_the_lms_again(bought, ada, lms, settings):
    settings.COMMERCE_CERTIFICATE_CACHE_SECONDS = 60
    url = f"{lms.url}/commerce/orders/{bought.number}/"
    before = lms_calls(path_prefix="/api/")
    first = ada.get(url, timeout=10)
    assert first.status_code == 200 and "Request a refund" in first.text
    assert lms_calls("GET", "/api/certificates/") == 1
    after_first = lms_calls(path_prefix="/api/")
    assert after_first > before

    again = ada.get(url, timeout=10)

    assert again.status_code == 200 and "Request a refund" in again.text
    assert lms_calls(path_prefix="/api/") == after_first  # nothing asked of the LMS on the repeat


def test_with_the_cache_off_each_receipt_view_asks_the_lms(bought, ada, lms, settings):
    settings.COMMERCE_CERTIFICATE_CACHE_SECONDS = 0
    url = f"{lms.url}/commerce/orders/{bought.number}/"
    ada.get(url, timeout=10)
    ada.get(url, timeout=10)
    assert lms_calls("GET", "/api/certificates/") == 2


def test_a_refund_request_asks_the_lms_afresh_even_with_a_cached_answer(bought, ada, lms, learner, settings):
    """The cache serves what a page shows; deciding a refund reads the certificate now."""
    from commerce_plugin import api

    settings.COMMERCE_CERTIFICATE_CACHE_SECONDS = 60
    ada.get(f"{lms.url}/commerce/orders/{bought.number}/", timeout=10)
    assert lms_calls("GET", "/api/certificates/") == 1

    api.request_refund(bought.number, user=learner)

    assert lms_calls("GET", "/api/certificates/") == 2
