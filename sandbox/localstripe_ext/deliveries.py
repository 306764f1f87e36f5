"""Count webhook deliveries still in flight, so tests can wait for them before the next test.

localstripe sends each event about a second after it happens, to whatever receivers are registered
*at that moment*. A test that ends sooner would otherwise see its late events arrive in the next
test (same receiver URL). ``GET /_config/webhooks/pending`` answers ``{"pending": n}``; the
fixture's ``flush`` waits for zero first.
"""
from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import localstripe.webhooks as webhooks
from aiohttp import web

_pending = 0
_original_send = webhooks._send_webhook


def _counted_send(event: Any) -> Coroutine[Any, Any, None]:
    """Stand-in for localstripe's ``_send_webhook``: counts at schedule time, uncounts when sent.

    ``schedule_webhook`` looks ``_send_webhook`` up in its module at each call, so replacing the
    module attribute reaches every caller (resources and our extension import ``schedule_webhook``
    itself by name, which is why that one is left alone).
    """
    global _pending
    _pending += 1

    async def _send() -> None:
        global _pending
        try:
            await _original_send(event)
        finally:
            _pending -= 1

    return _send()


async def _pending_view(request: web.Request) -> web.Response:
    return web.json_response({"pending": _pending})


def install(app: web.Application) -> None:
    """Route every scheduled delivery through the counter and expose the count."""
    webhooks._send_webhook = _counted_send
    app.router.add_get("/_config/webhooks/pending", _pending_view)
