"""The LMS sends enrollment events inside its own transaction (issue 7.3): what the plugin's handlers
write rolls back with the LMS, and the work they schedule waits for the LMS's commit."""
from __future__ import annotations

import pytest
from django.db import transaction

from commerce_plugin.models import EnrollmentSync


@pytest.fixture
def managed(course, learner):
    """ada's enrollment in the course, which the plugin manages (it has a sync record)."""
    from sandbox.lms.models import CourseEnrollment

    enrollment = CourseEnrollment.objects.create(user=learner, course=course, mode="verified", is_active=True)
    sync = EnrollmentSync.objects.create(email=learner.email, user=learner, course_key=course.course_id,
                                         desired_active=True, desired_mode="verified", lms_active=True,
                                         lms_mode="verified")
    return enrollment, sync


@pytest.fixture
def dispatched(monkeypatch):
    """The tasks the plugin queued (recorded instead of sent to Celery)."""
    queued: list[tuple[str, int]] = []
    monkeypatch.setattr("commerce_plugin.scheduler._dispatch", lambda name, item: queued.append((name, item)))
    return queued


def test_an_unenrollment_the_lms_rolls_back_leaves_no_trace(lms, managed, dispatched, settings):
    from sandbox.lms.enrollment.service import update_enrollment

    settings.COMMERCE_AUTO_REFUND_ON_UNENROLL = True
    enrollment, sync = managed

    with pytest.raises(RuntimeError), transaction.atomic():
        update_enrollment(enrollment, is_active=False)
        assert EnrollmentSync.objects.get(pk=sync.pk).lms_active is False  # the handler ran, in the LMS's transaction
        raise RuntimeError("the LMS request failed after sending the event")

    assert EnrollmentSync.objects.get(pk=sync.pk).lms_active is True
    assert dispatched == []  # the refund check never left: it waited for a commit that did not come


def test_an_unenrollment_the_lms_commits_queues_the_refund_check_after_the_commit(lms, managed, dispatched,
                                                                                  settings):
    from sandbox.lms.enrollment.service import update_enrollment

    settings.COMMERCE_AUTO_REFUND_ON_UNENROLL = True
    enrollment, sync = managed

    with transaction.atomic():
        update_enrollment(enrollment, is_active=False)
        assert dispatched == []  # not inside the LMS's transaction

    assert EnrollmentSync.objects.get(pk=sync.pk).lms_active is False
    assert dispatched == [("commerce_plugin.tasks.refund_after_unenrollment", sync.pk)]
