"""Enrollment events go out in the LMS's order, inside its transaction; the CourseEnrollmentStarted filter runs."""
from __future__ import annotations

from django.test import override_settings

from sandbox.lms.models import CourseEnrollment
from sandbox.lms.seed import create_course
from tests.sandbox.conftest import COURSE_KEY
from tests.sandbox.steps import ForceHonorStep

FILTER = "org.openedx.learning.course.enrollment.started.v1"
REFUSE_ALL = {FILTER: {"pipeline": ["tests.sandbox.steps.RefuseAllStep"], "fail_silently": False}}
FORCE_HONOR = {FILTER: {"pipeline": ["tests.sandbox.steps.ForceHonorStep"], "fail_silently": False}}


def _details():
    return {"course_id": COURSE_KEY}


def test_new_enrollment_sends_changed_then_created(api_as, bob, course_run, event_log,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_as(bob).enroll(course_details=_details())

    assert event_log.names == ["changed", "created"]
    data = event_log.sent[-1][1]
    assert (data.user.pii.username, str(data.course.course_key), data.mode, data.is_active) == (
        "bob", COURSE_KEY, "audit", True)
    assert data.course.display_name == "Enrollment testing"


def test_events_are_sent_inside_the_transaction_as_the_lms_sends_them(api_as, bob, course_run, event_log,
                                                                      django_capture_on_commit_callbacks):
    """Receivers hear of the enrollment before it commits (and it may still roll back): issue 7.3."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api_as(bob).enroll(course_details=_details())
        assert event_log.names == ["changed", "created"]  # before any commit
    assert callbacks == []  # nothing of the LMS's own waits for the commit


def test_already_enrolled_sends_nothing(api_as, bob, course_run, event_log, django_capture_on_commit_callbacks):
    api_as(bob).enroll(course_details=_details())
    event_log.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api_as(bob).enroll(course_details=_details())
    assert event_log.names == []


def test_staff_deactivation_sends_changed_then_unenrollment_completed(
    api_as, staffer, bob, course_run, event_log, django_capture_on_commit_callbacks
):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="audit", is_active=False)

    assert response.status_code == 200
    assert event_log.names == ["changed", "unenrolled"]
    assert all(data.is_active is False for _, data in event_log.sent)


def test_staff_mode_change_sends_changed_only(api_as, staffer, bob, course_run, event_log,
                                              django_capture_on_commit_callbacks):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=True)
    with django_capture_on_commit_callbacks(execute=True):
        api_as(staffer).enroll(course_details=_details(), user="bob", mode="verified")
    assert event_log.names == ["changed"]
    assert event_log.sent[0][1].mode == "verified"


def test_staff_reactivation_sends_changed(api_as, staffer, bob, course_run, event_log,
                                          django_capture_on_commit_callbacks):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        api_as(staffer).enroll(course_details=_details(), user="bob", is_active=True)
    assert event_log.names == ["changed"]


def test_reactivation_through_enroll_sends_changed_then_created(api_as, bob, course_run, event_log,
                                                                django_capture_on_commit_callbacks):
    """``CourseEnrollment.enroll`` sends CREATED after every successful enroll, reactivations included."""
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        api_as(bob).enroll(course_details=_details())
    assert event_log.names == ["changed", "created"]


@override_settings(OPEN_EDX_FILTERS_CONFIG=REFUSE_ALL)
def test_prevent_enrollment_is_403_with_message_and_localized_message(api_as, bob, course_run, event_log):
    response = api_as(bob).enroll(course_details=_details())

    assert response.status_code == 403
    message = "Enrollment refused by the test pipeline."
    assert response.json() == {"message": message, "localizedMessage": message}
    assert CourseEnrollment.objects.count() == 0


@override_settings(OPEN_EDX_FILTERS_CONFIG=REFUSE_ALL)
def test_filter_does_not_run_on_the_staff_update_path(api_as, staffer, bob, course_run):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=True)
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="verified")
    assert response.status_code == 200


@override_settings(OPEN_EDX_FILTERS_CONFIG=FORCE_HONOR)
def test_filter_sees_the_requested_mode_and_its_mode_wins(api_as, bob, db):
    create_course(COURSE_KEY, modes=(("audit", 0, "usd"), ("honor", 0, "usd")))
    ForceHonorStep.seen_modes.clear()

    response = api_as(bob).enroll(course_details=_details())

    assert ForceHonorStep.seen_modes == [None]
    assert (response.status_code, response.json()["mode"]) == (200, "honor")
