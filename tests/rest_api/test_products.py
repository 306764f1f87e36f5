"""The catalog endpoints: public, filterable, paginated in the Open edX envelope."""
from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import requests
from django.utils import timezone

from tests.conftest import COURSE_ID
from tests.rest_api.conftest import OTHER_COURSE_ID, V1, make_product


def test_anyone_lists_active_products_with_prices_in_minor_units(lms, product):
    make_product(COURSE_ID, title="Retired", is_active=False)

    response = requests.get(f"{lms.url}{V1}/products/", timeout=10)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item == {
        "uuid": str(product.uuid), "title": "Contract testing (verified)", "course_id": COURSE_ID,
        "mode": "verified", "price": 4900, "currency": "usd", "sale_starts_at": None, "sale_ends_at": None,
        "seat_limit": None, "seats_taken": None, "on_sale": True,
        "checkout_url": f"{lms.url}/commerce/checkout/{product.uuid}/",
    }


def test_products_filter_by_course_run(lms, product):
    other = make_product(OTHER_COURSE_ID)

    response = requests.get(f"{lms.url}{V1}/products/", params={"course_id": OTHER_COURSE_ID}, timeout=10)

    assert response.status_code == 200
    assert [item["uuid"] for item in response.json()["results"]] == [str(other.uuid)]


def test_a_malformed_course_id_is_a_400_showing_a_valid_key(lms):
    response = requests.get(f"{lms.url}{V1}/products/", params={"course_id": "not a course"}, timeout=10)

    assert response.status_code == 400
    assert "course-v1:Org+Course+Run" in response.json()["course_id"][0]


def test_product_list_pages_in_the_open_edx_envelope(lms, course):
    for price in range(100, 600, 100):
        make_product(COURSE_ID, price=price)

    first = requests.get(f"{lms.url}{V1}/products/", params={"page_size": 2}, timeout=10).json()
    last = requests.get(f"{lms.url}{V1}/products/", params={"page_size": 2, "page": 3}, timeout=10).json()

    assert {key: first[key] for key in ("count", "num_pages", "current_page", "start", "previous")} == {
        "count": 5, "num_pages": 3, "current_page": 1, "start": 0, "previous": None}
    assert "page=2" in first["next"]
    assert [item["price"] for item in first["results"]] == [100, 200]
    assert last["start"] == 4 and last["next"] is None and [item["price"] for item in last["results"]] == [500]


def test_a_page_past_the_end_is_a_404(lms, product):
    response = requests.get(f"{lms.url}{V1}/products/", params={"page": 9}, timeout=10)

    assert response.status_code == 404
    assert "detail" in response.json()


def test_product_detail_shows_sale_window_and_seats(lms, product, learner):
    from tests.rest_api.conftest import make_order

    ends = timezone.now() + timedelta(days=3)
    limited = make_product(COURSE_ID, seat_limit=10, sale_ends_at=ends)
    make_order(learner, limited, status="paid")

    response = requests.get(f"{lms.url}{V1}/products/{limited.uuid}/", timeout=10)

    assert response.status_code == 200
    body = response.json()
    assert body["seat_limit"] == 10 and body["seats_taken"] == 1 and body["on_sale"] is True
    assert body["sale_ends_at"].startswith(ends.strftime("%Y-%m-%dT%H:%M"))


def test_a_product_past_its_sale_window_is_listed_as_not_on_sale(lms, course):
    ended = make_product(COURSE_ID, sale_ends_at=timezone.now() - timedelta(days=1))

    body = requests.get(f"{lms.url}{V1}/products/{ended.uuid}/", timeout=10).json()

    assert body["on_sale"] is False


def test_unknown_or_malformed_product_uuid_is_a_json_404(lms, course):
    inactive = make_product(COURSE_ID, is_active=False)

    for ref in (uuid4(), "not-a-uuid", inactive.uuid):
        response = requests.get(f"{lms.url}{V1}/products/{ref}/", timeout=10)
        assert response.status_code == 404, ref
        assert response.json()["code"] == "not_found"
        assert "product" in response.json()["detail"]
