"""Replace-all rules: update, create, delete, unchanged rules untouched, all or nothing, ETag/412."""
from __future__ import annotations

import pytest

from tests.access.conftest import RULES_COURSE, lms_enrollment, window


@pytest.fixture
def groups(integrator):
    return [integrator.call("POST", "/workgroups/", {"name": name}).json()["id"] for name in ("A", "B")]


def _rule(name: str, groups: list[int], **fields) -> dict:
    starts, ends = window()
    return {"name": name, "type": "private", "mode": "verified", "starts_at": starts, "ends_at": ends,
            "workgroups": groups, **fields}


def test_update_create_delete_and_unchanged_rules_stay_untouched(integrator, rules_course, groups):
    from commerce_plugin.models import AccessRule

    first = integrator.put_rules([_rule("KEEP", [groups[0]]), _rule("CHANGE", [groups[0]]), _rule("DROP", [])])
    assert first.status_code == 200, first.text
    by_name = {rule["name"]: rule for rule in first.json()}
    kept_modified = AccessRule.objects.get(pk=by_name["KEEP"]["id"]).modified

    rules, etag = integrator.rules()
    edited = [rule for rule in rules if rule["name"] != "DROP"]
    for rule in edited:
        rule.pop("course_id")
        if rule["name"] == "CHANGE":
            rule["workgroups"] = groups
            rule["name"] = "CHANGED"
    edited.append(_rule("NEW", [groups[1]]))
    second = integrator.put_rules(edited, etag)
    assert second.status_code == 200, second.text
    after = {rule["name"]: rule for rule in second.json()}
    assert set(after) == {"KEEP", "CHANGED", "NEW"}
    assert after["CHANGED"]["id"] == by_name["CHANGE"]["id"] and after["CHANGED"]["workgroups"] == sorted(groups)
    assert not AccessRule.objects.filter(pk=by_name["DROP"]["id"]).exists()
    assert AccessRule.objects.get(pk=by_name["KEEP"]["id"]).modified == kept_modified
    assert second.headers["ETag"] == '"2"'


def test_two_rules_may_swap_names_in_one_list(integrator, rules_course, groups):
    rules = integrator.put_rules([_rule("ONE", []), _rule("TWO", [])]).json()
    for rule in rules:
        rule.pop("course_id")
        rule["name"] = {"ONE": "TWO", "TWO": "ONE"}[rule["name"]]
    swapped = integrator.put_rules(rules)
    assert swapped.status_code == 200, swapped.text
    assert {r["id"]: r["name"] for r in swapped.json()} == {r["id"]: r["name"] for r in rules}


def test_a_stale_etag_gets_412_and_writes_nothing(integrator, rules_course, groups):
    _rules, etag = integrator.rules()
    assert integrator.put_rules([_rule("FIRST", [])], etag).status_code == 200
    stale = integrator.put_rules([_rule("SECOND", [])], etag)
    assert stale.status_code == 412, stale.text
    assert stale.json()["code"] == "rules_changed" and stale.headers["ETag"] == '"1"'
    assert [rule["name"] for rule in integrator.rules()[0]] == ["FIRST"]


@pytest.mark.parametrize(("entries", "field"), [
    (lambda g: [_rule("SAME", []), _rule("SAME", [])], "1.name"),
    (lambda g: [_rule("X", [999999])], "0.workgroups"),
    (lambda g: [_rule("X", [], ends_at="2020-01-01 00:00:00", starts_at="2021-01-01 00:00:00")], "0.ends_at"),
    (lambda g: [_rule("X", [], id=424242)], "0.id"),
    (lambda g: [_rule("X", [], people=["not-an-email"])], "0.people.0"),
])
def test_an_invalid_list_changes_nothing_and_names_the_field(integrator, rules_course, groups, entries, field):
    assert integrator.put_rules([_rule("EXISTING", [groups[0]])]).status_code == 200
    before = integrator.rules()
    response = integrator.put_rules(entries(groups))
    assert response.status_code == 400, response.text
    assert field in response.json()["errors"], response.json()
    assert integrator.rules() == before


def test_unknown_fields_and_bad_shapes_are_refused(integrator, rules_course):
    unknown = integrator.put_rules([{**_rule("X", []), "startDateTime": "2020-05-06 21:00:00"}])
    assert unknown.status_code == 400 and "startDateTime" in unknown.text
    not_a_list = integrator.put_rules({"name": "X"})
    assert not_a_list.status_code == 400
    bad_course = integrator.call("PUT", "/course-runs/not-a-course/rules/", [])
    assert bad_course.status_code == 404
    assert integrator.rules()[0] == []


def test_an_id_of_another_course_runs_rule_is_refused(integrator, rules_course, groups):
    from sandbox.lms.seed import create_course

    create_course("course-v1:TestX+Other+2026")
    other = integrator.put_rules([_rule("THEIRS", [])], course_id="course-v1:TestX+Other+2026").json()
    response = integrator.put_rules([_rule("MINE", [], id=other[0]["id"])])
    assert response.status_code == 400 and "0.id" in response.json()["errors"]


def test_deleting_a_rule_ends_the_access_it_gave(integrator, rules_course, learner, groups):
    integrator.put_rules([_rule("R", [groups[0]])])
    integrator.call("PUT", f"/workgroups/{groups[0]}/members/ada@example.com/", {"removal_date": None})
    assert lms_enrollment("ada@example.com") == (True, "verified")
    assert integrator.put_rules([]).status_code == 200
    assert lms_enrollment("ada@example.com") == (False, "verified")


def test_learners_may_not_touch_rules(as_user, learner, rules_course):
    response = as_user(learner).get(f"/course-runs/{RULES_COURSE}/rules/")
    assert response.status_code == 403
    anonymous = as_user(None).get(f"/course-runs/{RULES_COURSE}/rules/")
    assert anonymous.status_code == 401
