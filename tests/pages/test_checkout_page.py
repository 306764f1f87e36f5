"""The checkout page over real HTTP: who may see it, what it offers, and where "Buy" leads."""
from __future__ import annotations

from datetime import timedelta

import requests
from django.utils import timezone

from commerce_plugin.models import Order, Product
from tests.pages.conftest import post_form


def _url(lms, product) -> str:
    return f"{lms.url}/commerce/checkout/{product.uuid}/"


def test_anonymous_visitor_is_sent_to_login_and_back(lms, product):
    response = requests.get(_url(lms, product), allow_redirects=False, timeout=5)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/commerce/checkout/{product.uuid}/"


def test_learner_sees_the_product_price_and_a_buy_button(lms, ada, product):
    page = ada.get(_url(lms, product), timeout=5)
    assert page.status_code == 200
    assert "Contract testing (verified)" in page.text
    assert str(product.course_key) in page.text and "verified" in page.text
    assert '<dd id="product-price">49.00 USD</dd>' in page.text
    assert 'data-state="buy"' in page.text and 'method="post"' in page.text
    assert "csrfmiddlewaretoken" in page.text
    assert "Seats left" not in page.text  # no limit, nothing to count


def test_zero_decimal_currency_shows_no_decimals_and_seats_left(lms, ada, course):
    product = Product.objects.create(title="Yen run", course_key=course.course_id, mode="verified", price=5000,
                                     currency="jpy", seat_limit=3)
    page = ada.get(_url(lms, product), timeout=5)
    assert '<dd id="product-price">5000 JPY</dd>' in page.text
    assert '<dd id="seats-left">3</dd>' in page.text


def test_buying_sends_the_browser_to_stripes_page_with_a_303(shop, ada, product):
    response = post_form(ada, _url(shop, product))
    assert response.status_code == 303
    assert response.headers["Location"].startswith(shop.stripe.url)
    order = Order.objects.get(product=product)
    assert order.status == "pending" and response.headers["Location"] == order.checkout_url


def test_buying_twice_resumes_the_same_checkout(shop, ada, product):
    first = post_form(ada, _url(shop, product))
    page = ada.get(_url(shop, product), timeout=5)
    second = post_form(ada, _url(shop, product))
    assert "the button takes you back to the payment page" in page.text
    assert second.headers["Location"] == first.headers["Location"]
    assert Order.objects.filter(product=product).count() == 1


def test_sold_out_product_says_so_instead_of_a_button(lms, ada, grace, course, make_order):
    product = Product.objects.create(title="One seat", course_key=course.course_id, price=4900, seat_limit=1)
    make_order(grace, product, status="paid")

    page = ada.get(_url(lms, product), timeout=5)
    assert 'data-state="sold_out"' in page.text and "Sold out" in page.text
    assert '<dd id="seats-left">0</dd>' in page.text
    assert 'method="post"' not in page.text

    refused = post_form(ada, _url(lms, product))
    assert refused.status_code == 409 and "all seats of this course run are taken" in refused.text
    assert not Order.objects.filter(user__username="ada").exists()


def test_product_outside_its_sale_window_is_not_on_sale(lms, ada, course):
    product = Product.objects.create(title="Later", course_key=course.course_id, price=4900,
                                     sale_starts_at=timezone.now() + timedelta(days=2))
    page = ada.get(_url(lms, product), timeout=5)
    assert 'data-state="not_on_sale"' in page.text and "not on sale right now" in page.text
    assert 'method="post"' not in page.text


def test_a_bought_product_links_to_the_receipt(lms, ada, learner, product, make_order):
    order = make_order(learner, product, status="fulfilled")
    page = ada.get(_url(lms, product), timeout=5)
    assert 'data-state="purchased"' in page.text
    assert f'href="/commerce/orders/{order.number}/"' in page.text


def test_coming_back_from_a_canceled_payment_invites_to_try_again(lms, ada, product):
    page = ada.get(_url(lms, product) + "?canceled=CP-ANYTHING", timeout=5)
    assert "Payment canceled; you can try again." in page.text
    assert 'data-state="buy"' in page.text


def test_stripe_being_down_is_a_503_page_not_a_crash(shop, ada, product, settings):
    settings.COMMERCE_STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    response = post_form(ada, _url(shop, product))
    assert response.status_code == 503
    assert "Payment service temporarily unavailable, try again in a minute" in response.text
    assert Order.objects.get(product=product).status == "pending"  # kept: the next try resumes it


def test_a_free_product_goes_straight_to_the_receipt(lms, ada, course):
    product = Product.objects.create(title="Free run", course_key=course.course_id, mode="audit", price=0)
    response = post_form(ada, _url(lms, product))
    order = Order.objects.get(product=product)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/commerce/orders/{order.number}/"
    assert order.status in ("paid", "fulfilled")


def test_unknown_or_inactive_products_are_404(lms, ada, course):
    inactive = Product.objects.create(title="Old", course_key=course.course_id, price=100, is_active=False)
    assert ada.get(_url(lms, inactive), timeout=5).status_code == 404
    assert ada.get(f"{lms.url}/commerce/checkout/00000000-0000-0000-0000-000000000000/", timeout=5).status_code == 404
