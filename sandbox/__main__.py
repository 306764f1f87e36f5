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
import sys


def _setup(settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()


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

        made = seed_demo()
    return made


def _round_trip(course_id: str) -> None:
    """Show the plugin talking to the LMS: the same command an operator runs after installing."""
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("commerce_lms_check", course=course_id, stdout=out)
        print("\nPlugin -> LMS round trip (manage.py commerce_lms_check):\n" + out.getvalue(), flush=True)
    except Exception as exc:  # noqa: BLE001 - the demo reports any failure and keeps serving
        print(f"\nPlugin -> LMS round trip FAILED: {exc}", flush=True)


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
    args = parser.parse_args(argv)

    _setup("sandbox.settings.demo" if args.command == "demo" else args.settings)
    from sandbox import server as sandbox_server

    if args.command == "serve":
        _prepare(args.migrate, args.seed)
        sandbox_server.serve(sandbox_server.bind(args.port))
        return 0

    made = _prepare(migrate=True, seed=True)
    httpd = sandbox_server.bind(args.port)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    courses = made.get("courses", [])
    print(f"""
Commerce plugin sandbox: a miniature Open edX LMS with the plugin installed through its entry point.

  Home (learner pages)   {url}/
  Django admin           {url}/admin/            login staff / staff
  Learner login          {url}/login             login learner / learner
  Plugin health          {url}/api/commerce/v1/health/
  Plugin status (staff)  {url}/commerce/status/
  Enrollment API         {url}/api/enrollment/v1/course/{courses[0] if courses else '<course id>'}

Press Ctrl+C to stop.
""", flush=True)
    sandbox_server.serve(httpd, on_ready=lambda _url: _round_trip(courses[0]) if courses else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
