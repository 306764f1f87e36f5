"""Refund events the stand-in sends on request (localstripe sends none), verified as the plugin will."""
from __future__ import annotations

import pytest
import requests
import stripe

from tests.stripe_standin.conftest import PAID_AMOUNT, WEBHOOK_SECRET
from tests.stripe_standin.test_refunds import OUR_METADATA, refund


def received(webhook_receiver, event_type: str, object_id: str) -> stripe.Event:
    delivery = webhook_receiver.wait_for(event_type, object_id)
    return stripe.Webhook.construct_event(delivery.payload, delivery.signature, WEBHOOK_SECRET)


def test_charge_refunded_and_refund_updated_are_signed_and_delivered(
    stripe_standin, webhook_receiver, client, pay
):
    intent = pay()
    created = refund(client, intent.id, 1200, metadata=OUR_METADATA)

    sent = stripe_standin.send_refund_events(created.id, ["charge.refunded", "refund.updated"])

    assert [event["type"] for event in sent] == ["charge.refunded", "refund.updated"]
    charge_event = received(webhook_receiver, "charge.refunded", intent.latest_charge.id)
    refund_event = received(webhook_receiver, "refund.updated", created.id)
    assert [charge_event.id, refund_event.id] == [event["id"] for event in sent]

    charge = charge_event.data.object
    assert charge.object == "charge"
    assert (charge.amount, charge.amount_refunded, charge.refunded) == (PAID_AMOUNT, 1200, False)
    assert charge.payment_intent == intent.id
    assert [r.id for r in charge.refunds.data] == [created.id]

    sent_refund = refund_event.data.object
    assert sent_refund.to_dict() == created.to_dict()
    assert sent_refund.metadata.to_dict() == OUR_METADATA


def test_full_refund_event_says_refunded(stripe_standin, webhook_receiver, client, pay):
    intent = pay()
    created = refund(client, intent.id, PAID_AMOUNT)

    stripe_standin.send_refund_events(created.id, ["charge.refunded"])

    charge = received(webhook_receiver, "charge.refunded", intent.latest_charge.id).data.object
    assert (charge.amount_refunded, charge.refunded) == (PAID_AMOUNT, True)


def test_refund_failed_marks_the_refund_failed(stripe_standin, webhook_receiver, client, pay):
    intent = pay()
    kept = refund(client, intent.id, 1000)
    failing = refund(client, intent.id, 500, metadata=OUR_METADATA)

    stripe_standin.send_refund_events(failing.id, ["refund.failed"], status="failed", failure_reason="declined")

    sent = received(webhook_receiver, "refund.failed", failing.id).data.object
    assert (sent.status, sent.failure_reason) == ("failed", "declined")
    assert client.v1.refunds.retrieve(failing.id).status == "failed"
    assert client.v1.refunds.retrieve(kept.id).status == "succeeded"
    # As on Stripe, the money of a failed refund no longer counts as refunded.
    assert client.v1.charges.retrieve(intent.latest_charge.id).amount_refunded == 1000


def test_dashboard_refund_has_no_metadata_of_ours_and_sends_both_events(
    stripe_standin, webhook_receiver, client, pay
):
    intent = pay()

    made = stripe_standin.dashboard_refund(intent.id, 2000)

    assert (made["object"], made["amount"], made["status"]) == ("refund", 2000, "succeeded")
    assert made["payment_intent"] == intent.id
    assert made["metadata"] == {}
    assert [r["id"] for r in stripe_standin.refunds(intent.id)] == [made["id"]]
    charge = received(webhook_receiver, "charge.refunded", intent.latest_charge.id).data.object
    assert charge.amount_refunded == 2000
    assert received(webhook_receiver, "refund.updated", made["id"]).data.object.metadata.to_dict() == {}


def test_dashboard_refund_without_amount_refunds_what_is_left(stripe_standin, client, pay):
    intent = pay()
    refund(client, intent.id, 1000, metadata=OUR_METADATA)

    rest = stripe_standin.dashboard_refund(intent.id)

    assert rest["amount"] == PAID_AMOUNT - 1000
    with pytest.raises(requests.HTTPError) as caught:
        stripe_standin.dashboard_refund(intent.id)
    assert caught.value.response.status_code == 400


def test_events_for_an_unknown_refund_are_404(stripe_standin):
    with pytest.raises(requests.HTTPError) as caught:
        stripe_standin.send_refund_events("re_doesnotexist00", ["refund.updated"])
    assert caught.value.response.status_code == 404


@pytest.mark.parametrize("types", [[], ["charge.succeeded"], "refund.updated"])
def test_unsupported_event_types_are_refused(stripe_standin, client, pay, types):
    created = refund(client, pay().id, 100)

    response = requests.post(
        f"{stripe_standin.url}/_config/refunds/{created.id}/events", json={"types": types}, timeout=10
    )

    assert response.status_code == 400
