"""Time windows (the periodic job ends and starts access on time) and overlapping sources.

Windows here are seconds long and the job runs on the real clock, as in production: the sync it
queues runs at once (eager Celery), so nothing depends on faking time inside the LMS.

A rule membership is one grant among others: a refund never removes access a workgroup still
gives, and a workgroup removal never removes access an order still gives.
"""
from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from django.db import transaction
from opaque_keys.edx.keys import CourseKey

from commerce_plugin import api
from commerce_plugin.data import GrantSource
from commerce_plugin.grants.ledger import add_grant, revoke_grants
from tests.access.conftest import iso, lms_enrollment, window

ORDER_REF = str(uuid.uuid4())  # an order grant's source_ref is the order's uuid


def _group_with_rule(integrator, *, starts_at: str, ends_at: str, name: str = "G", mode: str = "verified") -> int:
    group = integrator.call("POST", "/workgroups/", {"name": name}).json()["id"]
    rules, etag = integrator.rules()
    for rule in rules:
        rule.pop("course_id")
    rules.append({"name": f"R-{name}", "mode": mode, "starts_at": starts_at, "ends_at": ends_at,
                  "workgroups": [group]})
    response = integrator.put_rules(rules, etag)
    assert response.status_code == 200, response.text
    return group


def _add(integrator, group: int, email: str = "ada@example.com", removal_date: str | None = None) -> None:
    response = integrator.call("PUT", f"/workgroups/{group}/members/{email}/", {"removal_date": removal_date})
    assert response.status_code in (200, 201), response.text


def _iso_precise(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _last_job_run(moment: datetime) -> None:
    from commerce_plugin.access.windows import JOB_NAME
    from commerce_plugin.models import JobRun

    JobRun.objects.update_or_create(name=JOB_NAME, defaults={"last_run_at": moment})


def test_before_the_rule_starts_there_is_no_access_and_a_late_job_still_opens_it(integrator, rules_course, learner):
    now = datetime.now(UTC)
    group = _group_with_rule(integrator, starts_at=_iso_precise(now + timedelta(seconds=2)),
                             ends_at=iso(now + timedelta(days=9)))
    _add(integrator, group)
    assert lms_enrollment("ada@example.com") is None
    _last_job_run(now - timedelta(hours=6))  # the previous run was hours ago: this one is late
    assert api.apply_time_windows()["pairs"] == 0  # not started yet
    time.sleep(2.5)
    assert api.apply_time_windows()["pairs"] == 1
    assert lms_enrollment("ada@example.com") == (True, "verified")


def test_after_the_rule_ends_the_job_ends_the_enrollment(integrator, rules_course, learner):
    now = datetime.now(UTC)
    group = _group_with_rule(integrator, starts_at=iso(now - timedelta(days=1)),
                             ends_at=_iso_precise(now + timedelta(seconds=2)))
    _add(integrator, group)
    assert lms_enrollment("ada@example.com") == (True, "verified")
    _last_job_run(now)
    time.sleep(2.5)
    assert api.apply_time_windows()["pairs"] == 1
    assert lms_enrollment("ada@example.com") == (False, "verified")
    # The overlap re-checks the boundary once more, at no LMS cost; past it, quiet runs touch nothing.
    later = datetime.now(UTC) + timedelta(minutes=10)
    assert api.apply_time_windows(now=later)["pairs"] == 1
    assert api.apply_time_windows(now=later + timedelta(minutes=10))["pairs"] == 0


def test_a_removal_date_passing_ends_access(integrator, rules_course, learner):
    now = datetime.now(UTC)
    group = _group_with_rule(integrator, starts_at=iso(now - timedelta(days=1)), ends_at=iso(now + timedelta(days=30)))
    _add(integrator, group, removal_date=_iso_precise(now + timedelta(seconds=2)))
    assert lms_enrollment("ada@example.com") == (True, "verified")
    _last_job_run(now)
    time.sleep(2.5)
    api.apply_time_windows()
    assert lms_enrollment("ada@example.com") == (False, "verified")


def test_the_same_person_in_two_workgroups_of_one_rule_holds_one_grant(integrator, rules_course, learner):
    from commerce_plugin.models import Grant

    starts, ends = window()
    groups = [integrator.call("POST", "/workgroups/", {"name": n}).json()["id"] for n in ("A", "B")]
    integrator.put_rules([{"name": "R", "mode": "verified", "starts_at": starts, "ends_at": ends,
                           "workgroups": groups}])
    for group in groups:
        _add(integrator, group)
    assert Grant.objects.filter(email="ada@example.com", source="rule").count() == 1
    assert integrator.call("DELETE", f"/workgroups/{groups[0]}/members/ada@example.com/").status_code == 204
    assert lms_enrollment("ada@example.com") == (True, "verified")  # B still names her
    assert integrator.call("DELETE", f"/workgroups/{groups[1]}/").status_code == 204
    assert lms_enrollment("ada@example.com") == (False, "verified")


def _order_grant(course_id: str) -> int:
    _grant, sync, _ = add_grant(email="ada@example.com", course_key=CourseKey.from_string(course_id),
                                mode="verified", source=GrantSource.ORDER, source_ref=ORDER_REF)
    api.sync_enrollment(sync.pk)
    return sync.pk


def test_a_refund_never_removes_access_a_workgroup_still_gives(integrator, rules_course, learner):
    starts, ends = window()
    group = _group_with_rule(integrator, starts_at=starts, ends_at=ends, mode="audit")
    _order_grant(rules_course.course_id)
    _add(integrator, group)
    assert lms_enrollment("ada@example.com") == (True, "verified")  # the higher mode wins
    with transaction.atomic():  # as the refund flow revokes: under the grants' row locks
        records = revoke_grants(source=GrantSource.ORDER, source_ref=ORDER_REF, reason="order refunded")
    for record in records:
        api.sync_enrollment(record.pk)
    assert lms_enrollment("ada@example.com") == (True, "audit")  # the workgroup still gives audit


def test_a_workgroup_removal_never_removes_access_an_order_still_gives(integrator, rules_course, learner):
    starts, ends = window()
    group = _group_with_rule(integrator, starts_at=starts, ends_at=ends)
    _add(integrator, group)
    _order_grant(rules_course.course_id)
    assert integrator.call("DELETE", f"/workgroups/{group}/members/ada@example.com/").status_code == 204
    assert lms_enrollment("ada@example.com") == (True, "verified")
