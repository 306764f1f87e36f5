"""Refunds in the admin: the review queue's actions, the staff override form, withdrawing a course run from sale,
and nobody but staff with permissions getting near any of it. Orders are bought over the real stack."""
from __future__ import annotations

import pytest
from django.test import Client

from commerce_plugin import api
from commerce_plugin.models import Order, Product, Refund
from tests.refunds.conftest import lms_enrollment

REFUNDS = "/admin/commerce_plugin/refund/"
ORDERS = "/admin/commerce_plugin/order/"
PRODUCTS = "/admin/commerce_plugin/product/"


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


@pytest.fixture
def waiting(bought, learner, settings) -> Refund:
    """Ada's request after the refund period: it waits for staff."""
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    requested = api.request_refund(bought.number, user=learner)
    assert requested.status == "requested"
    return Refund.objects.get(uuid=requested.uuid)


def test_refund_list_shows_amount_status_and_is_searchable_by_email_and_order(staff_client, waiting, bought):
    page = staff_client.get(REFUNDS).content.decode()
    assert bought.number in page and "ada@example.com" in page and "49.00 USD" in page
    assert "requested" in page and "window_closed" in page

    assert bought.number in staff_client.get(REFUNDS, {"q": "ada@example.com"}).content.decode()
    assert bought.number in staff_client.get(REFUNDS, {"q": bought.number}).content.decode()
    assert "0 results" in staff_client.get(REFUNDS, {"q": "nobody@example.com"}).content.decode()
    assert bought.number not in staff_client.get(REFUNDS, {"status__exact": "succeeded"}).content.decode()


def test_refund_page_shows_its_history_and_cannot_be_edited(staff_client, bought, learner):
    refund = Refund.objects.get(uuid=api.request_refund(bought.number, user=learner).uuid)

    page = staff_client.get(f"{REFUNDS}{refund.pk}/change/").content.decode()

    assert "status history" in page.lower() and "succeeded" in page and "approved" in page
    assert refund.stripe_refund_id in page
    assert 'name="_save"' not in page and 'name="amount"' not in page
    assert staff_client.post(f"{REFUNDS}{refund.pk}/change/", {"amount": "1"}).status_code == 403
    assert staff_client.get(f"{REFUNDS}add/").status_code == 403


def test_approving_asks_for_an_optional_note_then_refunds_and_reports(staff_client, waiting, bought):
    selection = {"action": "approve_requests", "_selected_action": [waiting.pk]}

    confirmation = staff_client.post(REFUNDS, selection)

    assert confirmation.status_code == 200
    page = confirmation.content.decode()
    assert "Approve refund requests" in page and 'name="note"' in page and bought.number in page
    assert Refund.objects.get(pk=waiting.pk).status == "requested"  # nothing happens before confirming

    done = staff_client.post(REFUNDS, {**selection, "confirm": "yes", "note": ""}, follow=True)

    assert f"Approved: {bought.number} (succeeded)." in _messages(done)
    assert Refund.objects.get(pk=waiting.pk).status == "succeeded"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert lms_enrollment("ada", bought.course_key).is_active is False

    again = staff_client.post(REFUNDS, {**selection, "confirm": "yes", "note": ""}, follow=True)
    assert f"Not approved: {bought.number} (not waiting for a decision (it is succeeded))." in _messages(again)


def test_rejecting_needs_a_note_which_the_refund_keeps(staff_client, waiting, bought):
    selection = {"action": "reject_requests", "_selected_action": [waiting.pk]}

    without_note = staff_client.post(REFUNDS, {**selection, "confirm": "yes", "note": "  "})

    assert without_note.status_code == 200 and "This field is required." in without_note.content.decode()
    assert Refund.objects.get(pk=waiting.pk).status == "requested"

    done = staff_client.post(REFUNDS, {**selection, "confirm": "yes", "note": "The course ended in March."},
                             follow=True)

    assert f"Rejected: {bought.number} (rejected)." in _messages(done)
    refund = Refund.objects.get(pk=waiting.pk)
    assert refund.status == "rejected" and refund.note == "The course ended in March."
    assert refund.decided_by.startswith("staff:")
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_order_page_links_to_the_staff_refund_and_lists_refunds(staff_client, bought, learner):
    before = staff_client.get(f"{ORDERS}{bought.pk}/change/").content.decode()
    assert 'id="staff-refund-link"' in before and f"{ORDERS}{bought.pk}/refund/" in before

    api.request_refund(bought.number, user=learner)
    after = staff_client.get(f"{ORDERS}{bought.pk}/change/").content.decode()

    assert "49.00 USD" in after and "succeeded" in after and "eligible" in after  # the refunds inline
    assert 'id="staff-refund-link"' not in after and "Only paid orders can be refunded." in after


def test_staff_override_refunds_part_of_an_order_with_a_reason(staff_client, bought):
    form_url = f"{ORDERS}{bought.pk}/refund/"

    form = staff_client.get(form_url)
    assert form.status_code == 200
    page = form.content.decode()
    assert "Refundable until" in page and 'id="staff-refund-refundable">49.00 USD' in page

    no_reason = staff_client.post(form_url, {"amount": "1000", "reason": ""})
    too_much = staff_client.post(form_url, {"amount": "5000", "reason": "goodwill"})
    assert no_reason.status_code == 200 and "This field is required." in no_reason.content.decode()
    assert too_much.status_code == 200 and "between 1 and 4900 (49.00 USD)" in too_much.content.decode()
    assert not Refund.objects.exists()

    done = staff_client.post(form_url, {"amount": "1000", "reason": "goodwill: late start"}, follow=True)

    assert done.redirect_chain[-1][0] == f"{ORDERS}{bought.pk}/change/"
    assert f"Refund of 10.00 USD for order {bought.number}: succeeded." in _messages(done)
    refund = Refund.objects.get(order=bought)
    assert (refund.amount, refund.override, refund.note, refund.source) == (1000, True, "goodwill: late start",
                                                                            "staff")
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"  # partly refunded: still enrolled
    assert "goodwill: late start" in done.content.decode()


def test_staff_override_without_an_amount_refunds_everything_that_remains(staff_client, bought):
    staff_client.post(f"{ORDERS}{bought.pk}/refund/", {"amount": "", "reason": "duplicate purchase"})

    assert Refund.objects.get(order=bought).amount == 4900
    assert Order.objects.get(pk=bought.pk).status == "refunded"


def test_the_override_action_opens_the_form_of_the_one_selected_order(staff_client, bought, grace_order):
    one = staff_client.post(ORDERS, {"action": "refund_override", "_selected_action": [bought.pk]})
    two = staff_client.post(ORDERS, {"action": "refund_override", "_selected_action": [bought.pk, grace_order.pk]},
                            follow=True)

    assert one.status_code == 302 and one["Location"] == f"{ORDERS}{bought.pk}/refund/"
    assert "Select exactly one order to refund." in _messages(two)


def test_withdrawing_a_product_cancels_pending_orders_and_refunds_paid_ones(staff_client, bought, product, shop):
    from sandbox.lms.seed import create_user

    bob = create_user("bob", "bob@example.com")
    pending = api.create_order(bob, product.uuid, base_url=shop.url)
    selection = {"action": "withdraw_and_refund", "_selected_action": [product.pk]}

    confirmation = staff_client.post(PRODUCTS, selection).content.decode()

    assert "1 pending orders to cancel, 1 paid orders to refund" in confirmation and 'name="reason"' in confirmation
    assert staff_client.post(PRODUCTS, {**selection, "confirm": "yes", "reason": ""}).status_code == 200
    assert Product.objects.get(pk=product.pk).is_active  # no reason, nothing done

    done = staff_client.post(PRODUCTS, {**selection, "confirm": "yes", "reason": "the course was cancelled"},
                             follow=True)

    assert (f"{product.course_key} withdrawn from sale. Pending orders canceled: 1; paid orders refunded: 1; "
            "skipped: 0.") in _messages(done)
    assert Product.objects.get(pk=product.pk).is_active is False
    assert Order.objects.get(number=pending.number).status == "canceled"
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert Refund.objects.get(order=bought).note == "the course was cancelled"


def test_the_product_form_sets_a_refund_window(staff_client, product):
    page = staff_client.get(f"{PRODUCTS}{product.pk}/change/").content.decode()
    assert 'name="refund_window_days"' in page

    staff_client.post(f"{PRODUCTS}{product.pk}/change/", {
        "title": product.title, "course_key": str(product.course_key), "mode": "verified", "price": "4900",
        "currency": "usd", "is_active": "on", "sale_starts_at_0": "", "sale_starts_at_1": "", "sale_ends_at_0": "",
        "sale_ends_at_1": "", "seat_limit": "", "refund_window_days": "7"})

    assert Product.objects.get(pk=product.pk).refund_window_days == 7


def test_learners_and_staff_without_permissions_cannot_refund_from_the_admin(waiting, bought, product):
    from sandbox.lms.seed import create_user

    learner_client = Client()
    learner_client.force_login(Order.objects.get(pk=bought.pk).user)  # ada: logged in, not staff
    for url in (REFUNDS, f"{REFUNDS}{waiting.pk}/change/", f"{ORDERS}{bought.pk}/refund/"):
        response = learner_client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    learner_client.post(REFUNDS, {"action": "approve_requests", "_selected_action": [waiting.pk], "confirm": "yes"})
    learner_client.post(f"{ORDERS}{bought.pk}/refund/", {"reason": "free money"})
    learner_client.post(PRODUCTS, {"action": "withdraw_and_refund", "_selected_action": [product.pk],
                                   "confirm": "yes", "reason": "x"})

    bare_staff = Client()
    bare_staff.force_login(create_user("helper", "helper@example.com", staff=True))  # staff, no model permissions
    assert bare_staff.get(REFUNDS).status_code == 403
    assert bare_staff.get(f"{ORDERS}{bought.pk}/refund/").status_code == 403
    assert bare_staff.post(f"{ORDERS}{bought.pk}/refund/", {"reason": "x"}).status_code == 403

    assert Refund.objects.get(pk=waiting.pk).status == "requested" and Refund.objects.count() == 1
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"
    assert Product.objects.get(pk=product.pk).is_active
