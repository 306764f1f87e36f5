"""Benchmark: Stripe ``checkout.session.completed`` deliveries through the plugin's webhook view.

Run: ``make bench`` (MariaDB must be up: ``make mysql-setup``). Prints, for N distinct signed
deliveries (default 500), events per second, database queries per event and LMS calls per
purchase, next to a baseline measured in the same run (a bare DRF view that verifies the
signature and inserts one row), and the ratio between the two.

What one delivery does here is what it does in production: verify the signature, record the
event, re-fetch the Checkout Session from Stripe (the localstripe stand-in, over HTTP), lock the
order, record the payment, move the order, create the grant, and (Celery eager) sync the LMS
enrollment over HTTP with the miniature LMS, then mark the order fulfilled.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def _recreate_database(db: dict) -> None:
    """A clean benchmark database each run (connecting without one, since it may not exist)."""
    import pymysql

    conn = pymysql.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"], password=db["PASSWORD"])
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{db['NAME']}`")
            cursor.execute(f"CREATE DATABASE `{db['NAME']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        conn.close()


def main() -> int:  # noqa: PLR0915 - a linear script reads best in one piece
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    import stripe
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.baseline import create_table
    from commerce_plugin import api
    from commerce_plugin.models import Order, Product
    from sandbox import server as sandbox_server
    from sandbox.lms.models import ApiCall
    from sandbox.lms.seed import create_course, create_service_application, create_user
    from sandbox.stripe_process import start_localstripe

    _recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    create_table()

    httpd = sandbox_server.bind(0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    lms_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    stand_in = start_localstripe()
    settings.COMMERCE_STRIPE_API_BASE = stand_in.url
    stand_in.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
    try:
        create_service_application(settings.COMMERCE_LMS_OAUTH_CLIENT_ID, settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET)
        course = create_course("course-v1:BenchX+Webhooks+2026", display_name="Benchmark")
        product = Product.objects.create(title="Bench", course_key=course.course_id, mode="verified",
                                         price=4900, currency="usd")
        print(f"Preparing {args.events} paid Checkout Sessions...", flush=True)
        payloads = []
        for i in range(args.events):
            user = create_user(f"bench{i}", f"bench{i}@example.com")
            order = Order.objects.get(number=api.create_order(user, product.uuid, base_url=lms_url).number)
            stand_in.complete_session(order.stripe_session_id)
            payloads.append(json.dumps({
                "id": f"evt_bench_{i}", "object": "event", "type": "checkout.session.completed",
                "created": int(time.time()),
                "data": {"object": {"id": order.stripe_session_id, "object": "checkout.session",
                                    "metadata": {"order_uuid": str(order.uuid)}}}}))
        api.check_lms_connection()  # token fetched before timing, as in a warm process
        ApiCall.objects.all().delete()
        secret = settings.COMMERCE_STRIPE_WEBHOOK_SECRET
        client = Client()

        def run(path: str) -> tuple[float, int]:
            started, queries = time.perf_counter(), 0
            for payload in payloads:
                header = stripe.WebhookSignature.generate_signature_header(payload, secret)
                with CaptureQueriesContext(connection) as captured:
                    response = client.post(path, data=payload, content_type="application/json",
                                           HTTP_STRIPE_SIGNATURE=header)
                assert response.status_code == 200, response.content
                queries += len(captured.captured_queries)
            return time.perf_counter() - started, queries

        base_seconds, base_queries = run("/bench/baseline-webhook/")
        plugin_seconds, plugin_queries = run("/commerce/webhooks/stripe/")
        fulfilled = Order.objects.filter(status="fulfilled").count()
        enroll_calls = ApiCall.objects.filter(method="POST", path="/api/enrollment/v1/enrollment").count()
        lms_calls = ApiCall.objects.count()
    finally:
        stand_in.stop()
        httpd.shutdown()

    n = args.events
    print()
    print(f"Webhook benchmark on {connection.vendor} ({connection.display_name}), {n} distinct deliveries")
    print(f"{'':28}{'events/s':>10}{'ms/event':>10}{'queries/event':>15}")
    print(f"{'baseline (verify + insert)':28}{n / base_seconds:>10.1f}{1000 * base_seconds / n:>10.2f}"
          f"{base_queries / n:>15.2f}")
    print(f"{'plugin webhook (full flow)':28}{n / plugin_seconds:>10.1f}{1000 * plugin_seconds / n:>10.2f}"
          f"{plugin_queries / n:>15.2f}")
    print(f"ratio plugin/baseline: {plugin_seconds / base_seconds:.1f}x the time per event")
    print(f"orders fulfilled: {fulfilled}/{n}")
    print(f"LMS enroll calls per purchase: {enroll_calls / n:.2f} (target 1); all LMS calls per purchase: "
          f"{lms_calls / n:.2f}")
    print("queries/event counts this process's queries (webhook view and the eager sync inside it); the LMS's "
          "own queries are in its server threads and not counted")
    return 0 if fulfilled == n else 1


if __name__ == "__main__":
    sys.exit(main())
