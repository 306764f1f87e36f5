"""The miniature LMS over real HTTP, as the plugin's client sees it (``live_server`` + ``requests``)."""
from __future__ import annotations

import pytest
import requests

from sandbox.lms.faults import arm_fault
from sandbox.lms.models import CourseEnrollment
from sandbox.lms.seed import create_course, create_service_application, create_user

COURSE = "course-v1:SandboxT+Live101+2026"


@pytest.fixture
def live(live_server, transactional_db):
    create_service_application("live-client", "live-secret", username="live_service", email="svc@example.com")
    create_course(COURSE, display_name="Live")
    create_user("lena", "lena@example.com")
    return live_server.url


def _token(base: str) -> str:
    response = requests.post(
        f"{base}/oauth2/access_token",
        data={"grant_type": "client_credentials", "client_id": "live-client", "client_secret": "live-secret",
              "token_type": "jwt"},
        timeout=5,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def test_token_then_enroll_then_read_over_http(live):
    headers = {"Authorization": f"JWT {_token(live)}"}

    missing = requests.get(f"{live}/api/enrollment/v1/enrollment/lena,{COURSE}", headers=headers, timeout=5)
    assert (missing.status_code, missing.content) == (200, b"")

    created = requests.post(
        f"{live}/api/enrollment/v1/enrollment",
        json={"user": "lena", "mode": "verified", "course_details": {"course_id": COURSE}},
        headers=headers, timeout=5,
    )
    assert (created.status_code, created.json()["mode"]) == (200, "verified")

    read = requests.get(f"{live}/api/enrollment/v1/enrollment/lena,{COURSE}", headers=headers, timeout=5)
    assert read.json()["user"] == "lena"


def test_events_are_sent_after_the_row_is_visible(live, event_log):
    seen = []

    def on_created(**kwargs):
        seen.append(CourseEnrollment.objects.filter(user__username="lena", is_active=True).exists())

    from openedx_events.learning.signals import COURSE_ENROLLMENT_CREATED

    COURSE_ENROLLMENT_CREATED.connect(on_created, weak=False, dispatch_uid="tests.sandbox.live.created")
    try:
        requests.post(
            f"{live}/api/enrollment/v1/enrollment",
            json={"user": "lena", "course_details": {"course_id": COURSE}},
            headers={"Authorization": f"JWT {_token(live)}"}, timeout=5,
        ).raise_for_status()
    finally:
        COURSE_ENROLLMENT_CREATED.disconnect(dispatch_uid="tests.sandbox.live.created")
    assert event_log.names == ["changed", "created"]
    assert seen == [True]


def test_faults_and_call_log_over_http(live):
    requests.delete(f"{live}/sandbox/calls", timeout=5)
    assert requests.post(f"{live}/sandbox/faults", json={"kind": "503", "count": 1}, timeout=5).status_code == 201
    url = f"{live}/api/enrollment/v1/course/{COURSE}"
    assert [requests.get(url, timeout=5).status_code for _ in range(2)] == [503, 200]
    calls = requests.get(f"{live}/sandbox/calls", params={"path_prefix": "/api/"}, timeout=5).json()
    assert [call["status"] for call in calls["calls"]] == [503, 200]


def test_stall_trips_a_client_timeout(live):
    arm_fault("stall", 1, stall_seconds=1.0)
    with pytest.raises(requests.Timeout):
        requests.get(f"{live}/api/enrollment/v1/course/{COURSE}", timeout=0.3)


def test_next_links_work_when_followed(live, settings):
    settings.SANDBOX_ENROLLMENTS_PAGE_SIZE = 1
    course = create_course("course-v1:SandboxT+Live102+2026")
    for name in ("p1", "p2", "p3"):
        CourseEnrollment.objects.create(user=create_user(name, f"{name}@example.com"), course=course)
    headers = {"Authorization": f"JWT {_token(live)}"}

    url, params, users = f"{live}/api/enrollment/v1/enrollments", {"course_id": course.course_id}, []
    while url:
        page = requests.get(url, params=params, headers=headers, timeout=5).json()
        params = None  # the next link carries every parameter, cursor included
        users += [item["user"] for item in page["results"]]
        url = page["next"]
    assert users == ["p1", "p2", "p3"]
