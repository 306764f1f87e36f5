"""Products in the admin: listed with readable prices and seats, validated before checkout ever sees them."""
from __future__ import annotations

from commerce_plugin.models import Product

CHANGELIST = "/admin/commerce_plugin/product/"


def _form(**overrides) -> dict[str, str]:
    data = {"title": "New run", "course_key": "course-v1:TestX+Contract+2026", "mode": "verified", "price": "4900",
            "currency": "usd", "is_active": "on", "sale_starts_at_0": "", "sale_starts_at_1": "",
            "sale_ends_at_0": "", "sale_ends_at_1": "", "seat_limit": ""}
    return {**data, **overrides}


def test_product_list_shows_formatted_price_and_seats_taken(staff_client, product, paid_order):
    Product.objects.filter(pk=product.pk).update(seat_limit=10)
    page = staff_client.get(CHANGELIST).content.decode()
    assert "49.00 USD" in page
    assert '<td class="field-seats_taken">1</td>' in page
    assert "always" in page  # no sale window


def test_product_search_by_title_and_by_course_key(staff_client, product):
    assert product.title in staff_client.get(CHANGELIST, {"q": "Contract testing"}).content.decode()
    assert product.title in staff_client.get(CHANGELIST, {"q": "TestX+Contract"}).content.decode()
    assert "0 results" in staff_client.get(CHANGELIST, {"q": "NoSuchCourse"}).content.decode()


def test_a_valid_product_is_created(staff_client, course):
    response = staff_client.post(f"{CHANGELIST}add/", _form())
    assert response.status_code == 302
    created = Product.objects.get(title="New run")
    assert str(created.course_key) == "course-v1:TestX+Contract+2026" and created.currency == "usd"


def test_a_malformed_course_key_or_currency_is_refused_with_a_reason(staff_client, course):
    response = staff_client.post(f"{CHANGELIST}add/", _form(course_key="not a key", currency="USD"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a course run id" in page
    assert "three-letter currency code in lower case" in page
    assert not Product.objects.exists()


def test_a_sale_that_ends_before_it_starts_is_refused(staff_client, course):
    response = staff_client.post(f"{CHANGELIST}add/", _form(
        sale_starts_at_0="2026-05-02", sale_starts_at_1="10:00", sale_ends_at_0="2026-05-01",
        sale_ends_at_1="10:00"))
    assert "The sale must end after it starts." in response.content.decode()
    assert not Product.objects.exists()
