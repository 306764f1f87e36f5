"""The health endpoint, the staff status page and the LMS check command, against the live LMS."""
from __future__ import annotations

import io

import pytest
import requests
from django.core.management import CommandError, call_command

import commerce_plugin
from tests.conftest import http_login


def test_health_reports_name_and_version_to_anyone(lms):
    response = requests.get(f"{lms.url}/api/commerce_plugin/v1/health/", timeout=5)
    assert response.status_code == 200
    assert response.json() == {"name": "commerce_plugin", "version": commerce_plugin.__version__, "status": "ok"}


def test_health_checks_are_for_staff_only(lms, learner):
    anonymous = requests.get(f"{lms.url}/api/commerce_plugin/v1/health/?check=lms", timeout=5)
    assert anonymous.status_code == 401

    session = http_login(lms.url, "ada", "ada-password")
    assert session.get(f"{lms.url}/api/commerce_plugin/v1/health/?check=lms", timeout=5).status_code == 403


def test_unknown_check_is_a_clear_400(lms):
    response = requests.get(f"{lms.url}/api/commerce_plugin/v1/health/?check=stripe", timeout=5)
    assert response.status_code == 400
    assert "'lms'" in response.json()["detail"]


def test_staff_health_check_makes_a_real_lms_round_trip(lms, settings):
    from sandbox.lms.seed import create_user

    create_user("root", "root@example.com", password="root-password", staff=True)
    session = http_login(lms.url, "root", "root-password")

    ok = session.get(f"{lms.url}/api/commerce_plugin/v1/health/?check=lms", timeout=10)
    assert ok.status_code == 200, ok.text
    assert ok.json()["lms"]["ok"] is True
    assert ok.json()["lms"]["service_username"] == "commerce_service"

    settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET = "rotated-elsewhere"
    from django.core.cache import cache
    cache.clear()
    bad = session.get(f"{lms.url}/api/commerce_plugin/v1/health/?check=lms", timeout=10)
    assert bad.status_code == 503
    assert bad.json()["status"] == "degraded"
    assert "rotated-elsewhere" not in bad.text

    page = session.get(f"{lms.url}/commerce/status/", timeout=10)
    assert page.status_code == 503 and "Not working" in page.text


def test_lms_check_command_lists_a_course_enrollments(lms_client, course, learner):
    lms_client.enroll(course.course_id, username="ada", mode="verified")
    out = io.StringIO()
    call_command("commerce_lms_check", course=course.course_id, stdout=out)
    text = out.getvalue()
    assert "Service user: commerce_service (staff: True)" in text
    assert "1 enrollment(s)" in text and "ada" in text and "verified" in text


def test_lms_check_command_fails_loudly_when_the_lms_refuses(lms, settings):
    settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET = "wrong"
    with pytest.raises(CommandError, match="LMS connection not usable"):
        call_command("commerce_lms_check", stdout=io.StringIO())
