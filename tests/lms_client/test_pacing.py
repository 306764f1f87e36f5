"""The plugin paces its enrollment API calls under the LMS's throttle (issue 7.3), across processes
(the budget lives in the Django cache), so a fan-out never becomes a storm of 429s."""
from __future__ import annotations

import pytest
from django.core.cache import cache

from commerce_plugin.adapters.lms import LmsClient, pacing
from commerce_plugin.errors import LmsUnavailable
from tests.conftest import lms_calls


def test_a_bucket_holds_a_sixth_of_the_minute_and_the_next_one_opens_on_time():
    cache.clear()
    clock = iter([1000.0] * 10 + [1001.5] + [1010.0])

    taken = [pacing.take_slot(60, clock=lambda: next(clock)) for _ in range(10)]
    refused = pacing.take_slot(60, clock=lambda: next(clock))
    reopened = pacing.take_slot(60, clock=lambda: next(clock))

    assert taken == [0.0] * 10  # 60 a minute: 10 per 10-second bucket
    assert refused == pytest.approx(8.5)  # seconds until 1010
    assert reopened == 0.0
    assert pacing.take_slot(0) == 0.0  # 0 turns pacing off


@pytest.fixture
def throttled_lms(lms, settings, monkeypatch):
    """The LMS throttling the service user at 4 calls a minute; the plugin's clock frozen mid-bucket."""
    cache.clear()
    settings.SANDBOX_LMS_THROTTLING = True
    settings.SANDBOX_LMS_THROTTLE_RATES = {"staff": "4/minute"}
    monkeypatch.setattr(pacing, "_now", lambda: 1_000_002.0)
    yield lms
    cache.clear()


def test_without_pacing_a_burst_meets_429s(throttled_lms, course, settings):
    settings.COMMERCE_LMS_RATE_LIMIT_PER_MINUTE = 0
    client = LmsClient.from_settings()
    outcomes = []
    for _ in range(6):
        try:
            client.get_enrollment("ada", course.course_id)
            outcomes.append("ok")
        except LmsUnavailable as exc:
            outcomes.append(exc.status_code)
    assert outcomes.count(429) == 2  # the LMS's wall: 4 a minute


def test_paced_a_burst_never_reaches_the_lms_past_the_budget(throttled_lms, course, settings):
    settings.COMMERCE_LMS_RATE_LIMIT_PER_MINUTE = 12  # 2 per 10-second bucket, under the LMS's 4 a minute
    settings.COMMERCE_LMS_PACE_MAX_WAIT_SECONDS = 0
    client = LmsClient.from_settings()
    before = lms_calls("GET", "/api/enrollment/v1/")
    paced = []
    for _ in range(6):
        try:
            client.get_enrollment("ada", course.course_id)
        except LmsUnavailable as exc:
            paced.append(exc)

    assert len(paced) == 4
    assert all(exc.status_code is None and exc.retry_after == pytest.approx(8.0) for exc in paced)
    assert lms_calls("GET", "/api/enrollment/v1/") - before == 2  # the LMS saw only the budget: no 429


def test_a_paced_call_waits_for_the_next_bucket_when_that_is_soon(throttled_lms, course, settings, monkeypatch):
    settings.COMMERCE_LMS_RATE_LIMIT_PER_MINUTE = 6  # 1 per bucket
    settings.COMMERCE_LMS_PACE_MAX_WAIT_SECONDS = 10
    clock = iter([1_000_009.5, 1_000_009.6, 1_000_010.0])  # second call finds the bucket full, 0.4 s left
    monkeypatch.setattr(pacing, "_now", lambda: next(clock))
    slept = []
    monkeypatch.setattr("commerce_plugin.adapters.lms.client.time.sleep", slept.append)
    client = LmsClient.from_settings()

    client.get_enrollment("ada", course.course_id)
    client.get_enrollment("ada", course.course_id)

    assert slept == [pytest.approx(0.4)]
