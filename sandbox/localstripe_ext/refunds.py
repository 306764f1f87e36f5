"""Refunds in the Stripe stand-in: Stripe-ordered listing, the refund events localstripe never sends,
and a "refunded in the dashboard" test hook.

What localstripe 1.15.10 already does (and this module leaves alone): ``POST /v1/refunds`` with
``payment_intent`` *or* ``charge`` (both: 400 "Bad request"), ``amount`` and ``metadata``; no
``amount`` refunds the whole charge again and over-refunds pass unchecked (section 1.3: the plugin
checks the refundable balance itself); ``reason`` is a 400 "Unexpected reason"; idempotency keys
are ignored. A refund is ``succeeded`` at once. A refund created with ``charge=`` has
``payment_intent: null`` (Stripe fills it in).

What this module changes, and why:

* **Listing order.** localstripe lists refunds by their ``date`` in *seconds*, newest first, so
  refunds made within the same second come out oldest first. Stripe is strictly newest first, and
  the plugin's "did my lost request create a refund?" lookup must not depend on the clock. The
  list also 500s on ``created`` and on an intent that has no charge, and refuses ``charge`` and
  ``payment_intent`` together. ``GET /v1/refunds`` stays localstripe's route (aiohttp refuses a
  second GET on the same path), but ``Refund._api_list_all`` behind it is replaced: filters
  ``payment_intent`` and/or ``charge``, ``limit`` 1 to 100 (default 10) and ``starting_after`` as
  on Stripe, strictly newest first. ``Charge.refunds`` uses it too, so it gets the same order.
* **Failed refunds.** Stripe's ``amount_refunded`` leaves out failed and canceled refunds;
  localstripe counts every refund. Only reachable through the events hook below (localstripe
  never fails a refund), which may set a refund's status.
* **Events** (localstripe sends no ``charge.*`` and no ``refund.*``, section 1.6):
  ``POST /_config/refunds/{id}/events`` ``{"types": [...], "status"?, "failure_reason"?}``
  schedules the events through localstripe's own ``Event`` + ``schedule_webhook``: signed and
  delivered ~1 s later like any other. ``charge.refunded`` carries the Charge (with
  ``amount_refunded``, ``refunded``, ``payment_intent`` and localstripe's ``refunds`` list), the
  ``refund.*`` and ``charge.refund.updated`` events carry the Refund. Each event is a snapshot
  taken now, as Stripe's are.
* **Dashboard refunds**: ``POST /_config/dashboard_refund`` ``{"payment_intent", "amount"?}``
  creates a refund with no metadata (as when an operator refunds in the Stripe dashboard, outside
  the plugin), then schedules ``charge.refunded`` and ``refund.updated``. Without ``amount`` it
  refunds what is left, as Stripe does.

Runs only inside the localstripe process (GPL; see ``run_localstripe.py``).
"""
from __future__ import annotations

from typing import Any

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import Charge, Event, List, PaymentIntent, Refund, store, try_convert_to_int
from localstripe.server import get_post_data, json_response
from localstripe.webhooks import schedule_webhook

REFUNDS_URL = "/v1/refunds"
DEFAULT_LIMIT = 10
MAX_LIMIT = 100  # Stripe's maximum page size

CHARGE_EVENTS = frozenset({"charge.refunded"})
REFUND_EVENTS = frozenset({"refund.created", "refund.updated", "refund.failed", "charge.refund.updated"})
DASHBOARD_EVENTS = ("charge.refunded", "refund.updated")
# Refund.status values on Stripe, and those that do not count towards the charge's amount_refunded.
REFUND_STATUSES = frozenset({"pending", "requires_action", "succeeded", "failed", "canceled"})
NOT_REFUNDED_STATUSES = frozenset({"failed", "canceled"})


def _bad_request(message: str) -> UserError:
    return UserError(400, message)


def _charge_id_of(payment_intent: str) -> str | None:
    """The id of the intent's charge (localstripe stores ``latest_charge`` as the Charge object)."""
    charge = PaymentIntent._api_retrieve(payment_intent).latest_charge
    if charge is None:
        return None
    return charge if isinstance(charge, str) else charge.id


def _list_refunds(
    cls: type[Refund],
    url: str,
    charge: Any = None,
    payment_intent: Any = None,
    limit: Any = None,
    starting_after: Any = None,
    **kwargs: Any,
) -> List:
    """Replacement for ``Refund._api_list_all``: Stripe's filters, strictly newest first."""
    if kwargs:
        raise _bad_request("Unexpected " + ", ".join(sorted(kwargs)))
    limit = DEFAULT_LIMIT if limit is None else try_convert_to_int(limit)
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise _bad_request(f"Invalid integer: limit must be between 1 and {MAX_LIMIT}.")
    if charge is not None and (type(charge) is not str or not charge.startswith("ch_")):
        raise _bad_request("Invalid charge.")
    if payment_intent is not None and (type(payment_intent) is not str or not payment_intent.startswith("pi_")):
        raise _bad_request("Invalid payment_intent.")

    charge_ids: set[str | None] | None = None  # None: no filter
    if charge is not None:
        Charge._api_retrieve(charge)  # 404 for an unknown charge, as localstripe does
        charge_ids = {charge}
    if payment_intent is not None:
        # Refunds point at their charge; a refund made with charge= has payment_intent null.
        intent_charges = {_charge_id_of(payment_intent)} - {None}
        charge_ids = intent_charges if charge_ids is None else charge_ids & intent_charges

    prefix = cls.object + ":"
    # The store is a dict in insertion order, so reversing it is newest first even within one second.
    refunds = [obj for key, obj in reversed(store.items()) if key.startswith(prefix)]
    if charge_ids is not None:
        refunds = [refund for refund in refunds if refund.charge in charge_ids]

    page = List(url, limit=limit, starting_after=starting_after)
    page._list = refunds
    return page


def _amount_refunded(self: Charge) -> int:
    """Replacement for ``Charge.amount_refunded``: failed and canceled refunds gave the money back."""
    return sum(refund.amount for refund in self.refunds._list if refund.status not in NOT_REFUNDED_STATUSES)


def _parse_types(raw: Any, allowed: frozenset[str]) -> list[str]:
    if type(raw) is not list or not raw or any(type(item) is not str for item in raw):
        raise _bad_request("types must be a non-empty list of event types.")
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise _bad_request("Unsupported event types: " + ", ".join(unknown))
    return raw


def _schedule(refund: Refund, types: list[str]) -> list[dict[str, str]]:
    """Create and schedule one signed event per type; returns their ids and types."""
    sent = []
    for event_type in types:
        target = Charge._api_retrieve(refund.charge) if event_type in CHARGE_EVENTS else refund
        event = Event(event_type, target)
        schedule_webhook(event)
        sent.append({"id": event.id, "type": event_type})
    return sent


def _set_status(refund: Refund, status: Any, failure_reason: Any) -> None:
    if status is None:
        if failure_reason is not None:
            raise _bad_request("failure_reason needs status=failed.")
        return
    if status not in REFUND_STATUSES:
        raise _bad_request("status must be one of " + ", ".join(sorted(REFUND_STATUSES)) + ".")
    if failure_reason is not None and (status != "failed" or type(failure_reason) is not str):
        raise _bad_request("failure_reason must be a string, with status=failed.")
    refund.status = status
    if status == "failed":
        # Stripe's values: lost_or_stolen_card, expired_or_canceled_card, declined, unknown, ...
        refund.failure_reason = failure_reason or "unknown"


async def _refund_events(request: web.Request) -> web.Response:
    """POST /_config/refunds/{id}/events ``{"types": [...], "status"?, "failure_reason"?}``."""
    data = await get_post_data(request) or {}
    unexpected = sorted(set(data) - {"types", "status", "failure_reason"})
    if unexpected:
        raise _bad_request("Unexpected " + ", ".join(unexpected))
    types = _parse_types(data.get("types"), CHARGE_EVENTS | REFUND_EVENTS)
    refund = Refund._api_retrieve(request.match_info["id"])
    _set_status(refund, data.get("status"), data.get("failure_reason"))
    return json_response({"events": _schedule(refund, types), "refund": refund._export()})


async def _dashboard_refund(request: web.Request) -> web.Response:
    """POST /_config/dashboard_refund ``{"payment_intent", "amount"?, "types"?}`` -> the refund."""
    data = await get_post_data(request) or {}
    unexpected = sorted(set(data) - {"payment_intent", "amount", "types"})
    if unexpected:
        raise _bad_request("Unexpected " + ", ".join(unexpected))
    types = _parse_types(data.get("types", list(DASHBOARD_EVENTS)), CHARGE_EVENTS | REFUND_EVENTS)
    payment_intent = data.get("payment_intent")
    if type(payment_intent) is not str or not payment_intent.startswith("pi_"):
        raise _bad_request("Missing required param: payment_intent.")
    amount = data.get("amount")
    if amount is None:
        # Stripe refunds what is left; localstripe would refund the whole charge again.
        charge_id = _charge_id_of(payment_intent)
        if charge_id is None:
            raise _bad_request("This PaymentIntent has no charge to refund.")
        charge = Charge._api_retrieve(charge_id)
        amount = charge.amount - charge.amount_refunded
        if amount <= 0:
            raise _bad_request("The charge has already been refunded in full.")
    # localstripe validates the rest (unknown intent 404, failed payment 400, amount > 0).
    refund = Refund._api_create(payment_intent=payment_intent, amount=amount)
    _schedule(refund, types)
    return json_response(refund._export())


def install(app: web.Application) -> None:
    """Patch localstripe's refund listing and charge totals, and add the test hooks (before start)."""
    Refund._api_list_all = classmethod(_list_refunds)
    Charge.amount_refunded = property(_amount_refunded)
    app.router.add_post("/_config/refunds/{id}/events", _refund_events)
    app.router.add_post("/_config/dashboard_refund", _dashboard_refund)
