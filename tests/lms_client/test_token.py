"""The service token: fetched once per expiry, refreshed when it expires or is refused."""
from __future__ import annotations

import time

import pytest
from edx_django_utils.cache import TieredCache

from commerce_plugin.adapters.lms import LmsClient
from commerce_plugin.errors import LmsNotConfigured, LmsRejected
from tests.conftest import lms_calls


def _tokens_issued() -> int:
    from sandbox.lms.models import IssuedToken

    return IssuedToken.objects.count()


def test_one_token_serves_many_calls_and_clients(lms_client, learner):
    from sandbox.lms.seed import create_course

    # A course of its own, so the calls counted below are this test's and no one else's.
    course_id = create_course("course-v1:TestX+Tokens+2026").course_id
    lms_client.get_enrollment("ada", course_id)
    lms_client.get_enrollment("ada", course_id)
    # A second client (another task, another request) finds the token in the cache.
    LmsClient.from_settings().get_course_details(course_id)

    assert _tokens_issued() == 1
    assert lms_calls("POST", "/oauth2/") == 1
    assert lms_calls("GET", f"/api/enrollment/v1/enrollment/ada,{course_id}") == 2
    assert lms_calls("GET", f"/api/enrollment/v1/course/{course_id}") == 1


def test_token_is_refreshed_after_it_expires(lms_client, course, learner, settings):
    # edx-rest-api-client treats a token as expired 5 s before its end: 7 s tokens live 2 s here.
    settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS = 7
    lms_client.get_enrollment("ada", course.course_id)
    lms_client.get_enrollment("ada", course.course_id)
    assert _tokens_issued() == 1

    time.sleep(2.3)
    lms_client.get_enrollment("ada", course.course_id)
    assert _tokens_issued() == 2


def test_a_cached_token_the_lms_refuses_is_replaced_once(lms_client, course, learner):
    lms_client.get_enrollment("ada", course.course_id)
    key = f"edx_rest_api_client.access_token.jwt.client_credentials.{lms_client._client_id}." \
          f"{lms_client.base_url}/oauth2/access_token"
    cached = TieredCache.get_cached_response(key)
    assert cached.is_found, "the token cache key changed in edx-rest-api-client: update _forget_token"
    _token, expires_at = cached.value
    TieredCache.set_all_tiers(key, ("not.a.valid-jwt", expires_at), 600)

    assert lms_client.get_enrollment("ada", course.course_id) is None
    assert lms_calls("GET", "/api/enrollment/v1/enrollment/") == 3  # ok, 401, ok after refresh
    assert _tokens_issued() == 2


def test_wrong_client_secret_is_a_permanent_error(lms, course, settings):
    settings.COMMERCE_LMS_OAUTH_CLIENT_SECRET = "wrong-secret"
    with pytest.raises(LmsRejected) as caught:
        LmsClient.from_settings().get_course_details(course.course_id)
    assert caught.value.status_code == 401
    assert caught.value.transient is False
    assert "wrong-secret" not in str(caught.value)


def test_missing_configuration_is_reported_before_any_call(lms, settings):
    settings.COMMERCE_LMS_OAUTH_CLIENT_ID = ""
    with pytest.raises(LmsNotConfigured) as caught:
        LmsClient.from_settings()
    assert "COMMERCE_LMS_OAUTH_CLIENT_ID" in str(caught.value)
    assert lms_calls() == 0


def test_token_info_reports_the_staff_service_user(lms_client):
    info = lms_client.token_info()
    assert info.username == "commerce_service"
    assert info.is_staff is True
    assert "read" in info.scopes
    assert info.expires_at is not None
