"""Refunds on the learner pages over real HTTP: the receipt's sentence and button, the request, the outcome."""
from __future__ import annotations

import html
import re

from commerce_plugin import api
from commerce_plugin.models import Order, Refund
from tests.pages.conftest import login, post_form
from tests.refunds.conftest import lms_enrollment


def _receipt(lms, order) -> str:
    return f"{lms.url}/commerce/orders/{order.number}/"


def _refund(lms, order) -> str:
    return f"{lms.url}/commerce/orders/{order.number}/refund/"


def _text(page: str, element_id: str) -> str:
    """The text of the element with this id (tags stripped, entities decoded, spaces collapsed)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(2))).split())


def test_receipt_says_until_when_the_order_is_refundable_and_offers_the_button(lms, ada, bought, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 14

    page = ada.get(_receipt(lms, bought), timeout=10).text

    assert _text(page, "refund-decision").startswith("Refundable until ")
    assert 'id="refund-button"' in page and "Request a refund" in page
    assert f'action="/commerce/orders/{bought.number}/refund/"' in page
    assert "You get 49.00 USD back" in _text(page, "refund-explanation")
    assert 'id="refunds"' not in page


def test_the_button_refunds_the_order_and_the_receipt_then_shows_it_completed(lms, ada, bought):
    response = post_form(ada, _refund(lms, bought), page_url=_receipt(lms, bought))

    assert response.status_code == 303 and response.headers["Location"] == f"/commerce/orders/{bought.number}/"
    page = ada.get(_receipt(lms, bought), timeout=10).text
    assert "You have been refunded 49.00 USD." in page
    assert _text(page, "refunds").startswith("Refund of 49.00 USD: completed")
    assert 'id="order-status" data-status="refunded"' in page and _text(page, "order-status") == "Refunded"
    assert "Your enrollment from this order has ended" in _text(page, "enrollment-state")
    assert 'id="refund-button"' not in page and "Go to the course" not in page
    assert Order.objects.get(pk=bought.pk).status == "refunded"
    assert lms_enrollment("ada", bought.course_key).is_active is False


def test_after_the_window_the_receipt_says_so_and_the_request_waits_for_staff(lms, ada, bought, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0

    page = ada.get(_receipt(lms, bought), timeout=10).text

    assert _text(page, "refund-decision").startswith("Not refundable: the refund period ended on ")
    assert 'id="refund-button"' in page
    assert _text(page, "refund-explanation") == "Your request will be reviewed by our staff."

    post_form(ada, _refund(lms, bought), page_url=_receipt(lms, bought))
    after = ada.get(_receipt(lms, bought), timeout=10).text

    assert "Our staff will review it" in after
    assert _text(after, "refunds").startswith("Refund of 49.00 USD: waiting for review")
    assert 'id="refund-button"' not in after  # one request per order
    assert Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_a_rejected_request_shows_the_staff_note(lms, ada, learner, staff_user, bought, settings):
    settings.COMMERCE_REFUND_WINDOW_DAYS = 0
    waiting = api.request_refund(bought.number, user=learner)
    api.decide_refund(str(waiting.uuid), staff=staff_user, approve=False, note="The course ended in March.")

    page = ada.get(_receipt(lms, bought), timeout=10).text

    assert _text(page, "refunds").startswith("Refund of 49.00 USD: rejected: The course ended in March.")


def test_someone_elses_refund_post_is_404_and_changes_nothing(lms, grace, bought):
    intruder = login(lms.url, "grace", "grace-password")

    response = post_form(intruder, _refund(lms, bought), page_url=f"{lms.url}/commerce/orders/")

    assert response.status_code == 404
    assert not Refund.objects.exists() and Order.objects.get(pk=bought.pk).status == "fulfilled"


def test_staff_see_the_decision_on_a_learners_receipt_but_no_button(lms, staff_user, bought):
    support = login(lms.url, "root", "root-password")

    page = support.get(_receipt(lms, bought), timeout=10).text

    assert _text(page, "refund-decision").startswith("Refundable until ")
    assert 'id="refund-button"' not in page


def test_a_refund_of_an_unpaid_order_is_refused_with_a_sentence(lms, ada, learner, product, make_order):
    order = make_order(learner, product, status="pending")

    response = post_form(ada, _refund(lms, order), page_url=_receipt(lms, order))
    page = ada.get(_receipt(lms, order), timeout=10).text

    assert response.status_code == 303
    assert "Not refundable: this order was not paid." in page
    assert 'id="refund-decision"' not in page and not Refund.objects.exists()


def test_a_free_order_has_no_refund_part(lms, ada, learner, course, make_order):
    from commerce_plugin.models import Product

    free = Product.objects.create(title="Free run", course_key=course.course_id, price=0)
    order = make_order(learner, free, status="fulfilled")

    page = ada.get(_receipt(lms, order), timeout=10).text

    assert 'id="refund-decision"' not in page and 'id="refund-button"' not in page


def test_my_orders_shows_each_orders_refund_status(lms, ada, learner, product, bought, make_order):
    other = make_order(learner, product, status="canceled")
    api.request_refund(bought.number, user=learner)

    page = ada.get(f"{lms.url}/commerce/orders/", timeout=10).text

    rows = {number: row for row in re.findall(r"<tr>.*?</tr>", page, re.S)
            for number in (bought.number, other.number) if f"/commerce/orders/{number}/" in row}
    assert "Refund of 49.00 USD: completed" in rows[bought.number] and "Refunded" in rows[bought.number]
    assert "Refund of" not in rows[other.number]
