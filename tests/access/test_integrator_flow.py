"""The seed's external payment integration, end to end over HTTP against the miniature LMS.

Provision the person, create a workgroup, attach it to the course run with a private rule, add
the person, and the LMS enrolls them; remove them, and the enrollment ends. Every step goes
through the plugin's REST API and the real sync engine.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.access.conftest import RULES_COURSE, iso, lms_enrollment, window


def test_the_whole_integrator_flow(integrator, rules_course, learner):
    # 1. The course id comes from the LMS's own courses API.
    courses = integrator.session.get(f"{integrator.base.split('/api/')[0]}/api/courses/v1/courses/", timeout=10)
    assert courses.status_code == 200
    assert RULES_COURSE in [c["id"] for c in courses.json()["results"]]

    # 2. A workgroup for the course.
    created = integrator.call("POST", "/workgroups/", {"name": "Buyers of Rules", "description": "paid elsewhere"})
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["member_count"] == 0

    # 3. A private rule attaching the workgroup, written over the (empty) list it read.
    rules, etag = integrator.rules()
    assert rules == [] and etag == '"0"'
    starts, ends = window()
    put = integrator.put_rules([{"name": f"PAYMENT_INTEGRATION_COURSE_{rules_course.pk}", "type": "private",
                                 "mode": "verified", "starts_at": starts, "ends_at": ends,
                                 "workgroups": [group["id"]]}], etag)
    assert put.status_code == 200, put.text
    assert put.headers["ETag"] == '"1"'
    [rule] = put.json()
    assert rule["workgroups"] == [group["id"]] and rule["mode"] == "verified"

    # 5.1 Provision: ada has an account (200, nothing sent); a new person gets 201.
    known = integrator.call("POST", "/people/provision/", {"first_name": "Ada", "last_name": "L",
                                                            "email": "ADA@example.com"})
    assert known.status_code == 200, known.text
    assert known.json()["account_exists"] is True
    new = integrator.call("POST", "/people/provision/", {"first_name": "Nia", "last_name": "N",
                                                          "email": "nia@example.com"})
    assert new.status_code == 201 and new.json()["account_exists"] is False
    assert set(known.json()) == set(new.json())  # the same shape in both cases

    # 5.2 Add ada to the workgroup: the LMS enrolls her in verified.
    added = integrator.call("PUT", f"/workgroups/{group['id']}/members/ada@example.com/", {"removal_date": None})
    assert added.status_code == 201, added.text
    assert added.json()["email"] == "ada@example.com"
    assert lms_enrollment("ada@example.com") == (True, "verified")
    again = integrator.call("PUT", f"/workgroups/{group['id']}/members/ada@example.com/", {"removal_date": None})
    assert again.status_code == 200

    # Who has access and why.
    access = integrator.get("/people/ada@example.com/access/").json()
    [course] = access["courses"]
    assert course["course_id"] == RULES_COURSE and course["active"] is True and course["sync_state"] == "in_sync"
    [grant] = course["grants"]
    assert grant["source"]["kind"] == "rule" and grant["source"]["workgroups"] == ["Buyers of Rules"]

    # Remove her: the enrollment ends; removing again is a 404 that says so.
    removed = integrator.call("DELETE", f"/workgroups/{group['id']}/members/ada@example.com/")
    assert removed.status_code == 204
    assert lms_enrollment("ada@example.com") == (False, "verified")
    missing = integrator.call("DELETE", f"/workgroups/{group['id']}/members/ada@example.com/")
    assert missing.status_code == 404 and "not a member" in missing.json()["detail"]


def test_a_removal_date_in_the_past_ends_access_at_once(integrator, rules_course, learner):
    group = integrator.call("POST", "/workgroups/", {"name": "G"}).json()
    starts, ends = window()
    assert integrator.put_rules([{"name": "R", "mode": "verified", "starts_at": starts, "ends_at": ends,
                                  "workgroups": [group["id"]]}]).status_code == 200
    assert integrator.call("PUT", f"/workgroups/{group['id']}/members/ada@example.com/",
                           {"removal_date": None}).status_code == 201
    assert lms_enrollment("ada@example.com") == (True, "verified")
    past = iso(datetime.now(UTC) - timedelta(hours=1))
    updated = integrator.call("PUT", f"/workgroups/{group['id']}/members/ada@example.com/", {"removal_date": past})
    assert updated.status_code == 200, updated.text
    assert updated.json()["active"] is False
    assert lms_enrollment("ada@example.com") == (False, "verified")


def test_a_person_without_an_account_is_enrolled_when_they_register(integrator, rules_course):
    from django.contrib.auth import get_user_model

    from sandbox.lms.registration import register_user

    group = integrator.call("POST", "/workgroups/", {"name": "G"}).json()
    starts, ends = window()
    integrator.put_rules([{"name": "R", "mode": "verified", "starts_at": starts, "ends_at": ends,
                           "workgroups": [group["id"]]}])
    assert integrator.call("POST", "/people/provision/", {"first_name": "Nia", "last_name": "N",
                                                           "email": "nia@example.com"}).status_code == 201
    assert integrator.call("PUT", f"/workgroups/{group['id']}/members/nia@example.com/",
                           {"removal_date": None}).status_code == 201
    access = integrator.get("/people/nia@example.com/access/").json()
    assert access["has_account"] is False and access["courses"][0]["sync_state"] == "waiting_for_account"
    register_user("nia", "nia@example.com", "nia-password-1", activate=True)
    assert get_user_model().objects.filter(email="nia@example.com").exists()
    assert lms_enrollment("nia@example.com") == (True, "verified")
