"""Listing orders: learners see their own, staff see everyone's, filters narrow, bad filters say why."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import COURSE_ID
from tests.rest_api.conftest import OTHER_COURSE_ID, make_order, make_product


@pytest.fixture
def orders(lms, product, learner, bob):
    """Ada: a pending order (Jan 10) and a paid one of another course (Feb 10); Bob: a paid one (Mar 10)."""
    other = make_product(OTHER_COURSE_ID)
    return {
        "ada_pending": make_order(learner, product, created=datetime(2026, 1, 10, 12, tzinfo=UTC)),
        "ada_paid": make_order(learner, other, status="paid", created=datetime(2026, 2, 10, 12, tzinfo=UTC)),
        "bob_paid": make_order(bob, product, status="paid", created=datetime(2026, 3, 10, 12, tzinfo=UTC)),
    }


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [order["number"] for order in response.json()["results"]]


def test_a_learner_sees_only_their_own_orders_newest_first(orders, learner, as_user):
    response = as_user(learner).get("/orders/")

    assert _numbers(response) == [orders["ada_paid"].number, orders["ada_pending"].number]
    first = response.json()["results"][0]
    assert first["username"] == "ada" and first["course_id"] == OTHER_COURSE_ID
    assert first["receipt_url"].endswith(f"/commerce/orders/{orders['ada_paid'].number}/")


def test_staff_see_every_order(orders, staff, as_user):
    response = as_user(staff).get("/orders/")

    assert _numbers(response) == [orders["bob_paid"].number, orders["ada_paid"].number, orders["ada_pending"].number]


def test_orders_filter_by_status_and_course(orders, staff, as_user):
    client = as_user(staff)

    assert _numbers(client.get("/orders/", status="paid")) == [orders["bob_paid"].number, orders["ada_paid"].number]
    assert _numbers(client.get("/orders/", course_id=COURSE_ID)) == [
        orders["bob_paid"].number, orders["ada_pending"].number]
    assert _numbers(client.get("/orders/", status="paid", course_id=COURSE_ID)) == [orders["bob_paid"].number]


def test_staff_filter_by_email_ignoring_case(orders, staff, as_user):
    response = as_user(staff).get("/orders/", email="BOB@example.com")

    assert _numbers(response) == [orders["bob_paid"].number]


def test_a_learner_filtering_by_email_is_refused(orders, learner, as_user):
    response = as_user(learner).get("/orders/", email="bob@example.com")

    assert response.status_code == 403
    assert "staff" in response.json()["detail"]


def test_orders_filter_by_creation_dates_and_datetimes(orders, staff, as_user):
    client = as_user(staff)

    assert _numbers(client.get("/orders/", created_after="2026-02-01")) == [
        orders["bob_paid"].number, orders["ada_paid"].number]
    assert _numbers(client.get("/orders/", created_before="2026-02-10")) == [orders["ada_pending"].number]
    assert _numbers(client.get("/orders/", created_after="2026-02-10T12:00:00Z",
                               created_before="2026-03-10T11:59:59Z")) == [orders["ada_paid"].number]
    assert _numbers(client.get("/orders/", created_after="2026-03-10T13:00:00+02:00")) == [orders["bob_paid"].number]


def test_malformed_filters_are_400s_saying_what_is_valid(orders, learner, as_user):
    client = as_user(learner)

    bad_status = client.get("/orders/", status="shipped")
    bad_date = client.get("/orders/", created_after="last tuesday")
    impossible_date = client.get("/orders/", created_before="2026-02-30")
    bad_course = client.get("/orders/", course_id="intro-to-python")

    assert bad_status.status_code == 400
    assert "pending" in bad_status.json()["status"][0] and "refunded" in bad_status.json()["status"][0]
    assert bad_date.status_code == 400 and "ISO 8601" in bad_date.json()["created_after"][0]
    assert impossible_date.status_code == 400 and "created_before" in impossible_date.json()
    assert bad_course.status_code == 400 and "course-v1:" in bad_course.json()["course_id"][0]


def test_order_lists_page_in_the_open_edx_envelope(lms, product, learner, as_user):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    made = [make_order(learner, product, status="canceled", created=start + timedelta(days=day)) for day in range(5)]

    page = as_user(learner).get("/orders/", page_size=2, page=2).json()

    assert {key: page[key] for key in ("count", "num_pages", "current_page", "start")} == {
        "count": 5, "num_pages": 3, "current_page": 2, "start": 2}
    assert page["next"] and page["previous"]
    assert [order["number"] for order in page["results"]] == [made[2].number, made[1].number]


def test_anonymous_callers_cannot_list_orders(orders, as_user):
    assert as_user(None).get("/orders/").status_code == 401
