"""``POST /commerce/webhooks/stripe/``: Stripe's deliveries.

csrf-exempt because Stripe cannot send a CSRF token: the signature, verified on the raw body
before anything is written, is what authenticates the request. Not atomic, even where the LMS
runs requests in a transaction (``ATOMIC_REQUESTS``):
the event row must survive a failing handler (so staff see it and Stripe's retry finds it), and
each state change inside commits on its own before its side effects are queued.
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
    """Verify, record and apply one Stripe event; 400 when it is not a verified Stripe event."""
    try:
        outcome = api.receive_webhook(request.body, request.headers.get("Stripe-Signature"))
    except api.InvalidWebhook as exc:
        return JsonResponse({"detail": f"Rejected: {exc}."}, status=400)
    except api.PaymentGatewayError as exc:
        # Stripe could not be asked about the object: let Stripe deliver again later.
        return JsonResponse({"detail": "Temporarily unable to process the event.", "error": exc.operation},
                            status=503 if exc.transient else 500)
    return JsonResponse({"received": outcome.event_id, "result": outcome.result})
