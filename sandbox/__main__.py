"""``python -m sandbox``: run the miniature LMS with the plugin installed in it.

- ``python -m sandbox demo [--port 8000]``: migrate a SQLite database under ``var/``, seed demo
  data, serve on 127.0.0.1, print URLs and logins, and show a live LMS round trip made by the
  plugin's client (token + enrollment list).
- ``python -m sandbox serve [--port 0] [--migrate] [--seed]``: the same server for scripts and
  tests; prints ``SANDBOX_URL=http://127.0.0.1:<port>`` once it accepts connections.
"""
from __future__ import annotations

import argparse
import io
import os
import signal
import sys


def _setup(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


def _start_stripe(base_url: str):
    """Start the Stripe stand-in and point the plugin and its webhook at each other.

    Returns the running stand-in, or None (with a warning) when its interpreter is missing.
    """
    from django.conf import settings

    from sandbox.stripe_process import localstripe_python, start_localstripe

    if not os.path.exists(localstripe_python()):
        print("WARNING: no localstripe interpreter (run `make demo`, which creates .venv-localstripe): "
              "payments are off.", flush=True)
        return None
    stand_in = start_localstripe()
    settings.COMMERCE_STRIPE_API_BASE = stand_in.url
    stand_in.register_webhook(f"{base_url}/commerce/webhooks/stripe/", settings.COMMERCE_STRIPE_WEBHOOK_SECRET)
    return stand_in


def _prepare(migrate: bool, seed: bool) -> dict:
    from django.conf import settings
    from django.core.management import call_command

    made: dict = {}
    if migrate:
        db_name = str(settings.DATABASES["default"]["NAME"])
        if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and db_name != ":memory:":
            os.makedirs(os.path.dirname(db_name), exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    if seed:
        from sandbox.lms.seed import seed_demo
        from sandbox.shop_seed import seed_access, seed_products

        made = seed_demo()
        made["products"] = [(product.title, str(product.uuid), product.price) for product in seed_products()]
        made["access"] = seed_access()
    return made


def _forget_previous_demo() -> None:
    """Start every demo from an empty database: the Stripe stand-in keeps nothing between runs, so
    orders of an earlier run could never be refunded, and withdrawn products would come back."""
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.path.exists(name):
        os.remove(name)


def _round_trip(course_id: str) -> None:
    """Show the plugin talking to the LMS: the same command an operator runs after installing."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("commerce_lms_check", course=course_id, stdout=out)
        print("\nPlugin -> LMS round trip (manage.py commerce_lms_check):\n" + out.getvalue(), flush=True)
    except Exception as exc:  # noqa: BLE001 - the demo reports any failure and keeps serving
        print(f"\nPlugin -> LMS round trip FAILED: {exc}", flush=True)


def curl_session(url: str, access: dict) -> str:
    """The seed's five integrator steps as a copy-paste shell session against the running demo."""
    from sandbox.shop_seed import DEMO_INTEGRATOR_CLIENT_ID, DEMO_INTEGRATOR_CLIENT_SECRET, DEMO_RULE

    api_root = f"{url}/api/commerce_plugin/v1"
    course = access["course_id"]
    group = access["workgroup_id"]
    return f"""Integrator walk-through (docs/how-to/integrate-an-external-payment-system.rst):

  LMS={url}; API={api_root}; COURSE='{course}'
  # 0. a JWT for the integrator's client-credentials application
  TOKEN=$(curl -s -X POST "$LMS/oauth2/access_token" -d grant_type=client_credentials -d token_type=jwt \\
          -d client_id={DEMO_INTEGRATOR_CLIENT_ID} -d client_secret={DEMO_INTEGRATOR_CLIENT_SECRET} \\
          | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  AUTH="Authorization: JWT $TOKEN"; JSON='Content-Type: application/json'
  # 1. course ids from the LMS's own courses API
  curl -s "$LMS/api/courses/v1/courses/"
  # 2. workgroups (the demo made one: id {group}); create another with POST
  curl -s "$API/workgroups/" -H "$AUTH"
  curl -s -X POST "$API/workgroups/" -H "$AUTH" -H "$JSON" -d '{{"name": "My cohort"}}'
  # 3. the course's rules and their ETag ({DEMO_RULE}); PUT the whole list back with If-Match
  curl -si "$API/course-runs/$COURSE/rules/" -H "$AUTH"
  # 5.1 provision a person (200: the LMS account exists; 201: new, invited to sign up)
  curl -s -X POST "$API/people/provision/" -H "$AUTH" -H "$JSON" \\
       -d '{{"first_name": "Lee", "last_name": "Learner", "email": "learner@example.com"}}'
  # 5.2 add them to the workgroup: the LMS enrolls them in verified (see /dashboard as learner / learner)
  curl -s -X PUT "$API/workgroups/{group}/members/learner@example.com/" -H "$AUTH" -H "$JSON" \\
       -d '{{"removal_date": null}}'
  curl -s "$API/people/learner@example.com/access/" -H "$AUTH"
  # remove them: the enrollment ends
  curl -s -X DELETE "$API/workgroups/{group}/members/learner@example.com/" -H "$AUTH"
  curl -s "$API/people/learner@example.com/access/" -H "$AUTH"
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="migrate, seed and serve the demo")
    demo.add_argument("--port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8000")))
    serve = sub.add_parser("serve", help="serve for scripts and tests (prints SANDBOX_URL=... when ready)")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--migrate", action="store_true")
    serve.add_argument("--seed", action="store_true")
    serve.add_argument("--settings", default="sandbox.settings.demo")
    serve.add_argument("--stripe", action="store_true", help="also start the Stripe stand-in and wire its webhook")
    args = parser.parse_args(argv)
    # SIGTERM (systemd, docker stop, kill) must unwind like Ctrl+C does, so the ``finally`` blocks
    # below stop the Stripe stand-in instead of leaving it on its port.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))

    _setup("sandbox.settings.demo" if args.command == "demo" else args.settings)
    from sandbox import server as sandbox_server

    if args.command == "serve":
        _prepare(args.migrate, args.seed)
        httpd = sandbox_server.bind(args.port)
        stand_in = _start_stripe(f"http://127.0.0.1:{httpd.server_address[1]}") if args.stripe else None
        try:
            sandbox_server.serve(httpd)
        finally:
            if stand_in is not None:
                stand_in.stop()
        return 0

    _forget_previous_demo()
    made = _prepare(migrate=True, seed=True)
    httpd = sandbox_server.bind(args.port)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    stand_in = _start_stripe(url)
    courses = made.get("courses", [])
    shop_lines = "\n".join(f"  Buy: {title:<52} {url}/commerce/checkout/{uuid}/"
                            for title, uuid, _price in made.get("products", []))
    print(f"""
Commerce plugin sandbox: a miniature Open edX LMS with the plugin installed through its entry point.

  Home (learner pages)   {url}/
  Django admin           {url}/admin/            login staff / staff
  Learner login          {url}/login             login learner / learner
  Plugin health          {url}/api/commerce_plugin/v1/health/
  Plugin status (staff)  {url}/commerce/status/
  Enrollment API         {url}/api/enrollment/v1/course/{courses[0] if courses else '<course id>'}
  Products API           {url}/api/commerce_plugin/v1/products/
  My orders              {url}/commerce/orders/
  Stripe stand-in        {stand_in.url if stand_in else 'not running'}
                         (card 4242 4242 4242 4242 pays; 4000 0000 0000 0341 is declined)

{shop_lines}

{curl_session(url, made["access"]) if made.get("access") else ""}
Try it: log in as learner / learner, open a "Buy" link, pay with 4242..., watch the receipt turn to
"enrolled"; then log in to the admin as staff / staff and open the order to see its history.

Press Ctrl+C to stop. Each `make demo` starts from a fresh database (the Stripe stand-in keeps nothing).
""", flush=True)
    try:
        sandbox_server.serve(httpd, on_ready=lambda _url: _round_trip(courses[0]) if courses else None)
    finally:
        if stand_in is not None:
            stand_in.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
