"""The seed helpers and ``sandbox_seed`` build the demo data once, whatever the number of runs."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from opaque_keys import InvalidKeyError

from sandbox.lms.models import CourseMode, CourseOverview, OAuthApplication
from sandbox.lms.seed import create_course, create_service_application, seed_demo


def test_seed_demo_is_idempotent_and_complete(db, settings):
    first = seed_demo()
    second = seed_demo()

    assert first == second
    users = get_user_model().objects
    assert users.get(username="staff").is_superuser and users.get(username="staff").check_password("staff")
    assert users.get(username="learner").check_password("learner")
    assert CourseOverview.objects.count() == 2
    stripe = CourseOverview.objects.get(course_id="course-v1:SandboxX+Stripe201+2026_T2")
    assert {(m.mode_slug, m.min_price) for m in stripe.modes.all()} == {
        ("audit", 0), ("verified", 9900), ("professional", 19900)}
    commerce = CourseOverview.objects.get(course_id="course-v1:SandboxX+Commerce101+2026")
    assert commerce.display_name == "Selling courses with Open edX"
    assert CourseMode.objects.get(course=commerce, mode_slug="verified").min_price == 4900
    application = OAuthApplication.objects.get()
    assert application.client_id == settings.COMMERCE_LMS_OAUTH_CLIENT_ID
    assert application.user.is_staff and not application.user.has_usable_password()


def test_sandbox_seed_command_prints_what_it_made(db, capsys):
    call_command("sandbox_seed")
    printed = json.loads(capsys.readouterr().out)
    assert "course-v1:SandboxX+Commerce101+2026" in printed["courses"]


def test_create_course_validates_the_key(db):
    with pytest.raises(InvalidKeyError):
        create_course("Commerce101")


def test_service_application_update_keeps_one_row(db):
    create_service_application("id-1", "old")
    application = create_service_application("id-1", "new")
    assert OAuthApplication.objects.count() == 1
    assert application.client_secret == "new"
