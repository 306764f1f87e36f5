"""Fault switches of the stand-in: a call that fails before acting, or after acting (a lost response).

The ``fail_after`` case is the one the plugin's refund recovery exists for: the refund is created,
the client sees an error, and localstripe ignores idempotency keys, so only a lookup by
``payment_intent`` (and our metadata) tells the plugin that its refund already exists.
"""
from __future__ import annotations

import pytest
import requests
import stripe

from tests.stripe_standin.test_refunds import OUR_METADATA, refund


def test_fail_before_creates_nothing(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before")

    with pytest.raises(stripe.APIError) as caught:
        refund(client, intent.id, 1000, metadata=OUR_METADATA)

    assert caught.value.http_status == 500
    assert caught.value.json_body == {"error": {"type": "api_error", "message": "Sandbox fault"}}
    assert stripe_standin.refunds(intent.id) == []
    assert stripe_standin.armed_faults() == []  # used up
    assert refund(client, intent.id, 1000).status == "succeeded"  # the next call goes through


def test_fail_after_creates_the_refund_yet_the_client_raises(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_after")

    with pytest.raises(stripe.APIError):
        refund(client, intent.id, 1000, metadata=OUR_METADATA)

    found = stripe_standin.refunds(intent.id)
    assert len(found) == 1
    assert (found[0]["amount"], found[0]["metadata"], found[0]["status"]) == (1000, OUR_METADATA, "succeeded")
    # The plugin's own recovery path: list the intent's refunds and match the metadata.
    listed = client.v1.refunds.list(params={"payment_intent": intent.id})
    assert [r.metadata.to_dict() for r in listed.data] == [OUR_METADATA]


def test_count_and_status(stripe_standin, client, pay):
    intent = pay()
    armed = stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before", count=2, status=503)
    assert armed == {"method": "POST", "path": "/v1/refunds", "mode": "fail_before", "remaining": 2, "status": 503}

    for _ in range(2):
        with pytest.raises(stripe.APIError) as caught:
            refund(client, intent.id, 100)
        assert caught.value.http_status == 503

    assert refund(client, intent.id, 100).amount == 100


def test_a_4xx_fault_is_an_invalid_request_error(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before", status=400)

    with pytest.raises(stripe.InvalidRequestError, match="Sandbox fault"):
        refund(client, intent.id, 100)


def test_other_methods_and_paths_are_untouched(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before")

    assert client.v1.refunds.list(params={"payment_intent": intent.id}).data == []  # GET: not armed
    assert client.v1.payment_intents.retrieve(intent.id).status == "succeeded"
    assert len(stripe_standin.armed_faults()) == 1


def test_wildcard_paths(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("GET", "/v1/payment_intents/*", mode="fail_before", status=502)

    with pytest.raises(stripe.APIError):
        client.v1.payment_intents.retrieve(intent.id)


def test_fail_after_spares_a_call_that_fails_on_its_own(stripe_standin, client, pay):
    """Nothing happened, so nothing to hide: the real error comes back and the fault stays armed."""
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_after")

    with pytest.raises(stripe.InvalidRequestError) as caught:
        refund(client, "pi_doesnotexist00", 100)

    assert caught.value.http_status == 404
    assert stripe_standin.armed_faults()[0]["remaining"] == 1
    with pytest.raises(stripe.APIError):
        refund(client, pay().id, 100)
    assert stripe_standin.armed_faults() == []


def test_clear_faults(stripe_standin, client, pay):
    intent = pay()
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before", count=5)

    stripe_standin.clear_faults()

    assert stripe_standin.armed_faults() == []
    assert refund(client, intent.id, 100).status == "succeeded"


def test_flush_clears_faults(stripe_standin):
    stripe_standin.arm_fault("POST", "/v1/refunds", mode="fail_before")

    stripe_standin.flush()

    assert stripe_standin.armed_faults() == []


def test_the_api_key_check_still_comes_first(stripe_standin):
    stripe_standin.arm_fault("GET", "/v1/refunds", mode="fail_before")

    response = requests.get(f"{stripe_standin.url}/v1/refunds", timeout=10)

    assert response.status_code == 401
    assert stripe_standin.armed_faults()[0]["remaining"] == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"method": "POST", "path": "/_config/data", "mode": "fail_before"},  # control paths: never
        {"method": "PATCH", "path": "/v1/refunds", "mode": "fail_before"},
        {"method": "POST", "path": "v1/refunds", "mode": "fail_before"},
        {"method": "POST", "path": "/v1/refunds", "mode": "explode"},
        {"method": "POST", "path": "/v1/refunds", "mode": "fail_after", "count": 0},
        {"method": "POST", "path": "/v1/refunds", "mode": "fail_after", "count": True},
        {"method": "POST", "path": "/v1/refunds", "mode": "fail_after", "status": 200},
        {"method": "POST", "path": "/v1/refunds", "mode": "fail_after", "delay": 3},
    ],
)
def test_bad_fault_configurations_are_refused(stripe_standin, payload):
    response = requests.post(f"{stripe_standin.url}/_config/faults", json=payload, timeout=10)

    assert response.status_code == 400
    assert stripe_standin.armed_faults() == []
