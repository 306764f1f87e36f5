"""Fault switches for the Stripe stand-in: make the next N calls to a route fail, before or after acting.

Why this exists: the plugin must survive Stripe failures, and the nastiest one is a request that
*succeeded* at Stripe whose response never arrived (a timeout, a 500 from a proxy). localstripe
ignores ``Idempotency-Key`` (stripe-and-services.md, section 1.3), so after such a failure the
plugin must find the refund the lost response already created instead of creating another.
``responses`` mocks cannot show that, because they never create anything; this switch can:

* ``fail_before``: answer ``status`` at once; the request has no effect.
* ``fail_after``: let localstripe handle the request (the refund *is* created), then throw its
  answer away and send ``status`` with a Stripe-like error body, so the client believes it failed.

Control (``/_config/`` needs no API key and is never faulted)::

    POST   /_config/faults  {"method": "POST", "path": "/v1/refunds", "mode": "fail_after",
                             "count": 1, "status": 500}   -> 201, the armed fault
    GET    /_config/faults  -> {"faults": [armed faults with their "remaining" count]}
    DELETE /_config/faults  -> 204, all cleared

``path`` is matched against the whole request path with ``fnmatch`` (``*`` spans ``/``), so an
exact path matches itself and ``/v1/refunds/*`` covers every refund id. Faults are tried in the
order they were armed; the first match with calls remaining fires and one call is used up.

A ``fail_after`` fault fires only when the request itself succeeds: a request that fails on its
own (localstripe's 400/402/404) keeps its real error and does not use the fault up, since there
was no side effect to hide.

Like the other extensions, this runs only inside the localstripe process (``run_localstripe.py``).
"""
from __future__ import annotations

import fnmatch
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

CONFIG_PREFIX = "/_config/"
FAULTS_PATH = "/_config/faults"
MODES = ("fail_before", "fail_after")
METHODS = ("GET", "POST", "DELETE")
FAULT_MESSAGE = "Sandbox fault"


@dataclass
class Fault:
    method: str
    path: str
    mode: str
    remaining: int
    status: int

    def matches(self, request: web.Request) -> bool:
        return request.method == self.method and fnmatch.fnmatchcase(request.path, self.path)


_faults: list[Fault] = []
# Bumped by DELETE /_config/faults, so a request in flight cannot re-arm a cleared fault.
_generation = 0


def _bad_request(message: str) -> web.Response:
    return web.json_response({"error": {"type": "invalid_request_error", "message": message}}, status=400)


def _parse(data: Any) -> Fault | str:
    """A Fault from the control request's JSON, or the reason it is refused."""
    if not isinstance(data, dict):
        return "Expected a JSON object."
    unexpected = sorted(set(data) - {"method", "path", "mode", "count", "status"})
    if unexpected:
        return "Unexpected " + ", ".join(unexpected)
    method = str(data.get("method", "")).upper()
    path = data.get("path")
    mode = data.get("mode")
    count = data.get("count", 1)
    status = data.get("status", 500)
    if method not in METHODS:
        return f"method must be one of {', '.join(METHODS)}."
    if not isinstance(path, str) or not path.startswith("/"):
        return "path must be a string starting with /."
    if path.startswith(CONFIG_PREFIX):
        return "Paths under /_config/ cannot be faulted."
    if mode not in MODES:
        return f"mode must be one of {', '.join(MODES)}."
    # bool is an int subclass: refuse true/false explicitly.
    if type(count) is not int or count < 1:
        return "count must be an integer >= 1."
    if type(status) is not int or not 400 <= status <= 599:
        return "status must be an integer from 400 to 599."
    return Fault(method=method, path=path, mode=mode, remaining=count, status=status)


def _fault_response(status: int) -> web.Response:
    """What Stripe sends on a server error; stripe-python turns a 5xx into ``stripe.APIError``."""
    error_type = "api_error" if status >= 500 else "invalid_request_error"
    return web.json_response({"error": {"type": error_type, "message": FAULT_MESSAGE}}, status=status)


def _take(request: web.Request, mode: str) -> Fault | None:
    """The first armed fault of ``mode`` matching ``request``, with one call used up."""
    for fault in _faults:
        if fault.mode == mode and fault.matches(request):
            fault.remaining -= 1
            if fault.remaining == 0:
                _faults.remove(fault)
            return fault
    return None


def _give_back(fault: Fault, generation: int) -> None:
    """Undo ``_take`` (unless the faults were cleared in the meantime)."""
    if generation != _generation:
        return
    fault.remaining += 1
    if fault not in _faults:
        _faults.append(fault)


@web.middleware
async def fault_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not _faults or request.path.startswith(CONFIG_PREFIX):
        return await handler(request)
    before = _take(request, "fail_before")
    if before is not None:
        return _fault_response(before.status)
    # Taken now, not after the handler: other requests run while this one awaits, and two
    # concurrent calls must not both be faulted by a count of 1.
    generation = _generation
    after = _take(request, "fail_after")
    if after is None:
        return await handler(request)
    try:
        response = await handler(request)
    except BaseException:
        # localstripe's UserError or aiohttp's HTTPException: the request failed on its own,
        # there is no side effect to hide, so the fault stays armed for the next call.
        _give_back(after, generation)
        raise
    if not 200 <= response.status < 300:
        _give_back(after, generation)
        return response
    return _fault_response(after.status)


async def _arm(request: web.Request) -> web.Response:
    try:
        data = await request.json()
    except ValueError:
        return _bad_request("Expected a JSON body.")
    fault = _parse(data)
    if isinstance(fault, str):
        return _bad_request(fault)
    _faults.append(fault)
    return web.json_response(asdict(fault), status=201)


async def _list(request: web.Request) -> web.Response:
    return web.json_response({"faults": [asdict(fault) for fault in _faults]})


async def _clear(request: web.Request) -> web.Response:
    global _generation
    _faults.clear()
    _generation += 1
    return web.Response(status=204)


def install(app: web.Application) -> None:
    """Add the control routes and the middleware, before the app starts.

    aiohttp 3.14 freezes both the router and ``app.middlewares`` (a FrozenList) when the app
    starts; until then the list may be appended to. Middlewares run first-listed outermost, so
    appended last this one runs innermost: after localstripe's error handling and API-key check
    (an unauthenticated call still gets its 401) and right around the route's handler. It must be
    new-style (``@web.middleware``), otherwise aiohttp warns and takes its slower legacy path.
    """
    app.router.add_post(FAULTS_PATH, _arm)
    app.router.add_get(FAULTS_PATH, _list)
    app.router.add_delete(FAULTS_PATH, _clear)
    app.middlewares.append(fault_middleware)
