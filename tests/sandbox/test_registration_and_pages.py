"""Registration auto-enrolls from allowed rows and announces itself; the learner pages work."""
from __future__ import annotations

from sandbox.lms.models import CourseEnrollment, CourseEnrollmentAllowed
from sandbox.lms.registration import register_user
from sandbox.lms.seed import create_course, create_user
from tests.sandbox.conftest import COURSE_KEY


def test_registration_auto_enrolls_and_sends_events(db, event_log, django_capture_on_commit_callbacks):
    create_course(COURSE_KEY, invitation_only=True)
    create_course("course-v1:SandboxT+NotAuto+2026")
    CourseEnrollmentAllowed.objects.create(email="dana@example.com", course_id=COURSE_KEY, auto_enroll=True)
    CourseEnrollmentAllowed.objects.create(email="dana@example.com", course_id="course-v1:SandboxT+NotAuto+2026")

    with django_capture_on_commit_callbacks(execute=True):
        user = register_user("dana", "dana@example.com", "pw")

    assert user.is_active and user.check_password("pw")
    enrollments = CourseEnrollment.objects.filter(user=user)
    assert [(e.course.course_id, e.mode, e.is_active) for e in enrollments] == [(COURSE_KEY, "audit", True)]
    assert CourseEnrollmentAllowed.objects.get(course_id=COURSE_KEY).user == user
    assert CourseEnrollmentAllowed.objects.get(course_id="course-v1:SandboxT+NotAuto+2026").user is None
    assert event_log.names == ["changed", "created", "registered"]
    registered = event_log.sent[-1][1]
    assert (registered.id, registered.is_active, registered.pii.username, registered.pii.email) == (
        user.pk, True, "dana", "dana@example.com")


def test_register_page_creates_logs_in_and_redirects_to_dashboard(client, db, event_log,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register", {"username": "erin", "email": "erin@example.com", "name": "Erin Q",
                                             "password": "erin-pw"})
    assert (response.status_code, response["Location"]) == (302, "/dashboard")
    assert event_log.names == ["registered"]
    assert event_log.sent[0][1].pii.name == "Erin Q"
    assert client.get("/dashboard").status_code == 200


def test_register_page_rejects_a_taken_username(client, bob):
    response = client.post("/register", {"username": "bob", "email": "other@example.com", "password": "pw12"})
    assert response.status_code == 200
    assert b"taken" in response.content


def test_dashboard_lists_active_enrollments_and_needs_login(client, bob, course_run):
    assert client.get("/dashboard")["Location"].startswith("/login")
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="verified")
    client.force_login(bob)
    page = client.get("/dashboard").content.decode()
    assert "Enrollment testing" in page and "verified" in page


def test_login_and_logout(client, bob):
    response = client.post("/login", {"username": "bob", "password": "bob-password"})
    assert (response.status_code, response["Location"]) == (302, "/dashboard")
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_home_lists_courses_with_links(client, course_run):
    page = client.get("/").content.decode()
    assert "Enrollment testing" in page and "verified (49.00 USD)" in page
    for link in ('href="/login"', 'href="/register"', 'href="/dashboard"', 'href="/admin/"'):
        assert link in page


def test_session_authenticated_learner_can_use_the_api(client, bob, course_run):
    client.force_login(bob)
    response = client.get("/api/enrollment/v1/enrollment")
    assert (response.status_code, response.json()) == (200, [])


def test_admin_lists_every_sandbox_model(client, db):
    admin = create_user("root", "root@example.com", password="root", superuser=True)
    client.force_login(admin)
    for model in ("courseoverview", "coursemode", "courseenrollment", "courseenrollmentallowed",
                  "oauthapplication", "issuedtoken", "apicall", "fault"):
        assert client.get(f"/admin/sandbox_lms/{model}/").status_code == 200, model


def test_registration_waits_for_activation_as_the_lms_does(db, settings, event_log,
                                                           django_capture_on_commit_callbacks):
    from sandbox.lms.registration import activate_user

    settings.SANDBOX_REGISTRATION_ACTIVATION = True
    course = create_course("course-v1:SandboxT+Activate+2026", display_name="Activation")
    CourseEnrollmentAllowed.objects.create(email="erin@example.com", course_id=course.course_id, auto_enroll=True)

    with django_capture_on_commit_callbacks(execute=True):
        user = register_user("erin", "erin@example.com", "pw")

    assert user.is_active is False
    registered = [data for name, data in event_log.sent if name == "registered"]
    assert registered and registered[0].is_active is False  # sent while inactive, as register.py does
    assert not CourseEnrollment.objects.filter(user=user).exists()  # not before activation

    assert activate_user(user) == [course.course_id]
    assert CourseEnrollment.objects.get(user=user).is_active
    assert activate_user(user) == []  # already enrolled: skipped


def test_the_register_page_shows_the_activation_link_and_the_link_activates(client, db, settings):
    import re

    from django.contrib.auth import get_user_model

    settings.SANDBOX_REGISTRATION_ACTIVATION = True
    page = client.post("/register", {"username": "finn", "email": "finn@example.com", "password": "finn-pw"})
    assert page.status_code == 200 and b"Check your email" in page.content
    link = re.search(rb'id="activation-link" href="([^"]+)"', page.content).group(1).decode()
    assert get_user_model().objects.get(username="finn").is_active is False

    assert client.get(link.replace("/activate/", "/activate/x")).status_code == 400  # a forged link
    response = client.get(link)

    assert (response.status_code, response["Location"]) == (302, "/dashboard")
    assert get_user_model().objects.get(username="finn").is_active is True
    assert client.get("/dashboard").status_code == 200
