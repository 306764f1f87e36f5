"""Refunds over HTTP: the policy's answer, learner requests, staff overrides and decisions, the staff list,
and withdrawing a course run from sale. Every test buys through the real stack (Stripe stand-in, LMS)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from commerce_plugin import api
from commerce_plugin.models import Order, Product, Refund
from tests.conftest import wait_for
from tests.refunds.conftest import lms_enrollment
from tests.rest_api.conftest import OTHER_COURSE_ID, make_product


def _refund_path(order) -> str:
    return f"/orders/{order.number}/refund/"


def test_a_learner_reads_the_refund_decision_of_their_paid_order(as_user, learner, bought, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 14

    response = as_user(learner).get(_refund_path(bought))

    assert response.status_code == 200, response.text
    decision = response.json()["decision"]
    assert decision["eligible"] is True and decision["reason"] == "eligible"
    assert decision["amount"] == 4900 and decision["currency"] == "usd"
    assert decision["refundable_until"].startswith((bought.paid_at + timedelta(days=14)).date().isoformat())
    assert decision["message"].startswith("Refundable until ")
    assert response.json()["refunds"] == []


def test_a_learner_request_is_paid_back_and_ends_the_enrollment(as_user, learner, bought):
    client = as_user(learner)

    response = client.post(_refund_path(bought))

    assert response.status_code == 201, response.text
    refund = response.json()
    assert refund["status"] == "succeeded" and refund["amount"] == 4900 and refund["currency"] == "usd"
    assert refund["order_number"] == bought.number and refund["source"] == "learner"
    assert refund["reason"] == "eligible" and refund["reason_message"] == "Refundable."
    assert refund["override"] is False and refund["completed_at"] and refund["last_error"] == ""
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert lms_enrollment("ada", bought.course_key).is_active is False
    summary = client.get(_refund_path(bought)).json()
    assert [item["uuid"] for item in summary["refunds"]] == [refund["uuid"]]
    assert summary["decision"]["eligible"] is False and summary["decision"]["reason"] == "already_refunded"


def test_a_second_request_is_refused_with_the_policy_reason(as_user, learner, bought):
    client = as_user(learner)
    assert client.post(_refund_path(bought)).status_code == 201

    again = client.post(_refund_path(bought))

    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "refund_not_allowed" and body["reason"] in ("already_refunded", "already_requested")
    assert body["detail"] == api.reason_text(body["reason"])
    assert Refund.objects.count() == 1


def test_another_learner_cannot_see_or_refund_the_order(as_user, bob, bought):
    client = as_user(bob)

    assert client.get(_refund_path(bought)).status_code == 404
    refused = client.post(_refund_path(bought))

    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_only_staff_can_choose_an_amount_or_give_a_reason(as_user, learner, bob, bought):
    own = as_user(learner).post(_refund_path(bought), {"amount": 100})
    with_reason = as_user(learner).post(_refund_path(bought), {"reason": "I changed my mind"})
    # Someone else's order gets the same 403 before the order is looked up: nothing leaks.
    others = as_user(bob).post(_refund_path(bought), {"amount": 100})

    assert own.status_code == 403 and own.json()["detail"].startswith("Only staff can choose an amount")
    assert with_reason.status_code == 403 and others.status_code == 403
    assert not Refund.objects.exists()


def test_staff_refund_part_of_an_order_and_never_more_than_remains(as_user, staff, bought):
    client = as_user(staff)

    partial = client.post(_refund_path(bought), {"amount": 1000, "reason": "goodwill: late start"})

    assert partial.status_code == 201, partial.text
    body = partial.json()
    assert body["status"] == "succeeded" and body["amount"] == 1000 and body["override"] is True
    assert body["source"] == "staff" and body["note"] == "goodwill: late start"
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"  # partly refunded: still enrolled
    assert lms_enrollment("ada", bought.course_key).is_active

    too_much = client.post(_refund_path(bought), {"amount": 3901, "reason": "the rest and more"})

    assert too_much.status_code == 400
    assert too_much.json()["code"] == "refund_amount_invalid" and too_much.json()["refundable"] == 3900
    assert Refund.objects.count() == 1


def test_a_staff_refund_needs_a_reason(as_user, staff, bought):
    client = as_user(staff)

    with_amount = client.post(_refund_path(bought), {"amount": 1000})
    empty = client.post(_refund_path(bought), {})
    blank = client.post(_refund_path(bought), {"reason": "   "})

    for response in (with_amount, empty, blank):
        assert response.status_code == 400 and "reason" in response.json(), response.text
    assert not Refund.objects.exists()


def test_a_malformed_amount_is_refused_before_anything_happens(as_user, staff, bought):
    response = as_user(staff).post(_refund_path(bought), {"amount": "lots", "reason": "x"})
    zero = as_user(staff).post(_refund_path(bought), {"amount": 0, "reason": "x"})

    assert response.status_code == 400 and "amount" in response.json()
    assert zero.status_code == 400 and "amount" in zero.json()
    assert not Refund.objects.exists()


@pytest.fixture
def waiting(as_user, learner, bought, settings):
    """Ada's request after the refund period: it waits for a staff decision."""
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    response = as_user(learner).post(_refund_path(bought))
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "requested" and response.json()["reason"] == "window_closed"
    return response.json()


def test_staff_approve_a_waiting_request_and_it_is_paid_back(as_user, staff, bought, waiting):
    client = as_user(staff)

    approved = client.post(f"/refunds/{waiting['uuid']}/approve/", {"note": "the course started late"})

    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "succeeded" and approved.json()["note"] == "the course started late"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert lms_enrollment("ada", bought.course_key).is_active is False
    again = client.post(f"/refunds/{waiting['uuid']}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "invalid_refund_transition"


def test_staff_reject_a_waiting_request_with_a_note_the_learner_reads(as_user, staff, learner, bought, waiting):
    client = as_user(staff)

    without_note = client.post(f"/refunds/{waiting['uuid']}/reject/", {})
    rejected = client.post(f"/refunds/{waiting['uuid']}/reject/", {"note": "the course ended in March"})

    assert without_note.status_code == 400 and "note" in without_note.json()
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    learner_view = as_user(learner).get(_refund_path(bought)).json()["refunds"]
    assert [(item["status"], item["note"]) for item in learner_view] == [("rejected", "the course ended in March")]
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"
    assert client.post(f"/refunds/{waiting['uuid']}/approve/").status_code == 409


def test_learners_cannot_decide_refunds(as_user, learner, bob, waiting):
    for user in (learner, bob):
        for action in ("approve", "reject"):
            response = as_user(user).post(f"/refunds/{waiting['uuid']}/{action}/", {"note": "please"})
            assert response.status_code == 403, (user, action)
    assert Refund.objects.get(uuid=waiting["uuid"]).status == "requested"
    assert as_user(None).post(f"/refunds/{waiting['uuid']}/approve/").status_code == 401


def test_deciding_an_unknown_refund_is_404(as_user, staff):
    client = as_user(staff)
    assert client.post(f"/refunds/{uuid.uuid4()}/approve/").status_code == 404
    assert client.post("/refunds/not-a-uuid/reject/", {"note": "x"}).json()["code"] == "not_found"


def test_staff_list_refunds_with_filters_and_learners_may_not(as_user, staff, learner, bob, waiting, shop):
    from sandbox.lms.seed import create_course

    create_course(OTHER_COURSE_ID, display_name="Other")
    other = make_product(OTHER_COURSE_ID, price=1000)
    placed = api.create_order(bob, other.uuid, base_url=shop.url)
    shop.pay(placed.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=placed.number).status in ("paid", "fulfilled"), timeout=15)
    api.staff_refund(placed.number, staff=staff, reason="goodwill", amount=500)
    client = as_user(staff)

    everything = client.get("/refunds/")
    waiting_only = client.get("/refunds/", status="requested")
    of_order = client.get("/refunds/", order=placed.number)
    of_course = client.get("/refunds/", course_id=OTHER_COURSE_ID)

    assert everything.status_code == 200, everything.text
    assert everything.json()["count"] == 2 and everything.json()["num_pages"] == 1
    assert [item["uuid"] for item in waiting_only.json()["results"]] == [waiting["uuid"]]
    assert [(item["order_number"], item["amount"]) for item in of_order.json()["results"]] == [(placed.number, 500)]
    assert [item["order_number"] for item in of_course.json()["results"]] == [placed.number]
    assert client.get("/refunds/", status="lost").status_code == 400
    assert as_user(learner).get("/refunds/").status_code == 403


def test_learners_cannot_list_refunds(as_user, learner):
    response = as_user(learner).get("/refunds/")
    assert response.status_code == 403 and response.json()["detail"] == "Only staff may do this."


def test_withdrawing_a_course_run_cancels_pending_orders_and_refunds_paid_ones(as_user, staff, bob, bought, shop,
                                                                                product):
    pending = api.create_order(bob, product.uuid, base_url=shop.url)
    path = f"/course-runs/{product.course_key}/cancel-sales/"

    assert as_user(bob).post(path, {"reason": "course withdrawn"}).status_code == 403
    assert as_user(staff).post(path, {}).status_code == 400
    response = as_user(staff).post(path, {"reason": "the course was withdrawn"})

    assert response.status_code == 200, response.text
    assert response.json() == {"course_id": str(product.course_key), "canceled": [pending.number],
                               "refunded": [bought.number], "skipped": []}
    assert Order.objects.get(number=pending.number).status == "canceled"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert Product.objects.get(pk=product.pk).is_active is False
    assert lms_enrollment("ada", bought.course_key).is_active is False
    refund = Refund.objects.get(order=bought)
    assert refund.source == "course_removed" and refund.note == "the course was withdrawn"


def test_withdrawing_needs_a_well_formed_course_id(as_user, staff):
    response = as_user(staff).post("/course-runs/not-a-course/cancel-sales/", {"reason": "x"})
    assert response.status_code == 400 and "course_id" in response.json()


def test_staff_posting_an_empty_body_on_their_own_order_file_a_learner_request(as_user, staff, shop, product):
    placed = api.create_order(staff, product.uuid, base_url=shop.url)
    shop.pay(placed.checkout_url)
    assert wait_for(lambda: Order.objects.get(number=placed.number).status == "fulfilled", timeout=15)

    response = as_user(staff).post(f"/orders/{placed.number}/refund/", {})

    assert response.status_code == 201, response.text
    assert response.json()["source"] == "learner" and response.json()["override"] is False
    assert response.json()["reason"] == "eligible"
