"""Benchmark: the Stripe webhook, as Stripe sees it and as the learner sees it (issue 10, ADR 0020).

Run: ``make bench`` (MariaDB; ``--events``, ``--rounds``, ``--deliveries`` to size it). Prints the
goals next to the figures and writes them to ``bench/RESULTS.md``.

1. **Intake** (the headline: what Stripe waits on), Celery *not* eager (the task goes to Redis and
   is not run), against a bare DRF view that verifies the signature and inserts one row. Both run
   in this process through Django's test client and the sandbox's middleware, interleaved in
   chunks, repeated; per chunk the wall time and this thread's CPU time per event; reported as
   median (min..max) over chunks. Statements per delivery counted by a connection wrapper, for
   new events and for duplicates.
2. **Processing** of those stored events (the task's work: re-fetch the session from the Stripe
   stand-in, lock, pay, grant, and the LMS sync, eager), statements and time per event.
3. **Payment -> enrolled latency** with a real Celery worker (separate process, Redis broker).
4. **Concurrency**: 16 client threads post deliveries (10% duplicates) to the sandbox's threaded
   WSGI server over HTTP, everything eager in the server's threads; then exactly-once is checked:
   one payment, one grant and one LMS enroll call per order, one event row per event id.

The stand-ins' own costs are kept out of the plugin's figures where they can be: the MariaDB
connection does not build a TLS context (``ssl_disabled``), and the LMS's queries run in its server
threads (not counted by this thread's wrapper).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# The Makefile exports DJANGO_SETTINGS_MODULE for the tests: the benchmark needs its own settings.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("COMMERCE_BENCH_DB", "commerce_bench")
os.environ.setdefault("SANDBOX_CELERY_BROKER", "redis://127.0.0.1:6379/9")

from bench.measure import StatementCounter, spread  # noqa: E402 - after the path is set

GOALS = {
    "intake_ratio": 2.0,        # intake time per event at most 2x the bare view's
    "intake_statements": 4,     # per new delivery
    "duplicate_statements": 2,  # per duplicate delivery
    "processing_statements": 12,  # processing + sync of one purchase
}


def _recreate_database(db: dict) -> None:
    """A clean benchmark database each run (connecting without one, since it may not exist)."""
    import pymysql

    conn = pymysql.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"], password=db["PASSWORD"],
                           ssl_disabled=True)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{db['NAME']}`")
            cursor.execute(f"CREATE DATABASE `{db['NAME']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        conn.close()


def _event(event_id: str, session_id: str, order_uuid: str) -> str:
    return json.dumps({"id": event_id, "object": "event", "type": "checkout.session.completed",
                       "created": int(time.time()),
                       "data": {"object": {"id": session_id, "object": "checkout.session",
                                           "metadata": {"order_uuid": order_uuid}}}})


class Bench:
    """The running stack (LMS stand-in with the plugin, Stripe stand-in) and the measurements."""

    def __init__(self, args: argparse.Namespace) -> None:
        import django

        django.setup()
        from django.conf import settings

        from sandbox import server as sandbox_server
        from sandbox.stripe_process import start_localstripe

        self.args = args
        self.settings = settings
        self.secret = settings.COMMERCE_STRIPE_WEBHOOK_SECRET
        self.lines: list[str] = []
        self.correct = True  # everything fulfilled, exactly once
        self.goals_met = True  # the statement and timing goals
        _recreate_database(settings.DATABASES["default"])
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from bench.baseline import create_table

        create_table()
        self.httpd = sandbox_server.bind(0)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.lms_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.stripe = start_localstripe()
        settings.COMMERCE_STRIPE_API_BASE = self.stripe.url
        self.stripe.register_webhook("http://127.0.0.1:9/", "muted", events=["nothing.matches"])
        from sandbox.celery import app

        self.celery = app
        import redis

        self.redis = redis.Redis.from_url(app.conf.broker_url)
        self.redis.flushdb()

    def close(self) -> None:
        self.stripe.stop()
        self.httpd.shutdown()
        self.redis.flushdb()

    def say(self, line: str = "") -> None:
        print(line, flush=True)
        self.lines.append(line)

    def paid_orders(self, count: int, prefix: str) -> list[tuple[str, str, str]]:
        """``count`` orders whose Checkout Session is paid: (order number, session id, order uuid)."""
        from commerce_plugin import api
        from commerce_plugin.models import Order
        from sandbox.lms.seed import create_user

        made = []
        for i in range(count):
            user = create_user(f"{prefix}{i}", f"{prefix}{i}@example.com")
            order = Order.objects.get(number=api.create_order(user, self.product_uuid, base_url=self.lms_url).number)
            self.stripe.complete_session(order.stripe_session_id)
            made.append((order.number, order.stripe_session_id, str(order.uuid)))
        return made

    def setup_catalog(self) -> None:
        from commerce_plugin import api
        from commerce_plugin.models import Product
        from sandbox.lms.seed import create_course, create_service_application

        create_service_application(self.settings.COMMERCE_LMS_OAUTH_CLIENT_ID,
                                   self.settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET)
        course = create_course("course-v1:BenchX+Webhooks+2026", display_name="Benchmark")
        self.product_uuid = Product.objects.create(title="Bench", course_key=course.course_id, mode="verified",
                                                   price=4900, currency="usd").uuid
        api.check_lms_connection()  # the service token is fetched before timing, as in a warm process

    # ------------------------------------------------------------------ 1. intake
    def intake(self) -> list[tuple[str, str, str]]:
        import stripe
        from django.db import connection
        from django.test import Client

        rounds, chunk = self.args.rounds, self.args.chunk
        orders = self.paid_orders(rounds * chunk, "intake")
        client = Client()
        self.celery.conf.task_always_eager = False  # the intake's task goes to Redis; nobody runs it
        sides = {"baseline": "/bench/baseline-webhook/", "plugin": "/commerce/webhooks/stripe/"}
        wall: dict[str, list[float]] = {side: [] for side in sides}
        cpu: dict[str, list[float]] = {side: [] for side in sides}
        statements: dict[str, list[int]] = {side: [] for side in sides}
        duplicates: list[int] = []

        def post(path: str, payload: str) -> int:
            header = stripe.WebhookSignature.generate_signature_header(payload, self.secret)
            counter = StatementCounter()
            with connection.execute_wrapper(counter):
                response = client.post(path, data=payload, content_type="application/json",
                                       HTTP_STRIPE_SIGNATURE=header)
            assert response.status_code == 200, response.content
            return counter.count

        for warm in range(5):  # warm both paths (imports, connection, template caches)
            for side, path in sides.items():
                post(path, _event(f"evt_warm_{side}_{warm}", orders[0][1], orders[0][2]))
        for round_no in range(rounds):
            batch = orders[round_no * chunk:(round_no + 1) * chunk]
            order = list(sides) if round_no % 2 == 0 else list(reversed(sides))
            for side in order:
                payloads = [_event(f"evt_{side}_{n}", session, uuid) for n, session, uuid in batch]
                started_wall, started_cpu = time.perf_counter(), time.thread_time()
                counts = [post(sides[side], payload) for payload in payloads]
                wall[side].append(1000 * (time.perf_counter() - started_wall) / len(payloads))
                cpu[side].append(1000 * (time.thread_time() - started_cpu) / len(payloads))
                statements[side].extend(counts)
            duplicates.extend(post(sides["plugin"], _event(f"evt_plugin_{n}", s, u)) for n, s, u in batch[:5])
        self.celery.conf.task_always_eager = True
        queued = self.redis.llen("celery")

        ratios = [p / b for p, b in zip(wall["plugin"], wall["baseline"], strict=True)]
        cpu_ratios = [p / b for p, b in zip(cpu["plugin"], cpu["baseline"], strict=True)]
        n = rounds * chunk
        self.say(f"## 1. Intake (what Stripe waits on): {rounds} interleaved rounds of {chunk} distinct deliveries "
                 "per side, Celery not eager")
        self.say("")
        self.say("| side | ms/event wall | ms/event thread CPU | statements/delivery (max) |")
        self.say("| --- | --- | --- | --- |")
        for side in sides:
            self.say(f"| {side} | {spread(wall[side])} | {spread(cpu[side])} | "
                     f"{sum(statements[side]) / n:.2f} ({max(statements[side])}) |")
        self.say(f"| plugin, duplicate delivery | | | {sum(duplicates) / len(duplicates):.2f} ({max(duplicates)}) |")
        self.say("")
        ratio_ok = sorted(ratios)[len(ratios) // 2] <= GOALS["intake_ratio"]
        stmt_ok = max(statements["plugin"]) <= GOALS["intake_statements"]
        dup_ok = max(duplicates) <= GOALS["duplicate_statements"]
        self.goals_met &= stmt_ok and dup_ok and ratio_ok
        self.say(f"- plugin/baseline, wall: {spread(ratios)}x per chunk (goal <= {GOALS['intake_ratio']}x: "
                 f"{'met' if ratio_ok else 'NOT met'}); thread CPU: {spread(cpu_ratios)}x")
        self.say(f"- statements per new delivery: max {max(statements['plugin'])} (goal <= "
                 f"{GOALS['intake_statements']}: {'met' if stmt_ok else 'NOT met'}); per duplicate: max "
                 f"{max(duplicates)} (goal <= {GOALS['duplicate_statements']}: {'met' if dup_ok else 'NOT met'})")
        self.say(f"- tasks waiting in Redis afterwards: {queued} (one per new delivery and per duplicate of an "
                 "event not yet processed: nothing ran inline)")
        self.say("")
        return orders

    # ------------------------------------------------------------------ 2. processing
    def processing(self, orders: list[tuple[str, str, str]]) -> None:
        from django.db import connection

        from commerce_plugin import api
        from commerce_plugin.models import Order, StripeEvent
        from sandbox.lms.models import ApiCall

        ApiCall.objects.all().delete()
        pks = list(StripeEvent.objects.filter(stripe_event_id__startswith="evt_plugin_", processed_at__isnull=True)
                   .order_by("id").values_list("pk", flat=True))
        per_event_ms, per_event_statements = [], []
        for pk in pks:
            counter = StatementCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                assert api.process_stripe_event(pk) == "processed"
            per_event_ms.append(1000 * (time.perf_counter() - started))
            per_event_statements.append(counter.count)
        numbers = [number for number, _s, _u in orders]
        fulfilled = Order.objects.filter(number__in=numbers, status="fulfilled").count()
        enrolls = ApiCall.objects.filter(method="POST", path="/api/enrollment/v1/enrollment").count()
        goal = GOALS["processing_statements"]
        met = max(per_event_statements) <= goal
        self.goals_met &= met
        self.correct &= fulfilled == len(orders) and enrolls == len(orders)
        self.say(f"## 2. Processing of {len(pks)} stored events (the task: Stripe re-fetch, lock, payment, grant, "
                 "LMS sync; eager)")
        self.say("")
        self.say(f"- ms/event: {spread(per_event_ms)} (includes the HTTP calls to both stand-ins)")
        self.say(f"- statements/event: median {sorted(per_event_statements)[len(pks) // 2]}, max "
                 f"{max(per_event_statements)} (goal <= {goal}: {'met' if met else 'NOT met'})")
        self.say(f"- orders fulfilled: {fulfilled}/{len(orders)}; LMS enroll calls per purchase: "
                 f"{enrolls / len(orders):.2f} (goal 1)")
        self.say("")

    # ------------------------------------------------------------------ 3. worker latency
    def worker_latency(self) -> None:
        import requests
        import stripe

        from commerce_plugin.models import Order

        orders = self.paid_orders(self.args.latency_events, "latency")
        env = {**os.environ, "SANDBOX_CELERY_EAGER": "0", "SANDBOX_LMS_BASE_URL": self.lms_url,
               "SANDBOX_STRIPE_API_BASE": self.stripe.url}
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sandbox", "worker", "--pool=solo", "--loglevel=WARNING",
             "--without-heartbeat", "--without-gossip", "--without-mingle"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.celery.conf.task_always_eager = False
        latencies: list[float] = []
        try:
            time.sleep(3)  # the worker connects to Redis
            for i, (number, session, uuid) in enumerate(orders):
                payload = _event(f"evt_latency_{i}", session, uuid)
                header = stripe.WebhookSignature.generate_signature_header(payload, self.secret)
                started = time.perf_counter()
                response = requests.post(f"{self.lms_url}/commerce/webhooks/stripe/", data=payload, timeout=30,
                                         headers={"Content-Type": "application/json", "Stripe-Signature": header})
                assert response.status_code == 200, response.text
                while Order.objects.filter(number=number, status="fulfilled").count() == 0:
                    if time.perf_counter() - started > 30:
                        raise RuntimeError(f"order {number} not fulfilled by the worker within 30 s")
                    time.sleep(0.002)
                latencies.append(1000 * (time.perf_counter() - started))
        finally:
            self.celery.conf.task_always_eager = True
            worker.terminate()
            worker.wait(15)
        self.say(f"## 3. Payment -> enrolled with a real Celery worker ({len(orders)} purchases, one at a time)")
        self.say("")
        self.say(f"- ms from the webhook's POST to the order fulfilled (the LMS enrollment made): {spread(latencies)}")
        self.say("")

    # ------------------------------------------------------------------ 4. concurrency
    def concurrency(self) -> None:
        import requests
        import stripe

        from commerce_plugin.models import Grant, Order, Payment, StripeEvent
        from sandbox.lms.models import ApiCall

        total = self.args.deliveries
        distinct = total - total // 10
        orders = self.paid_orders(distinct, "storm")
        payloads = [_event(f"evt_storm_{i}", session, uuid) for i, (_n, session, uuid) in enumerate(orders)]
        rng = random.Random(7)  # noqa: S311 - a repeatable shuffle, not a secret
        deliveries = payloads + [rng.choice(payloads) for _ in range(total - distinct)]
        rng.shuffle(deliveries)
        ApiCall.objects.all().delete()
        session_local = threading.local()

        def deliver(payload: str) -> int:
            http = getattr(session_local, "http", None) or requests.Session()
            session_local.http = http
            header = stripe.WebhookSignature.generate_signature_header(payload, self.secret)
            return http.post(f"{self.lms_url}/commerce/webhooks/stripe/", data=payload, timeout=60,
                             headers={"Content-Type": "application/json", "Stripe-Signature": header}).status_code

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = list(pool.map(deliver, deliveries))
        seconds = time.perf_counter() - started
        numbers = [number for number, _s, _u in orders]
        paid = Payment.objects.filter(order__number__in=numbers).count()
        grants = Grant.objects.filter(source="order", source_ref__in=[u for _n, _s, u in orders]).count()
        events = StripeEvent.objects.filter(stripe_event_id__startswith="evt_storm_")
        enrolls = ApiCall.objects.filter(method="POST", path="/api/enrollment/v1/enrollment").count()
        fulfilled = Order.objects.filter(number__in=numbers, status="fulfilled").count()
        exact = (statuses.count(200) == total and paid == distinct and grants == distinct
                 and events.count() == distinct and events.filter(processed_at__isnull=False).count() == distinct
                 and enrolls == distinct and fulfilled == distinct)
        self.correct &= exact
        self.say(f"## 4. Concurrency: {total} deliveries ({total - distinct} duplicates) from 16 threads over HTTP "
                 "to the threaded WSGI server, processing eager")
        self.say("")
        self.say(f"- {total / seconds:.1f} deliveries/s; answers 200: {statuses.count(200)}/{total}")
        self.say(f"- exactly once: payments {paid}, grants {grants}, event rows {events.count()}, LMS enroll calls "
                 f"{enrolls}, orders fulfilled {fulfilled}, for {distinct} orders: {'yes' if exact else 'NO'}")
        self.say("")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds of the intake comparison")
    parser.add_argument("--chunk", type=int, default=50, help="deliveries per side and round")
    parser.add_argument("--latency-events", type=int, default=20)
    parser.add_argument("--deliveries", type=int, default=1000, help="deliveries of the concurrency run")
    parser.add_argument("--results", default=str(REPO / "bench" / "RESULTS.md"),
                        help="where to write the figures ('' for nowhere)")
    parser.add_argument("--smoke", action="store_true",
                        help="CI's bounded run: tiny sizes, no results file, exit status from the correctness "
                             "checks only (all fulfilled, exactly once), not from the goals")
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.chunk, args.latency_events, args.deliveries, args.results = 2, 10, 2, 60, ""
    bench = Bench(args)
    try:
        from django.db import connection

        bench.say(f"# Webhook benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
        bench.say("")
        bench.say(f"{connection.vendor} {connection.mysql_server_info if connection.vendor == 'mysql' else ''}, "
                  f"Python {platform.python_version()}, {os.cpu_count()} CPUs; `make bench` "
                  f"(--rounds {args.rounds} --chunk {args.chunk} --deliveries {args.deliveries})")
        bench.say("")
        bench.setup_catalog()
        orders = bench.intake()
        bench.processing(orders)
        bench.worker_latency()
        bench.concurrency()
    finally:
        bench.close()
    bench.say(f"Every purchase applied exactly once: {'yes' if bench.correct else 'NO'}; every goal met: "
              f"{'yes' if bench.goals_met else 'NO'}")
    if args.results:
        Path(args.results).write_text("\n".join(bench.lines) + "\n")
        print(f"(written to {args.results})")
    return 0 if bench.correct and (bench.goals_met or args.smoke) else 1


if __name__ == "__main__":
    sys.exit(main())
