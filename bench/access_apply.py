"""Benchmark: a workgroup of N people (default 10,000) attached to a course run by a new rule.

Run: ``make bench-access`` (MariaDB; ``--people`` to size it). Prints, next to the goals:

- time, SQL statements and peak Python memory to apply the rule (one replace-all PUT's work);
- LMS calls for the fan-out that follows (the paged enrollment read, then the sweep), with half
  of the people already enrolled in the rule's mode: the goal is one call per person who needs a
  change, and none for the others;
- LMS calls and statements for a second, identical apply (goal: 0 calls).

Statements are counted with a ``connection.execute_wrapper`` (Django's debug log stops at 9,000).
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.measure import StatementCounter  # noqa: E402 - after the path is set

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("COMMERCE_BENCH_DB", "commerce_bench_access")

COURSE = "course-v1:BenchX+Access+2026"


class RolledBack(Exception):
    """Raised to roll the memory run back."""


def main() -> int:  # noqa: PLR0915 - a linear script reads best in one piece
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from opaque_keys.edx.keys import CourseKey

    from bench.webhook_throughput import _recreate_database
    from commerce_plugin import api
    from commerce_plugin.models import EnrollmentSync
    from sandbox import server as sandbox_server
    from sandbox.lms.models import ApiCall, CourseEnrollment
    from sandbox.lms.seed import create_course, create_service_application

    if settings.DATABASES["default"]["ENGINE"].endswith("mysql"):
        _recreate_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    httpd = sandbox_server.bind(0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    settings.COMMERCE_LMS_BASE_URL = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.COMMERCE_LMS_RATE_LIMIT_PER_MINUTE = 0  # the sandbox's throttle is off here: measure our calls
    create_service_application(settings.COMMERCE_LMS_OAUTH_CLIENT_ID, settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET)
    course = create_course(COURSE, display_name="Access benchmark")
    course_key = CourseKey.from_string(COURSE)

    print(f"Preparing {args.people} people (half already enrolled in verified)...", flush=True)
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"p{i}", email=f"p{i}@example.com") for i in range(args.people)], batch_size=1000)
    users = list(get_user_model().objects.filter(username__startswith="p").order_by("pk"))
    CourseEnrollment.objects.bulk_create(
        [CourseEnrollment(user=user, course=course, mode="verified", is_active=True) for user in users[::2]],
        batch_size=1000)
    group = api.create_workgroup(name="Bench cohort", actor="bench")
    emails = [user.email for user in users]
    for start in range(0, len(emails), 1000):
        api.bulk_put_members(group.id, [{"email": e, "removal_date": None} for e in emails[start:start + 1000]],
                             actor="bench")
    api.check_lms_connection()  # token fetched before measuring, as in a warm process
    now = timezone.now()
    rule = [{"name": "BENCH_RULE", "type": "private", "mode": "verified", "starts_at": now - timedelta(days=1),
             "ends_at": now + timedelta(days=365), "workgroups": [group.id], "people": []}]

    settings.COMMERCE_ACCESS_INLINE_SYNC_LIMIT = 0  # the large-fan-out path, whatever --people is
    # Peak memory first, in a run that is rolled back (tracemalloc triples the time, so the timed
    # run below is not traced; a rollback also drops the after-commit work).
    tracemalloc.start()
    try:
        with transaction.atomic():
            api.replace_rules(course_key, rule, if_match=None, actor="bench")
            _current, peak = tracemalloc.get_traced_memory()
            raise RolledBack
    except RolledBack:
        pass
    tracemalloc.stop()
    ApiCall.objects.all().delete()
    counter = StatementCounter()
    # The apply is measured up to its commit; the commit runs the fan-out task (Celery eager here):
    # one paged read of the course's LMS enrollments. Then the sweep makes the remaining calls.
    with transaction.atomic():
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            api.replace_rules(course_key, rule, if_match=None, actor="bench")
        apply_seconds = time.perf_counter() - started
        started = time.perf_counter()
    grants = EnrollmentSync.objects.filter(course_key=course_key).count()
    seeded = EnrollmentSync.objects.filter(course_key=course_key, lms_active__isnull=False).count()
    read_calls = ApiCall.objects.count()
    while True:
        counts = api.process_due_syncs()
        if not sum(counts.values()):
            break
    fanout_seconds = time.perf_counter() - started
    fanout_calls = ApiCall.objects.count()
    enrolled = CourseEnrollment.objects.filter(course=course, is_active=True, mode="verified").count()

    ApiCall.objects.all().delete()
    again = StatementCounter()
    current = api.rules_of(course_key)
    entries = [{"id": r.id, "name": r.name, "type": r.type.value, "mode": r.mode, "starts_at": r.starts_at,
                "ends_at": r.ends_at, "workgroups": list(r.workgroups), "people": list(r.people)}
               for r in current.rules]
    with connection.execute_wrapper(again):
        api.replace_rules(course_key, entries, if_match=current.version, actor="bench")
    while sum(api.process_due_syncs().values()):
        pass
    second_calls = ApiCall.objects.count()

    enrolled_before = len(users[::2])
    need = args.people - enrolled_before
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    changes = fanout_calls - read_calls
    print(f"""
Access rule fan-out: {args.people} members, {enrolled_before} already enrolled in verified ({engine})

  apply the rule          {apply_seconds:8.2f} s  {counter.count:6d} SQL statements  peak {peak / 2**20:6.1f} MiB
                          {grants} sync records (goal: statements grow with batches of 500, not people)
  fan-out                 {fanout_seconds:8.2f} s  LMS calls {fanout_calls} = {read_calls} paged reads + {changes}
                          goal: {need} changes (one per person not enrolled), 0 for the {enrolled_before}
                          records given their LMS state by the read: {seeded}; enrolled now: {enrolled} of {args.people}
  second identical apply  {again.count:6d} SQL statements  LMS calls {second_calls} (goal: 0 calls)
""", flush=True)
    httpd.shutdown()
    return 0 if enrolled == args.people and second_calls == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
