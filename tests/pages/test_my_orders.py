""""My orders": only the person's own orders, newest first, 20 a page, each linking to its receipt."""
from __future__ import annotations

import requests

from commerce_plugin.models import Order
from tests.pages.conftest import login


def test_my_orders_lists_only_own_orders_newest_first(lms, ada, learner, grace, product, make_order):
    older = make_order(learner, product, status="canceled")
    newer = make_order(learner, product, status="fulfilled")
    hidden = make_order(grace, product, status="paid")

    page = ada.get(f"{lms.url}/commerce/orders/", timeout=5).text

    assert f'href="/commerce/orders/{newer.number}/"' in page and f'href="/commerce/orders/{older.number}/"' in page
    assert page.index(newer.number) < page.index(older.number)
    assert hidden.number not in page
    assert "Paid and enrolled" in page and "49.00 USD" in page and "2 orders" in page


def test_staff_see_their_own_orders_here_not_everyones(lms, learner, staff_user, product, make_order):
    learners_order = make_order(learner, product)
    support = login(lms.url, "root", "root-password")
    page = support.get(f"{lms.url}/commerce/orders/", timeout=5).text
    assert learners_order.number not in page
    assert "You have no orders yet." in page


def test_my_orders_pages_by_twenty(lms, ada, learner, product, make_order):
    for _ in range(21):
        make_order(learner, product, status="expired")
    first_order = Order.objects.order_by("created", "id").first()

    first = ada.get(f"{lms.url}/commerce/orders/", timeout=5).text
    second = ada.get(f"{lms.url}/commerce/orders/?page=2", timeout=5).text

    assert first.count('data-status="expired"') == 20 and "Page 1 of 2" in first and 'rel="next"' in first
    assert second.count('data-status="expired"') == 1 and first_order.number in second


def test_my_orders_needs_a_login(lms):
    response = requests.get(f"{lms.url}/commerce/orders/", allow_redirects=False, timeout=5)
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/commerce/orders/"
