"""``POST /commerce/webhooks/stripe/``: Stripe's deliveries.

csrf-exempt because Stripe cannot send a CSRF token: the signature, verified on the raw body
before anything is written, is what authenticates the request. Not atomic, even where the LMS
runs requests in a transaction (``ATOMIC_REQUESTS``): the event row commits at once (one INSERT),
and its processing task is queued right after.
"""
from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from commerce_plugin import api


@transaction.non_atomic_requests
@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Verify and store one Stripe event, queue its processing, answer 200; 400 when not verified.

    Processing never changes the answer: once the event is stored it is ours to apply (a task,
    then the periodic sweep, then staff), so Stripe has nothing to retry (ADR 0020).
    """
    try:
        outcome = api.receive_webhook(request.body, request.headers.get("Stripe-Signature"))
    except api.InvalidWebhook as exc:
        return JsonResponse({"detail": f"Rejected: {exc}.", "code": "invalid_webhook"}, status=400)
    return JsonResponse({"received": outcome.event_id, "result": outcome.result})
