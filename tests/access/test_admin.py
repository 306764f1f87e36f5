"""The access admin: changes go through the API (validated, audited), members by paste, person page."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.access.conftest import RULES_COURSE, lms_enrollment


@pytest.fixture
def admin_client_logged_in(client, transactional_db):
    from sandbox.lms.seed import create_user

    create_user("root", "root@example.com", password="root-password", superuser=True)
    client.login(username="root", password="root-password")
    return client


def test_members_pasted_in_the_admin_are_enrolled_through_the_rule(lms, admin_client_logged_in, rules_course,
                                                                   learner):
    from opaque_keys.edx.keys import CourseKey

    from commerce_plugin import api
    from commerce_plugin.models import AccessChange, WorkgroupMember

    group = api.create_workgroup(name="Admins' group", actor="test")
    now = datetime.now(UTC)
    api.replace_rules(CourseKey.from_string(RULES_COURSE), [{
        "name": "R", "type": "private", "mode": "verified", "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=9), "workgroups": [group.id], "people": []}], if_match=None, actor="test")
    url = reverse("admin:commerce_plugin_workgroup_add_members", args=[group.id])
    bad = admin_client_logged_in.post(url, {"rows": "ada@example.com,not-a-date"})
    assert bad.status_code == 200 and b"not a date" in bad.content
    assert WorkgroupMember.objects.count() == 0
    response = admin_client_logged_in.post(url, {"rows": "email,removal_date\nada@example.com,\nnew@example.com,"
                                                         "2030-01-01 00:00:00"})
    assert response.status_code == 302
    assert WorkgroupMember.objects.count() == 2
    assert lms_enrollment("ada@example.com") == (True, "verified")
    assert AccessChange.objects.filter(actor="admin:root", action="members_bulk").exists()

    person = admin_client_logged_in.get(reverse("admin:commerce_plugin_accessperson_access",
                                                args=["ada@example.com"]))
    assert person.status_code == 200
    assert b"Admins&#x27; group" in person.content or b"Admins' group" in person.content
    members = admin_client_logged_in.get(reverse("admin:commerce_plugin_workgroupmember_changelist"))
    assert members.status_code == 200 and b"ada@example.com" in members.content


def test_a_rule_saved_in_the_admin_is_validated_like_the_api(lms, admin_client_logged_in, rules_course):
    from commerce_plugin.models import AccessRule

    url = reverse("admin:commerce_plugin_accessrule_add")
    response = admin_client_logged_in.post(url, {
        "course_key": RULES_COURSE, "name": "ADMIN_RULE", "type": "private", "mode": "audit",
        "starts_at_0": "2026-01-01", "starts_at_1": "00:00:00", "ends_at_0": "2030-01-01", "ends_at_1": "00:00:00"})
    assert response.status_code == 302, response.content[:2000]
    rule = AccessRule.objects.get(name="ADMIN_RULE")
    from commerce_plugin.models import AccessChange

    assert AccessChange.objects.filter(actor="admin:root", subject=f"rule:{rule.pk}").exists()
    deleted = admin_client_logged_in.post(reverse("admin:commerce_plugin_accessrule_delete", args=[rule.pk]),
                                          {"post": "yes"})
    assert deleted.status_code == 302 and not AccessRule.objects.exists()


def test_the_grant_list_links_each_email_to_the_person_page(lms, admin_client_logged_in, rules_course):
    from commerce_plugin.data import GrantSource
    from commerce_plugin.grants.ledger import add_grant

    add_grant(email="ada@example.com", course_key=rules_course.course_id, mode="audit", source=GrantSource.STAFF,
              source_ref="test:link")
    page = admin_client_logged_in.get(reverse("admin:commerce_plugin_grant_changelist"))
    assert reverse("admin:commerce_plugin_accessperson_access", args=["ada@example.com"]).encode() in page.content


def test_an_invalid_rule_in_the_admin_is_a_form_error_and_writes_nothing(lms, admin_client_logged_in, rules_course):
    from commerce_plugin.models import AccessChange, AccessRule

    form = {"course_key": RULES_COURSE, "name": "DUP", "type": "private", "mode": "audit",
            "starts_at_0": "2026-01-01", "starts_at_1": "00:00:00", "ends_at_0": "2030-01-01", "ends_at_1": "00:00:00"}
    url = reverse("admin:commerce_plugin_accessrule_add")
    assert admin_client_logged_in.post(url, form).status_code == 302
    backwards = admin_client_logged_in.post(url, {**form, "name": "BACK", "ends_at_0": "2025-01-01"})
    assert backwards.status_code == 200 and b"end after it starts" in backwards.content
    assert list(AccessRule.objects.values_list("name", flat=True)) == ["DUP"]
    assert not AccessChange.objects.filter(actor="admin:validation").exists()
