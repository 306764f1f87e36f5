"""The hosted pay page of the stand-in, as a browser would use it (plain HTTP, no API key)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from tests.stripe_standin.conftest import CANCEL_URL

VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0341"


def _pay(session, card_number: str) -> requests.Response:
    return requests.post(session.url, data={"card_number": card_number}, allow_redirects=False, timeout=10)


def test_page_shows_amount_product_form_and_cancel_link(create_session):
    session = create_session()

    page = requests.get(session.url, timeout=10)

    assert page.status_code == 200
    assert "<title>Pay 49.00 USD</title>" in page.text
    assert "Contract testing (verified)" in page.text
    assert 'name="card_number"' in page.text and 'id="card-number"' in page.text
    assert ">Pay</button>" in page.text
    assert f'href="{CANCEL_URL}">Cancel</a>' in page.text


def test_paying_redirects_to_success_url_and_completes_the_session(client, create_session):
    session = create_session()

    response = _pay(session, VISA)

    assert response.status_code == 303
    location = urlsplit(response.headers["Location"])
    assert location.netloc == "lms.example.com"
    assert parse_qs(location.query) == {"session_id": [session.id]}
    paid = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert (paid.status, paid.payment_status) == ("complete", "paid")
    intent = paid.payment_intent
    assert intent.status == "succeeded"
    assert (intent.amount, intent.currency) == (4900, "usd")
    assert intent.metadata.to_dict() == {"order_id": "order-42"}
    # localstripe quirk: latest_charge comes expanded (an object), not an id.
    assert intent.latest_charge.status == "succeeded"


def test_declined_card_keeps_the_session_open(client, create_session):
    session = create_session()

    response = _pay(session, DECLINED)

    assert response.status_code == 402
    assert "Your card was declined." in response.text
    assert 'id="card-number"' in response.text  # the learner may try again
    after = client.v1.checkout.sessions.retrieve(session.id)
    assert (after.status, after.payment_status) == ("open", "unpaid")
    intent = client.v1.payment_intents.retrieve(after.payment_intent)
    assert intent.status == "requires_payment_method"
    assert intent.last_payment_error.code == "card_declined"
    assert intent.metadata.to_dict() == {"order_id": "order-42"}


def test_retry_after_decline_pays_the_same_payment_intent(client, create_session):
    session = create_session()
    _pay(session, DECLINED)
    declined_intent = client.v1.checkout.sessions.retrieve(session.id).payment_intent

    response = _pay(session, VISA)

    assert response.status_code == 303
    paid = client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["payment_intent"]})
    assert paid.payment_status == "paid"
    assert paid.payment_intent.id == declined_intent
    assert paid.payment_intent.status == "succeeded"
    assert paid.payment_intent.last_payment_error is None


def test_missing_or_bad_card_number_is_400(create_session):
    session = create_session()

    for card_number in ("", "   ", "4242-abcd"):
        response = _pay(session, card_number)
        assert response.status_code == 400
        assert "Enter a card number." in response.text


def test_expired_and_paid_sessions_show_a_notice_instead_of_the_form(stripe_standin, client, create_session):
    expired = create_session()
    pay_url = expired.url
    client.v1.checkout.sessions.expire(expired.id)
    paid = create_session()
    _pay(paid, VISA)

    expired_page = requests.get(pay_url, timeout=10)
    paid_page = requests.get(paid.url, timeout=10)

    assert expired_page.status_code == 410
    assert "This checkout session has expired." in expired_page.text
    assert 'id="card-number"' not in expired_page.text
    assert paid_page.status_code == 200
    assert "already paid" in paid_page.text
    assert 'id="card-number"' not in paid_page.text


def test_paying_twice_redirects_again_without_charging_again(client, create_session):
    session = create_session()
    first = _pay(session, VISA)

    second = _pay(session, VISA)

    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(client.v1.payment_intents.list().data) == 1


def test_unknown_session_is_404(stripe_standin):
    response = requests.get(f"{stripe_standin.url}/pay/cs_test_nope", timeout=10)

    assert response.status_code == 404
