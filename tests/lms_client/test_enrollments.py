"""The LMS client's enrollment operations against the miniature LMS, over real HTTP."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from commerce_plugin.adapters.lms import EnrollmentAttribute
from commerce_plugin.errors import LmsRejected
from tests.conftest import lms_calls

VETO_STEP = {
    "org.openedx.learning.course.enrollment.started.v1": {
        "pipeline": ["tests.lms_client.steps.RefuseEnrollmentStep"],
        "fail_silently": False,
    }
}


def _enrollment_row(username, course_id):
    from sandbox.lms.models import CourseEnrollment

    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()


def test_no_enrollment_reads_as_none(lms_client, course, learner):
    assert lms_client.get_enrollment("ada", course.course_id) is None


def test_enroll_by_username_in_a_paid_mode(lms_client, course, learner):
    enrollment = lms_client.enroll(course.course_id, username="ada", mode="verified")

    assert (enrollment.username, str(enrollment.course_id), enrollment.mode, enrollment.is_active) == (
        "ada", course.course_id, "verified", True)
    assert enrollment.course.mode("verified") is not None
    row = _enrollment_row("ada", course.course_id)
    assert row.mode == "verified" and row.is_active


def test_enroll_by_email(lms_client, course, learner):
    enrollment = lms_client.enroll(course.course_id, email="ada@example.com", mode="audit")
    assert enrollment.username == "ada"
    assert _enrollment_row("ada", course.course_id).is_active


def test_enroll_needs_exactly_one_of_username_or_email(lms_client, course):
    with pytest.raises(ValueError):
        lms_client.enroll(course.course_id)
    with pytest.raises(ValueError):
        lms_client.enroll(course.course_id, username="ada", email="ada@example.com")


def test_enrolling_an_active_learner_returns_the_existing_enrollment(lms_client, course, learner):
    lms_client.enroll(course.course_id, username="ada", mode="audit")
    again = lms_client.enroll(course.course_id, username="ada", mode="audit")
    assert again.is_active and again.mode == "audit"


def test_enroll_sends_enrollment_attributes(lms_client, course, learner):
    enrollment = lms_client.enroll(
        course.course_id, username="ada", mode="audit",
        attributes=[EnrollmentAttribute(namespace="order", name="number", value="C-1")],
    )
    assert enrollment.is_active


def test_unknown_user_is_rejected_with_406(lms_client, course):
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll(course.course_id, username="nobody")
    assert caught.value.status_code == 406
    assert caught.value.detail == "The user nobody does not exist."


def test_unknown_email_is_rejected_with_406(lms_client, course):
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll(course.course_id, email="nobody@example.com")
    assert caught.value.status_code == 406
    assert "does not exist" in caught.value.detail


def test_unknown_course_is_rejected_with_400(lms_client, learner):
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll("course-v1:NoSuch+Course+Run", username="ada")
    assert caught.value.status_code == 400
    assert caught.value.detail == "No course 'course-v1:NoSuch+Course+Run' found for enrollment"


def test_malformed_course_key_fails_before_any_call(lms_client):
    with pytest.raises(LmsRejected):
        lms_client.get_enrollment("ada", "not a course key")
    assert lms_calls("GET", "/api/") == 0


def test_closed_enrollment_window_gives_the_generic_400_unless_forced(lms_client, learner):
    from sandbox.lms.seed import create_course

    closed = create_course("course-v1:TestX+Closed+2026", enrollment_end=timezone.now() - timedelta(days=1))
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll(closed.course_id, username="ada", mode="verified")
    assert caught.value.status_code == 400
    assert caught.value.detail.startswith("An error occurred while creating the new course enrollment")

    forced = lms_client.enroll(closed.course_id, username="ada", mode="verified", force=True)
    assert forced.is_active and forced.mode == "verified"


def test_invite_only_course_admits_an_email_with_an_allowed_record(lms_client, learner):
    from sandbox.lms.seed import create_course

    private = create_course("course-v1:TestX+Private+2026", invitation_only=True)
    with pytest.raises(LmsRejected):
        lms_client.enroll(private.course_id, username="ada")

    lms_client.create_enrollment_allowed("ada@example.com", private.course_id, auto_enroll=False)
    assert lms_client.enroll(private.course_id, username="ada").is_active


def test_full_course_gives_the_generic_400(lms_client, learner):
    from sandbox.lms.seed import create_course, create_user

    full = create_course("course-v1:TestX+Full+2026", max_student_enrollments_allowed=1)
    create_user("grace", "grace@example.com")
    lms_client.enroll(full.course_id, username="grace")
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll(full.course_id, username="ada")
    assert caught.value.status_code == 400


def test_enrollment_filter_veto_is_a_403(lms_client, course, learner):
    with override_settings(OPEN_EDX_FILTERS_CONFIG=VETO_STEP):
        with pytest.raises(LmsRejected) as caught:
            lms_client.enroll(course.course_id, username="ada")
    assert caught.value.status_code == 403
    assert caught.value.detail == "Enrollment refused by a test pipeline step."
    assert _enrollment_row("ada", course.course_id) is None


def test_unavailable_mode_is_rejected(lms_client, course, learner):
    with pytest.raises(LmsRejected) as caught:
        lms_client.enroll(course.course_id, username="ada", mode="professional")
    assert caught.value.status_code == 400
    assert "course mode is expired or otherwise unavailable" in caught.value.detail


def test_deactivate_sends_the_current_mode_and_keeps_the_record(lms_client, course, learner):
    lms_client.enroll(course.course_id, username="ada", mode="verified")

    result = lms_client.deactivate("ada", course.course_id)

    assert result.is_active is False and result.mode == "verified"
    fetched = lms_client.get_enrollment("ada", course.course_id)
    assert fetched is not None and fetched.is_active is False


def test_deactivate_without_an_enrollment_writes_nothing(lms_client, course, learner):
    assert lms_client.deactivate("ada", course.course_id) is None
    assert lms_calls("POST", "/api/enrollment/v1/enrollment") == 0


def test_deactivate_with_a_mode_change_is_refused_by_the_lms(lms_client, course, learner):
    lms_client.enroll(course.course_id, username="ada", mode="verified")
    with pytest.raises(LmsRejected) as caught:
        lms_client.deactivate("ada", course.course_id, mode="audit")
    assert caught.value.status_code == 400
    assert caught.value.detail.startswith("Enrollment mode mismatch")


def test_reenroll_reactivates_an_inactive_enrollment(lms_client, course, learner):
    lms_client.enroll(course.course_id, username="ada", mode="audit")
    lms_client.deactivate("ada", course.course_id)
    again = lms_client.enroll(course.course_id, username="ada", mode="audit")
    assert again.is_active
    assert lms_client.get_enrollment("ada", course.course_id).is_active


def test_course_enrollments_follow_every_page(lms_client, course, settings):
    from sandbox.lms.seed import create_user

    settings.SANDBOX_ENROLLMENTS_PAGE_SIZE = 2
    names = [f"learner{i}" for i in range(5)]
    for name in names:
        create_user(name, f"{name}@example.com")
        lms_client.enroll(course.course_id, username=name, mode="audit")
    lms_client.deactivate("learner3", course.course_id)

    listed = lms_client.list_course_enrollments(course.course_id)

    assert sorted(item.username for item in listed) == names
    assert {item.username: item.is_active for item in listed}["learner3"] is False
    assert lms_calls("GET", "/api/enrollment/v1/enrollments") == 3


def test_course_details_list_the_modes(lms_client, course):
    details = lms_client.get_course_details(course.course_id)
    assert str(details.course_id) == course.course_id
    assert {mode.slug for mode in details.modes} == {"audit", "verified"}
    assert lms_client.get_course_details("course-v1:NoSuch+Course+Run") is None
