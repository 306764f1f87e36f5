"""The enrollment API's throttles, as the LMS sets them (issue 7.3): per user, one budget for every
enrollment endpoint, staff higher; anonymous per IP on course details; 429 with Retry-After."""
from __future__ import annotations

import pytest
from django.core.cache import cache

from sandbox.lms.throttling import _rates
from tests.sandbox.conftest import COURSE_KEY


@pytest.fixture
def throttled(settings):
    cache.clear()  # DRF keeps the request history in the default cache
    settings.SANDBOX_LMS_THROTTLING = True
    settings.SANDBOX_LMS_THROTTLE_RATES = {"staff": "4/minute", "user": "2/minute", "anon": "3/minute"}
    yield settings
    cache.clear()


def test_the_lms_rates_are_the_defaults():
    assert _rates() == {"user": "40/minute", "staff": "120/minute", "anon": "40/minute"}


def test_a_staff_user_shares_one_budget_across_enrollment_endpoints(throttled, api_as, staffer, course_run):
    api = api_as(staffer)
    answers = [
        api.get("/api/enrollment/v1/enrollment").status_code,
        api.get("/api/enrollment/v1/enrollments/", {"course_id": COURSE_KEY}).status_code,
        api.get("/api/enrollment/v1/enrollment_allowed/", {"email": "x@example.com"}).status_code,
        api.get("/api/enrollment/v1/enrollment").status_code,
    ]
    refused = api.get("/api/enrollment/v1/enrollment_allowed/", {"email": "x@example.com"})

    assert 429 not in answers
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_a_learner_gets_the_lower_rate(throttled, api_as, bob):
    api = api_as(bob)
    assert [api.get("/api/enrollment/v1/enrollment").status_code for _ in range(2)] == [200, 200]
    assert api.get("/api/enrollment/v1/enrollment").status_code == 429


def test_course_details_are_limited_per_ip_for_everyone(throttled, api_as, staffer, course_run):
    path = f"/api/enrollment/v1/course/{COURSE_KEY}"
    codes = [api_as(staffer).get(path).status_code for _ in range(3)]  # the JWT is ignored there
    assert codes == [200, 200, 200]
    assert api_as(None).get(path).status_code == 429


def test_switched_off_nothing_is_limited(settings, api_as, bob):
    settings.SANDBOX_LMS_THROTTLING = False
    settings.SANDBOX_LMS_THROTTLE_RATES = {"user": "1/minute"}
    api = api_as(bob)
    assert {api.get("/api/enrollment/v1/enrollment").status_code for _ in range(5)} == {200}
