"""The enrollment gate, through the miniature LMS's enrollment API as the learner calls it.

The LMS runs ``CourseEnrollmentStarted`` (with the plugin's step, added by ``plugin_settings``)
at the top of every enrollment; a refusal is the LMS's 403 ``{"message": ...}``.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from commerce_plugin.settings.common import ENROLLMENT_STARTED, GATE_STEP, add_enrollment_gate
from tests.access.conftest import RULES_COURSE, iso, lms_enrollment, window


def self_enroll(lms_url: str, user, course_id: str = RULES_COURSE, mode: str | None = None) -> requests.Response:
    from sandbox.lms.oauth import create_jwt

    body = {"course_details": {"course_id": course_id}}
    if mode:
        body["mode"] = mode
    return requests.post(f"{lms_url}/api/enrollment/v1/enrollment", json=body, timeout=15,
                         headers={"Authorization": f"JWT {create_jwt(user)}"})


@pytest.fixture
def sold(rules_course):
    from commerce_plugin.models import Product

    return Product.objects.create(title="Rules (verified)", course_key=rules_course.course_id, mode="verified",
                                  price=4900, currency="usd")


def test_the_plugin_settings_install_the_step_once_and_keep_the_operators_steps():
    class Settings:
        OPEN_EDX_FILTERS_CONFIG = {ENROLLMENT_STARTED: {"pipeline": ["operator.Step"], "fail_silently": True},
                                   "other.filter": {"pipeline": ["x"]}}

    add_enrollment_gate(Settings)
    add_enrollment_gate(Settings)
    entry = Settings.OPEN_EDX_FILTERS_CONFIG[ENROLLMENT_STARTED]
    assert entry["pipeline"] == ["operator.Step", GATE_STEP]
    assert Settings.OPEN_EDX_FILTERS_CONFIG["other.filter"] == {"pipeline": ["x"]}

    class Fresh:
        pass

    add_enrollment_gate(Fresh)
    assert Fresh.OPEN_EDX_FILTERS_CONFIG[ENROLLMENT_STARTED] == {"pipeline": [GATE_STEP], "fail_silently": False}


def test_the_sandbox_runs_the_step_as_installed(settings):
    assert GATE_STEP in settings.OPEN_EDX_FILTERS_CONFIG[ENROLLMENT_STARTED]["pipeline"]


def test_an_unprotected_course_is_untouched(lms, rules_course, learner):
    assert self_enroll(lms.url, learner).status_code == 200
    assert lms_enrollment("ada@example.com") == (True, "audit")


def test_a_sold_course_refuses_with_the_link_to_buy(lms, sold, learner):
    response = self_enroll(lms.url, learner)
    assert response.status_code == 403, response.text
    assert f"/commerce/checkout/{sold.uuid}/" in response.json()["message"]
    assert lms_enrollment("ada@example.com") is None


def test_a_private_rule_protects_the_course(integrator, rules_course, learner, lms):
    starts, ends = window()
    integrator.put_rules([{"name": "R", "starts_at": starts, "ends_at": ends}])
    response = self_enroll(lms.url, learner)
    assert response.status_code == 403 and "access rules" in response.json()["message"]


def test_a_grant_holder_passes(lms, sold, learner):
    from commerce_plugin.data import GrantSource
    from commerce_plugin.grants.ledger import add_grant

    add_grant(email="ada@example.com", course_key=sold.course_key, mode="verified", source=GrantSource.STAFF,
              source_ref="test:ada")
    assert lms_enrollment("ada@example.com") is None  # no sync ran: the grant alone does not enroll
    response = self_enroll(lms.url, learner)
    assert response.status_code == 200, response.text


def test_staff_pass(lms, sold):
    from sandbox.lms.seed import create_user

    staff = create_user("root", "root@example.com", staff=True)
    assert self_enroll(lms.url, staff).status_code == 200


def test_the_plugin_service_user_enrolls_a_learner_into_a_sold_course(lms, sold, learner, lms_client):
    enrollment = lms_client.enroll(sold.course_key, username="ada", mode="verified", force=True)
    assert enrollment.is_active and enrollment.mode == "verified"


def test_a_public_rule_lets_anyone_in_while_open_and_its_grant_ends_with_it(integrator, lms, sold, learner):
    from commerce_plugin.models import Grant

    now = datetime.now(UTC)
    closed = integrator.put_rules([{"name": "OPEN_DAY", "type": "public", "mode": "audit",
                                    "starts_at": iso(now + timedelta(days=1)),
                                    "ends_at": iso(now + timedelta(days=2))}])
    assert closed.status_code == 200
    assert self_enroll(lms.url, learner).status_code == 403  # not open yet

    rules, etag = integrator.rules()
    rules[0]["starts_at"] = iso(now - timedelta(hours=1))
    rules[0].pop("course_id")
    rules[0]["ends_at"] = iso(now + timedelta(days=2))
    assert integrator.put_rules(rules, etag).status_code == 200
    assert self_enroll(lms.url, learner).status_code == 200
    grant = Grant.objects.get(email="ada@example.com", source="rule")
    assert grant.ends_at == datetime.strptime(rules[0]["ends_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert ":self:" in grant.source_ref


def test_the_gate_can_be_turned_off(lms, sold, learner, settings):
    settings.COMMERCE_ENROLLMENT_GATE = False
    assert self_enroll(lms.url, learner).status_code == 200


def test_the_system_check_warns_when_the_gate_is_not_in_the_pipeline_or_fails_silently(settings):
    from commerce_plugin.checks import check_enrollment_gate

    assert check_enrollment_gate() == []
    settings.OPEN_EDX_FILTERS_CONFIG = {ENROLLMENT_STARTED: {"pipeline": ["operator.Step"], "fail_silently": False}}
    assert [w.id for w in check_enrollment_gate()] == ["commerce_plugin.W005"]
    settings.OPEN_EDX_FILTERS_CONFIG = {ENROLLMENT_STARTED: {"pipeline": [GATE_STEP], "fail_silently": True}}
    assert [w.id for w in check_enrollment_gate()] == ["commerce_plugin.W006"]
    settings.COMMERCE_ENROLLMENT_GATE = False
    assert check_enrollment_gate() == []
