"""Workgroups and members over HTTP: pagination with Link, filters, bulk, bad input writes nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.access.conftest import iso


@pytest.fixture
def group(integrator):
    return integrator.call("POST", "/workgroups/", {"name": "Cohort"}).json()


def test_workgroup_crud(integrator):
    created = integrator.call("POST", "/workgroups/", {"name": "Cohort", "description": "d"})
    assert created.status_code == 201
    group_id = created.json()["id"]
    duplicate = integrator.call("POST", "/workgroups/", {"name": "Cohort"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()["errors"]
    patched = integrator.call("PATCH", f"/workgroups/{group_id}/", {"description": "new"})
    assert patched.status_code == 200 and patched.json()["description"] == "new"
    assert integrator.get(f"/workgroups/{group_id}/").json()["name"] == "Cohort"
    assert integrator.call("DELETE", f"/workgroups/{group_id}/").status_code == 204
    gone = integrator.get(f"/workgroups/{group_id}/")
    assert gone.status_code == 404 and "workgroup" in gone.json()["detail"]
    assert integrator.get("/workgroups/not-a-number/").status_code == 404


def test_lists_are_paginated_with_a_link_header(integrator):
    for index in range(3):
        integrator.call("POST", "/workgroups/", {"name": f"G{index}"})
    first = integrator.get("/workgroups/", page_size=2)
    body = first.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    second = integrator.get("/workgroups/", page_size=2, page=2)
    assert 'rel="prev"' in second.headers["Link"]
    assert integrator.get("/workgroups/", name="g1").json()["count"] == 1


def test_members_are_listed_filtered_by_email_and_state(integrator, group):
    past = iso(datetime.now(UTC) - timedelta(days=1))
    integrator.call("PUT", f"/workgroups/{group['id']}/members/a@example.com/", {"removal_date": None})
    integrator.call("PUT", f"/workgroups/{group['id']}/members/b@example.com/", {"removal_date": past})
    listed = integrator.get(f"/workgroups/{group['id']}/members/").json()
    assert [m["email"] for m in listed["results"]] == ["a@example.com", "b@example.com"]
    assert [m["email"] for m in integrator.get(f"/workgroups/{group['id']}/members/", active="true")
            .json()["results"]] == ["a@example.com"]
    assert [m["email"] for m in integrator.get(f"/workgroups/{group['id']}/members/", active="false")
            .json()["results"]] == ["b@example.com"]
    assert integrator.get(f"/workgroups/{group['id']}/members/", email="B@").json()["count"] == 1
    assert integrator.get("/workgroups/999999/members/").status_code == 404


def test_bulk_members_is_all_or_nothing(integrator, group):
    from commerce_plugin.models import WorkgroupMember

    rows = [{"email": f"p{i}@example.com", "removal_date": None} for i in range(5)]
    bad = rows + [{"email": "not an email"}]
    refused = integrator.call("POST", f"/workgroups/{group['id']}/members/bulk/", {"members": bad})
    assert refused.status_code == 400 and "members.5.email" in refused.json()["errors"]
    assert WorkgroupMember.objects.count() == 0
    twice = integrator.call("POST", f"/workgroups/{group['id']}/members/bulk/", {"members": rows + rows[:1]})
    assert twice.status_code == 400 and "members.5.email" in twice.json()["errors"]
    applied = integrator.call("POST", f"/workgroups/{group['id']}/members/bulk/", {"members": rows})
    assert applied.status_code == 200 and applied.json() == {"created": 5, "updated": 0, "unchanged": 0}
    again = integrator.call("POST", f"/workgroups/{group['id']}/members/bulk/", {"members": rows})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 5}
    too_many = integrator.call("POST", f"/workgroups/{group['id']}/members/bulk/",
                               {"members": [{"email": f"x{i}@example.com"} for i in range(1001)]})
    assert too_many.status_code == 400


@pytest.mark.parametrize(("path", "method", "body", "field"), [
    ("/workgroups/", "POST", {}, "name"),
    ("/workgroups/", "POST", {"name": "x" * 256}, "name"),
    ("/workgroups/", "POST", {"name": "ok", "colour": "red"}, "colour"),
    ("/workgroups/{id}/members/a@example.com/", "PUT", {}, "removal_date"),
    ("/workgroups/{id}/members/a@example.com/", "PUT", {"removalDate": None}, "removalDate"),
    ("/workgroups/{id}/members/a@example.com/", "PUT", {"removal_date": "tomorrow"}, "removal_date"),
    ("/workgroups/{id}/members/not-an-email/", "PUT", {"removal_date": None}, "email"),
    ("/people/provision/", "POST", {"first_name": "A", "last_name": "B"}, "email"),
    ("/people/provision/", "POST", {"first_name": "A", "last_name": "B", "email": "nope"}, "email"),
    ("/people/provision/", "POST", {"first_name": "A", "last_name": "B", "email": "a@example.com", "gender": "X"},
     "gender"),
])
def test_bad_input_names_the_field_and_writes_nothing(integrator, group, path, method, body, field):
    from commerce_plugin.models import AccessChange, AccessPerson, WorkgroupMember

    before = (AccessChange.objects.count(), AccessPerson.objects.count(), WorkgroupMember.objects.count())
    response = integrator.call(method, path.format(id=group["id"]), body)
    assert response.status_code == 400, response.text
    payload = response.json()
    assert field in payload.get("errors", payload), payload
    assert (AccessChange.objects.count(), AccessPerson.objects.count(), WorkgroupMember.objects.count()) == before


def test_learners_may_not_manage_workgroups(as_user, learner):
    assert as_user(learner).get("/workgroups/").status_code == 403
    assert as_user(None).get("/workgroups/").status_code == 401


def test_provisioning_sends_one_invitation(integrator, mailoutbox):
    body = {"first_name": "Nia", "last_name": "N", "email": "nia@example.com"}
    assert integrator.call("POST", "/people/provision/", body).status_code == 201
    assert integrator.call("POST", "/people/provision/", body).status_code == 200
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nia@example.com"] and "/register" in mailoutbox[0].body


def test_retirement_forgets_a_member_and_their_names(integrator, group):
    from commerce_plugin import api
    from commerce_plugin.models import AccessPerson
    from commerce_plugin.retirement import retired_email

    integrator.call("POST", "/people/provision/", {"first_name": "Nia", "last_name": "N", "email": "nia@example.com"})
    integrator.call("PUT", f"/workgroups/{group['id']}/members/nia@example.com/", {"removal_date": None})
    assert api.retire_user(777, "nia@example.com")["people"] == 1
    person = AccessPerson.objects.get()
    assert (person.email, person.first_name, person.last_name) == (retired_email(777), "", "")
    members = integrator.get(f"/workgroups/{group['id']}/members/").json()["results"]
    assert [m["email"] for m in members] == [retired_email(777)]
