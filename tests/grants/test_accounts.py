"""A person without an LMS account: enrollment_allowed now, a real enrollment at sign-up."""
from __future__ import annotations

from django.db import transaction

from commerce_plugin.data import GrantSource
from commerce_plugin.grants.ledger import add_grant
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.models import EnrollmentSync


def _grant_to(email, course_id, mode="verified"):
    with transaction.atomic():
        _grant, sync, _ = add_grant(email=email, course_key=course_id, mode=mode, source=GrantSource.STAFF,
                                    source_ref=f"test:{email}:{course_id}")
        schedule_sync([sync.pk])
    return EnrollmentSync.objects.get(pk=sync.pk)


def test_a_person_without_an_account_gets_an_enrollment_allowed_record(lms, course):
    from sandbox.lms.models import CourseEnrollmentAllowed

    sync = _grant_to("Newcomer@Example.com", course.course_id)

    assert sync.state == "waiting_for_account" and sync.allowed_created
    allowed = CourseEnrollmentAllowed.objects.get(email="newcomer@example.com", course_id=course.course_id)
    assert allowed.auto_enroll is True


def test_signing_up_enrolls_the_person_in_the_granted_mode(lms, course):
    from sandbox.lms.models import CourseEnrollment
    from sandbox.lms.registration import register_user

    _grant_to("newcomer@example.com", course.course_id)

    register_user("newcomer", "newcomer@example.com", "newcomer-password")

    enrollment = CourseEnrollment.objects.get(user__username="newcomer", course__course_id=course.course_id)
    assert enrollment.is_active and enrollment.mode == "verified"  # the LMS's audit auto-enroll, upgraded
    sync = EnrollmentSync.objects.get()
    assert sync.state == "in_sync" and sync.user_id == enrollment.user_id


def test_an_unenrollment_in_the_lms_updates_the_last_known_state(lms_client, lms, course, learner):
    sync = _grant_to("ada@example.com", course.course_id)
    assert sync.lms_active is True

    lms_client.deactivate("ada", course.course_id)  # someone else unenrolls ada in the LMS

    sync.refresh_from_db()
    assert sync.lms_active is False and sync.lms_mode == "verified"


def test_the_sweep_enrolls_a_person_whose_registration_event_was_missed(lms, course):
    from datetime import timedelta

    from django.utils import timezone

    from commerce_plugin import api
    from sandbox.lms.models import CourseEnrollment
    from sandbox.lms.seed import create_user

    _grant_to("quiet@example.com", course.course_id)
    create_user("quiet", "quiet@example.com")  # an account appears, but no event reaches the plugin

    assert api.process_due_syncs(now=timezone.now()) == {}  # not due before the re-check time
    later = timezone.now() + timedelta(hours=2)
    assert api.process_due_syncs(now=later) == {"in_sync": 1}
    enrollment = CourseEnrollment.objects.get(user__username="quiet", course__course_id=course.course_id)
    assert enrollment.is_active and enrollment.mode == "verified"


def test_with_activation_as_in_the_lms_the_person_ends_enrolled_once(lms, course, settings):
    """Issue 7.3: the registration event comes while the account is inactive; the LMS turns the
    ``enrollment_allowed`` row into an enrollment only at activation. Either way: enrolled, once."""
    from sandbox.lms.models import CourseEnrollment
    from sandbox.lms.registration import activate_user, register_user

    settings.SANDBOX_REGISTRATION_ACTIVATION = True
    _grant_to("newcomer@example.com", course.course_id)

    user = register_user("newcomer", "newcomer@example.com", "newcomer-password")

    assert user.is_active is False
    enrollments = CourseEnrollment.objects.filter(user__username="newcomer", course__course_id=course.course_id)
    sync = EnrollmentSync.objects.get()
    assert sync.user_id == user.pk  # the event linked the account although it is not active yet
    assert [(e.mode, e.is_active) for e in enrollments] == [("verified", True)]  # the plugin enrolled it

    activate_user(user)  # the LMS's auto-enroll finds the enrollment there and skips it

    assert [(e.mode, e.is_active) for e in enrollments.all()] == [("verified", True)]
    assert EnrollmentSync.objects.get().state == "in_sync"
