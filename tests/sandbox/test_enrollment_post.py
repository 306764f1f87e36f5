"""``POST /api/enrollment/v1/enrollment`` answers every case with the LMS's status and body."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sandbox.lms.models import CourseEnrollment, CourseEnrollmentAllowed, CourseMode
from sandbox.lms.seed import create_course, create_user
from tests.sandbox.conftest import COURSE_KEY

GENERIC = "An error occurred while creating the new course enrollment for user '{u}' in course '{c}'"


def _row(username, course_id=COURSE_KEY):
    return CourseEnrollment.objects.filter(user__username=username, course__course_id=course_id).first()


def _details(course_id=COURSE_KEY):
    return {"course_id": course_id}


# --- validation, in the LMS's order -------------------------------------------------------------

def test_missing_course_id_is_400(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details={})
    assert response.status_code == 400
    assert response.json() == {"message": "Course ID must be specified to create a new enrollment."}


def test_invalid_course_key_is_400_no_course(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details={"course_id": "not a key"})
    assert response.status_code == 400
    assert response.json() == {"message": "No course 'not a key' found for enrollment"}


def test_unknown_course_is_400_no_course(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details=_details("course-v1:Nope+N1+2026"))
    assert response.json() == {"message": "No course 'course-v1:Nope+N1+2026' found for enrollment"}
    assert response.status_code == 400


def test_non_staff_enrolling_someone_else_is_404_empty(api_as, bob, carol, course_run):
    response = api_as(bob).enroll(course_details=_details(), user="carol")
    assert (response.status_code, response.content) == (404, b"")
    assert _row("carol") is None


def test_non_staff_enrolling_by_email_is_404_empty(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details=_details(), email="bob@example.com")
    assert (response.status_code, response.content) == (404, b"")


def test_unknown_email_is_406(api_as, staffer, course_run):
    response = api_as(staffer).enroll(course_details=_details(), email="ghost@example.com")
    assert response.status_code == 406
    assert response.json() == {"message": "The user with the email address ghost@example.com does not exist."}


def test_staff_enrolls_by_email(api_as, staffer, bob, course_run):
    response = api_as(staffer).enroll(course_details=_details(), email="bob@example.com", mode="verified")
    assert response.status_code == 200
    assert (response.json()["user"], response.json()["mode"]) == ("bob", "verified")


def test_non_staff_paid_mode_is_403(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details=_details(), mode="verified")
    assert response.status_code == 403
    assert response.json() == {"message": "User does not have permission to create enrollment with mode [verified]."}


def test_unknown_username_is_406(api_as, staffer, course_run):
    response = api_as(staffer).enroll(course_details=_details(), user="nobody")
    assert (response.status_code, response.json()) == (406, {"message": "The user nobody does not exist."})


def test_non_boolean_is_active_is_400(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details=_details(), is_active="yes")
    assert response.status_code == 400
    assert response.json() == {"message": "'yes' is an invalid enrollment activation status."}


def test_non_boolean_force_enrollment_is_400(api_as, staffer, bob, course_run):
    response = api_as(staffer).enroll(course_details=_details(), user="bob", force_enrollment="true")
    assert response.status_code == 400
    assert response.json() == {"message": "'true' is an invalid force enrollment status."}


@pytest.mark.parametrize("attributes", ["order=1", [1, 2], [{"namespace": "order"}]])
def test_malformed_enrollment_attributes_are_400(api_as, bob, course_run, attributes):
    response = api_as(bob).enroll(course_details=_details(), enrollment_attributes=attributes)
    assert response.status_code == 400
    assert set(response.json()) == {"message", "localizedMessage"}
    assert _row("bob") is None


# --- the add path -------------------------------------------------------------------------------

def test_self_enrollment_succeeds_with_200_and_the_enrollment(api_as, bob, course_run):
    response = api_as(bob).enroll(course_details=_details())

    assert response.status_code == 200
    body = response.json()
    assert (body["user"], body["mode"], body["is_active"]) == ("bob", "audit", True)
    assert body["created"].endswith("Z")
    details = body["course_details"]
    assert details["course_id"] == COURSE_KEY and details["course_name"] == "Enrollment testing"
    assert details["invite_only"] is False and details["pacing_type"] == "Instructor Paced"
    assert [m["slug"] for m in details["course_modes"]] == ["audit", "verified"]
    assert details["course_modes"][1] == {
        "slug": "verified", "name": "Verified Certificate", "min_price": 4900, "suggested_prices": "",
        "currency": "usd", "expiration_datetime": None, "description": None, "sku": None, "bulk_sku": None,
    }
    assert _row("bob").is_active


def test_enrollment_attributes_list_is_accepted(api_as, staffer, bob, course_run):
    response = api_as(staffer).enroll(
        course_details=_details(), user="bob", mode="verified",
        enrollment_attributes=[{"namespace": "order", "name": "number", "value": "C-1"}],
    )
    assert response.status_code == 200


def test_already_active_returns_the_existing_enrollment_unchanged(api_as, bob, course_run):
    api = api_as(bob)
    first = api.enroll(course_details=_details()).json()
    again = api.enroll(course_details=_details(), mode="audit")
    assert again.status_code == 200
    assert again.json() == first
    assert CourseEnrollment.objects.count() == 1


def test_unavailable_mode_is_400_with_course_details(api_as, staffer, bob, course_run):
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="professional")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == (
        f"The [professional] course mode is expired or otherwise unavailable for course run [{COURSE_KEY}]."
    )
    assert body["course_details"]["course_id"] == COURSE_KEY


def test_expired_mode_is_unavailable_unless_forced(api_as, staffer, bob, course_run):
    CourseMode.objects.filter(mode_slug="verified").update(expiration_datetime=timezone.now() - timedelta(days=1))
    api = api_as(staffer)
    assert api.enroll(course_details=_details(), user="bob", mode="verified").status_code == 400
    forced = api.enroll(course_details=_details(), user="bob", mode="verified", force_enrollment=True)
    assert (forced.status_code, forced.json()["mode"]) == (200, "verified")


def test_closed_enrollment_window_is_the_generic_400(api_as, bob, db):
    create_course(COURSE_KEY, enrollment_end=timezone.now() - timedelta(days=1))
    response = api_as(bob).enroll(course_details=_details())
    assert response.status_code == 400
    assert response.json() == {"message": GENERIC.format(u="bob", c=COURSE_KEY)}


def test_not_yet_open_window_is_the_generic_400(api_as, bob, db):
    create_course(COURSE_KEY, enrollment_start=timezone.now() + timedelta(days=1))
    response = api_as(bob).enroll(course_details=_details())
    assert (response.status_code, response.json()["message"]) == (400, GENERIC.format(u="bob", c=COURSE_KEY))


def test_staff_force_enrollment_skips_the_closed_check(api_as, staffer, bob, db):
    create_course(COURSE_KEY, enrollment_end=timezone.now() - timedelta(days=1), invitation_only=True)
    api = api_as(staffer)
    assert api.enroll(course_details=_details(), user="bob").status_code == 400
    response = api.enroll(course_details=_details(), user="bob", force_enrollment=True)
    assert response.status_code == 200 and response.json()["is_active"]


def test_non_staff_force_enrollment_is_ignored(api_as, bob, db):
    create_course(COURSE_KEY, invitation_only=True)
    response = api_as(bob).enroll(course_details=_details(), force_enrollment=True)
    assert response.status_code == 400


def test_invitation_only_is_the_generic_400(api_as, bob, db):
    create_course(COURSE_KEY, invitation_only=True)
    response = api_as(bob).enroll(course_details=_details())
    assert (response.status_code, response.json()["message"]) == (400, GENERIC.format(u="bob", c=COURSE_KEY))


def test_allowed_row_overrides_invitation_only_and_links_the_user(api_as, bob, db):
    create_course(COURSE_KEY, invitation_only=True)
    CourseEnrollmentAllowed.objects.create(email="bob@example.com", course_id=COURSE_KEY)

    response = api_as(bob).enroll(course_details=_details())

    assert response.status_code == 200
    assert CourseEnrollmentAllowed.objects.get().user == bob


def test_allowed_row_overrides_a_closed_window(api_as, bob, db):
    create_course(COURSE_KEY, enrollment_end=timezone.now() - timedelta(days=1))
    CourseEnrollmentAllowed.objects.create(email="bob@example.com", course_id=COURSE_KEY)
    assert api_as(bob).enroll(course_details=_details()).status_code == 200


def test_allowed_row_claimed_by_another_user_does_not_help(api_as, bob, carol, db):
    create_course(COURSE_KEY, invitation_only=True)
    CourseEnrollmentAllowed.objects.create(email="bob@example.com", course_id=COURSE_KEY, user=carol)
    assert api_as(bob).enroll(course_details=_details()).status_code == 400


def test_full_course_is_the_generic_400(api_as, bob, carol, db):
    create_course(COURSE_KEY, max_student_enrollments_allowed=1)
    assert api_as(carol).enroll(course_details=_details()).status_code == 200
    response = api_as(bob).enroll(course_details=_details())
    assert (response.status_code, response.json()["message"]) == (400, GENERIC.format(u="bob", c=COURSE_KEY))


def test_inactive_enrollments_do_not_count_toward_the_cap(api_as, bob, carol, db):
    course = create_course(COURSE_KEY, max_student_enrollments_allowed=1)
    CourseEnrollment.objects.create(user=carol, course=course, is_active=False)
    assert api_as(bob).enroll(course_details=_details()).status_code == 200


def test_access_checks_come_before_the_already_enrolled_answer(api_as, bob, db):
    """As ``CourseEnrollment.enroll``: closed/full are checked before AlreadyEnrolledError."""
    course = create_course(COURSE_KEY)
    assert api_as(bob).enroll(course_details=_details()).status_code == 200
    course.enrollment_end = timezone.now() - timedelta(minutes=1)
    course.save()
    assert api_as(bob).enroll(course_details=_details()).status_code == 400


def test_global_staff_enrollee_is_not_bound_by_invitation_only(api_as, staffer, db):
    create_course(COURSE_KEY, invitation_only=True)
    assert api_as(staffer).enroll(course_details=_details()).status_code == 200


def test_reactivation_through_the_add_path(api_as, bob, course_run):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="audit", is_active=False)
    response = api_as(bob).enroll(course_details=_details())
    assert (response.status_code, response.json()["is_active"]) == (200, True)
    assert CourseEnrollment.objects.count() == 1


def test_mode_defaults_to_honor_when_audit_is_not_offered(api_as, bob, db):
    create_course(COURSE_KEY, modes=(("honor", 0, "usd"), ("verified", 100, "usd")))
    assert api_as(bob).enroll(course_details=_details()).json()["mode"] == "honor"


# --- is_active: false and the staff update path --------------------------------------------------

def test_non_staff_deactivation_is_a_no_op_200(api_as, bob, course_run):
    api = api_as(bob)
    api.enroll(course_details=_details())
    response = api.enroll(course_details=_details(), is_active=False)
    assert (response.status_code, response.json()["is_active"]) == (200, True)
    assert _row("bob").is_active


def test_staff_deactivates_an_existing_enrollment(api_as, staffer, bob, course_run):
    api_as(bob).enroll(course_details=_details())
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="audit", is_active=False)
    assert (response.status_code, response.json()["is_active"]) == (200, False)
    assert not _row("bob").is_active


def test_staff_deactivation_without_a_record_is_the_generic_400(api_as, staffer, bob, course_run):
    response = api_as(staffer).enroll(course_details=_details(), user="bob", is_active=False)
    assert (response.status_code, response.json()["message"]) == (400, GENERIC.format(u="bob", c=COURSE_KEY))
    assert _row("bob") is None


def test_staff_deactivation_with_another_mode_is_a_mode_mismatch(api_as, staffer, bob, course_run):
    api_as(bob).enroll(course_details=_details())
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="verified", is_active=False)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Enrollment mode mismatch: active mode=audit, requested mode=verified. Won't deactivate."
    }
    assert _row("bob").is_active


def test_staff_mode_change_skips_access_checks(api_as, staffer, bob, course_run):
    api_as(bob).enroll(course_details=_details())
    course_run.invitation_only = True
    course_run.enrollment_end = timezone.now() - timedelta(days=1)
    course_run.save()
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="verified")
    assert (response.status_code, response.json()["mode"]) == (200, "verified")


def test_staff_update_to_an_unavailable_mode_is_400(api_as, staffer, bob, course_run):
    api_as(bob).enroll(course_details=_details())
    response = api_as(staffer).enroll(course_details=_details(), user="bob", mode="professional")
    assert response.status_code == 400
    assert "course_details" in response.json()


def test_staff_reactivates_through_the_update_path(api_as, staffer, bob, course_run):
    CourseEnrollment.objects.create(user=bob, course=course_run, mode="verified", is_active=False)
    response = api_as(staffer).enroll(course_details=_details(), user="bob", is_active=True)
    assert (response.status_code, response.json()["is_active"], response.json()["mode"]) == (200, True, "verified")


def test_service_user_with_unusable_password_can_enroll_learners(api_as, course_run, bob):
    service = create_user("svc", "svc@example.com", staff=True)
    response = api_as(service).enroll(course_details=_details(), user="bob", mode="verified")
    assert response.status_code == 200
