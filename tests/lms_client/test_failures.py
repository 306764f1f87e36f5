"""Transient versus permanent failures, driven by the miniature LMS's fault switches."""
from __future__ import annotations

import socket
import time

import pytest

from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.errors import LmsRejected, LmsUnavailable
from tests.conftest import forget_tokens, lms_calls


def _arm(kind, count, **kwargs):
    from sandbox.lms.faults import arm_fault

    return arm_fault(kind, count, **kwargs)


def test_503_is_transient_until_the_lms_recovers(lms_client, course, learner):
    lms_client.token_info()  # token first, so the faults hit the API call
    _arm("503", 2)

    for _ in range(2):
        with pytest.raises(LmsUnavailable) as caught:
            lms_client.enroll(course.course_id, username="ada")
        assert caught.value.status_code == 503
        assert caught.value.transient is True

    assert lms_client.enroll(course.course_id, username="ada").is_active
    assert lms_calls("POST", "/api/enrollment/v1/enrollment") == 3


def test_429_is_transient_and_carries_retry_after(lms_client, course, learner):
    lms_client.token_info()
    _arm("429", 1)
    with pytest.raises(LmsUnavailable) as caught:
        lms_client.get_enrollment("ada", course.course_id)
    assert caught.value.status_code == 429
    assert caught.value.retry_after == 1.0
    assert lms_client.get_enrollment("ada", course.course_id) is None


def test_a_stall_past_the_read_timeout_is_transient(lms_client, course, learner, settings):
    lms_client.token_info()
    settings.COMMERCE_LMS_TIMEOUT = (1.0, 0.5)
    client = LmsClient.from_settings()
    _arm("stall", 1, stall_seconds=1.5)

    started = time.monotonic()
    with pytest.raises(LmsUnavailable) as caught:
        client.get_enrollment("ada", course.course_id)
    assert time.monotonic() - started < 1.4, "the read timeout was not applied"
    assert caught.value.status_code is None
    assert "Timeout" in caught.value.detail


def test_token_endpoint_503_is_transient(lms, course):
    _arm("503", 1, path_prefix="/oauth2/")
    with pytest.raises(LmsUnavailable) as caught:
        LmsClient.from_settings().get_course_details(course.course_id)
    assert caught.value.status_code == 503
    assert caught.value.operation.endswith("/token")
    assert LmsClient.from_settings().get_course_details(course.course_id) is not None


def test_refused_connection_is_transient(transactional_db, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.COMMERCE_LMS_BASE_URL = f"http://127.0.0.1:{port}"
    with pytest.raises(LmsUnavailable) as caught:
        LmsClient.from_settings().get_enrollment("ada", "course-v1:TestX+Contract+2026")
    assert "ConnectionError" in caught.value.detail


def test_a_service_user_without_staff_is_refused_permanently(lms, course, learner, settings):
    from sandbox.lms.models import OAuthApplication

    app = OAuthApplication.objects.get(client_id=settings.COMMERCE_LMS_OAUTH_CLIENT_ID)
    app.user.is_staff = False
    app.user.save()
    # A token cached before this point (by a late event of an earlier test, or by a fixture) still
    # carries the staff claim: forget it, so the client must ask for a new one (issue 11.6).
    forget_tokens()
    client = LmsClient.from_settings()

    with pytest.raises(LmsRejected) as caught:
        client.get_account_by_email("ada@example.com")
    assert caught.value.status_code == 403
    with pytest.raises(LmsRejected) as caught:
        client.get_enrollment("ada", course.course_id)
    assert caught.value.status_code == 404  # the LMS hides other users' enrollments behind a 404
