"""The baseline: the least a webhook endpoint can do (verify the signature, insert one row).

A bare DRF view with no authentication, used only by the benchmark to put the plugin's webhook
figures in proportion, measured in the same process, database and run.
"""
from __future__ import annotations

import stripe
from django.conf import settings
from django.db import connection
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

TABLE = "bench_baseline_event"


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cursor.execute(f"CREATE TABLE {TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                       "event_id VARCHAR(255) NOT NULL UNIQUE, payload LONGTEXT NOT NULL)")


class BaselineWebhookView(APIView):
    """Verify a Stripe signature on the raw body and insert the event id and payload."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def post(self, request):
        event = stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"],
                                               settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} (event_id, payload) VALUES (%s, %s)",  # noqa: S608
                           [event["id"], request.body.decode()])
        return Response({"received": event["id"]})
