"""What the stand-in does with refunds, through stripe-python 16 exactly as the plugin calls it.

These tests pin localstripe 1.15.10's refund behaviour (quirks included) plus our listing fix in
``sandbox/localstripe_ext/refunds.py``, so a localstripe upgrade that changes any of it is noticed.
"""
from __future__ import annotations

import pytest
import requests
import stripe

from tests.stripe_standin.conftest import PAID_AMOUNT

OUR_METADATA = {"refund_uuid": "0b5e8f0e-6f7c-4c55-9d43-3f7f2a0d4d11", "order_number": "SBX-1001"}
# Every key of a localstripe refund. Stripe's also has reason, receipt_number,
# destination_details, ...; localstripe adds the long-deprecated "date" (= created).
REFUND_KEYS = {
    "id",
    "object",
    "amount",
    "balance_transaction",
    "charge",
    "created",
    "currency",
    "date",
    "livemode",
    "metadata",
    "payment_intent",
    "status",
}


def refund(client: stripe.StripeClient, intent_id: str, amount: int | None = None, **params) -> stripe.Refund:
    """``refunds.create`` with the plugin's call shape (params + idempotency key in options)."""
    params = {"payment_intent": intent_id, **params}
    if amount is not None:
        params["amount"] = amount
    key = f"refund-{params.get('metadata', {}).get('refund_uuid', 'none')}-{amount}"
    return client.v1.refunds.create(params=params, options={"idempotency_key": key})


def test_refund_by_payment_intent_has_the_expected_shape(client, pay):
    intent = pay()

    created = refund(client, intent.id, 1500, metadata=OUR_METADATA)

    body = created.to_dict()
    assert set(body) == REFUND_KEYS
    assert body["id"].startswith("re_")
    assert body["object"] == "refund"
    assert (body["amount"], body["currency"], body["status"]) == (1500, "usd", "succeeded")
    assert body["charge"] == intent.latest_charge.id  # latest_charge is an expanded Charge on localstripe
    assert body["payment_intent"] == intent.id
    assert body["metadata"] == OUR_METADATA
    assert body["balance_transaction"].startswith("txn_")
    assert body["date"] == body["created"]


def test_retrieve_returns_the_same_refund(client, pay):
    created = refund(client, pay().id, 700, metadata=OUR_METADATA)

    fetched = client.v1.refunds.retrieve(created.id)

    assert fetched.to_dict() == created.to_dict()


def test_retrieve_unknown_refund_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.retrieve("re_doesnotexist00")
    assert caught.value.http_status == 404


def test_refund_by_charge_has_no_payment_intent_but_is_listed_under_it(client, pay):
    intent = pay()

    created = client.v1.refunds.create(params={"charge": intent.latest_charge.id, "amount": 500})

    assert created.charge == intent.latest_charge.id
    assert created.payment_intent is None  # Stripe would fill it in; localstripe does not
    listed = client.v1.refunds.list(params={"payment_intent": intent.id})
    assert [r.id for r in listed.data] == [created.id]


def test_charge_and_payment_intent_together_are_refused(client, pay):
    intent = pay()

    with pytest.raises(stripe.InvalidRequestError, match="Bad request"):
        client.v1.refunds.create(params={"charge": intent.latest_charge.id, "payment_intent": intent.id})


def test_partial_then_full_refund_updates_the_charge(client, pay):
    intent = pay()

    first = refund(client, intent.id, 1000, metadata=OUR_METADATA)
    charge = client.v1.charges.retrieve(intent.latest_charge.id)
    assert (charge.amount_refunded, charge.refunded) == (1000, False)

    second = refund(client, intent.id, PAID_AMOUNT - 1000)
    charge = client.v1.charges.retrieve(intent.latest_charge.id)
    assert (charge.amount_refunded, charge.refunded) == (PAID_AMOUNT, True)
    assert charge.payment_intent == intent.id
    # localstripe embeds the refunds list in the charge (Stripe stopped doing so by default in
    # API version 2022-11-15), newest first with our listing fix.
    assert charge.refunds.object == "list"
    assert [r.id for r in charge.refunds.data] == [second.id, first.id]
    # The PaymentIntent's expanded latest_charge shows the same totals.
    again = client.v1.payment_intents.retrieve(intent.id)
    assert (again.latest_charge.amount_refunded, again.latest_charge.refunded) == (PAID_AMOUNT, True)


def test_refund_without_amount_refunds_the_whole_charge_again(client, pay):
    """localstripe quirk: Stripe would refund what is left (here 4000) and then refuse."""
    intent = pay()
    refund(client, intent.id, 1000)

    rest = refund(client, intent.id)

    assert rest.amount == PAID_AMOUNT
    assert client.v1.charges.retrieve(intent.latest_charge.id).amount_refunded == PAID_AMOUNT + 1000


def test_over_refunds_are_not_checked(client, pay):
    """Known localstripe gap (stripe-and-services.md 1.3): the plugin must check the balance itself."""
    intent = pay()

    too_much = refund(client, intent.id, PAID_AMOUNT * 3)

    assert too_much.status == "succeeded"


def test_idempotency_keys_are_ignored(client, pay):
    """Why the plugin must look for an existing refund after a failed call: a retry creates another."""
    intent = pay()
    options = {"idempotency_key": "refund-same-key"}
    params = {"payment_intent": intent.id, "amount": 100, "metadata": OUR_METADATA}

    one = client.v1.refunds.create(params=params, options=options)
    two = client.v1.refunds.create(params=params, options=options)

    assert one.id != two.id


def test_reason_is_rejected(client, pay):
    with pytest.raises(stripe.InvalidRequestError, match="Unexpected reason"):
        refund(client, pay().id, 100, reason="requested_by_customer")


def test_refund_of_a_failed_payment_is_refused(client):
    with pytest.raises(stripe.CardError):
        client.v1.payment_intents.create(
            params={"amount": 900, "currency": "usd", "payment_method": "pm_card_chargeCustomerFail", "confirm": True}
        )
    failed = client.v1.payment_intents.list().data[0]

    with pytest.raises(stripe.InvalidRequestError, match="Cannot refund a failed payment"):
        refund(client, failed.id, 100)


def test_list_filters_by_payment_intent_and_charge_newest_first(client, pay):
    mine, other = pay(), pay()
    # Several refunds within the same second: localstripe alone would list these oldest first.
    made = [refund(client, mine.id, 100 + n).id for n in range(3)]
    foreign = refund(client, other.id, 200).id

    by_intent = client.v1.refunds.list(params={"payment_intent": mine.id})
    by_charge = client.v1.refunds.list(params={"charge": mine.latest_charge.id})
    both = client.v1.refunds.list(params={"payment_intent": mine.id, "charge": mine.latest_charge.id})
    mismatch = client.v1.refunds.list(params={"payment_intent": mine.id, "charge": other.latest_charge.id})
    everything = client.v1.refunds.list()

    assert by_intent.object == "list"
    assert [r.id for r in by_intent.data] == made[::-1]
    assert by_intent.has_more is False
    assert [r.id for r in by_charge.data] == made[::-1]
    assert [r.id for r in both.data] == made[::-1]
    assert mismatch.data == []
    assert [r.id for r in everything.data] == [foreign, *made[::-1]]


def test_list_pages_with_limit_and_starting_after(client, pay):
    intent = pay()
    made = [refund(client, intent.id, 10 + n).id for n in range(3)]

    first = client.v1.refunds.list(params={"payment_intent": intent.id, "limit": 2})
    rest = client.v1.refunds.list(params={"payment_intent": intent.id, "limit": 2, "starting_after": first.data[-1].id})

    assert ([r.id for r in first.data], first.has_more) == (made[:0:-1], True)
    assert ([r.id for r in rest.data], rest.has_more) == ([made[0]], False)


def test_list_of_an_unknown_intent_is_404(client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.refunds.list(params={"payment_intent": "pi_doesnotexist00"})
    assert caught.value.http_status == 404


def test_list_refuses_parameters_it_does_not_support(stripe_standin):
    # localstripe alone answers 500 to created[...]; Stripe supports it, the stand-in says so plainly.
    response = requests.get(
        f"{stripe_standin.url}/v1/refunds",
        params={"created[gt]": "1"},
        headers={"Authorization": "Bearer sk_test_local"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Unexpected created"


def test_list_limit_is_capped_like_stripe(client):
    with pytest.raises(stripe.InvalidRequestError, match="limit"):
        client.v1.refunds.list(params={"limit": 101})


def test_refunds_helper_reads_every_page(stripe_standin, client, pay):
    intent, other = pay(), pay()
    made = [refund(client, intent.id, 1).id for _ in range(105)]
    refund(client, other.id, 1)

    mine = stripe_standin.refunds(intent.id)

    assert [r["id"] for r in mine] == made[::-1]
    assert len(stripe_standin.refunds()) == 106
    assert stripe_standin.refunds(pay().id) == []
