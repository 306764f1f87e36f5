"""Account look-up and enrollment_allowed records through the LMS client."""
from __future__ import annotations

from tests.conftest import lms_calls


def test_account_lookup_by_email(lms_client, learner):
    account = lms_client.get_account_by_email("ada@example.com")
    assert (account.username, account.email, account.id) == ("ada", "ada@example.com", learner.id)


def test_unknown_email_has_no_account(lms_client):
    assert lms_client.get_account_by_email("nobody@example.com") is None


def test_enrollment_allowed_create_read_delete(lms_client, course):
    created = lms_client.create_enrollment_allowed("newcomer@example.com", course.course_id, auto_enroll=True)
    assert created.created is True
    assert created.record.auto_enroll is True and str(created.record.course_id) == course.course_id

    again = lms_client.create_enrollment_allowed("newcomer@example.com", course.course_id, auto_enroll=True)
    assert again.created is False
    assert again.record is not None and again.record.email == "newcomer@example.com"

    listed = lms_client.get_enrollment_allowed("newcomer@example.com")
    assert [str(item.course_id) for item in listed] == [course.course_id]

    assert lms_client.delete_enrollment_allowed("newcomer@example.com", course.course_id) is True
    assert lms_client.delete_enrollment_allowed("newcomer@example.com", course.course_id) is False
    assert lms_client.get_enrollment_allowed("newcomer@example.com") == []
    assert lms_calls("DELETE", "/api/enrollment/v1/enrollment_allowed/") == 2


def test_allowed_email_is_enrolled_when_the_account_is_registered(lms_client, course):
    from sandbox.lms.registration import register_user

    lms_client.create_enrollment_allowed("later@example.com", course.course_id, auto_enroll=True)
    register_user("later", "later@example.com", "later-password")

    enrollment = lms_client.get_enrollment("later", course.course_id)
    assert enrollment is not None and enrollment.is_active
