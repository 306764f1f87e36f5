"""The token endpoint issues LMS-shaped JWTs for client-credentials applications."""
from __future__ import annotations

import base64

import jwt
import pytest
from django.conf import settings

from sandbox.lms.models import IssuedToken
from sandbox.lms.seed import create_service_application

TOKEN_URL = "/oauth2/access_token"


@pytest.fixture
def application(db):
    return create_service_application("client-1", "secret-1", username="svc", email="svc@example.com")


def _request_token(client, path=TOKEN_URL, **overrides):
    form = {"grant_type": "client_credentials", "client_id": "client-1", "client_secret": "secret-1",
            "token_type": "jwt"}
    form.update(overrides)
    return client.post(path, form)


def _decode(token: str) -> dict:
    return jwt.decode(
        token, settings.JWT_AUTH["JWT_SECRET_KEY"], algorithms=["HS256"], audience=settings.JWT_AUTH["JWT_AUDIENCE"]
    )


def test_client_credentials_grant_returns_a_jwt_and_records_it(client, application):
    response = _request_token(client)

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "JWT"
    assert body["expires_in"] == settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS
    assert body["scope"] == "read write email profile"
    assert IssuedToken.objects.filter(application=application).count() == 1


def test_issued_jwt_carries_the_lms_claims(client, application):
    claims = _decode(_request_token(client).json()["access_token"])

    assert claims["iss"] == settings.JWT_AUTH["JWT_ISSUER"]
    assert claims["aud"] == settings.JWT_AUTH["JWT_AUDIENCE"]
    assert claims["preferred_username"] == "svc"
    assert claims["version"] == "1.2.0"
    assert claims["scopes"] == ["read", "write", "email", "profile"]
    assert claims["filters"] == [] and claims["is_restricted"] is False
    assert claims["grant_type"] == "client-credentials"
    assert claims["administrator"] is True and claims["superuser"] is False
    assert claims["email"] == "svc@example.com" and claims["email_verified"] is True
    assert claims["exp"] - claims["iat"] == settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS
    assert claims["sub"]


def test_expires_in_follows_the_setting_at_request_time(client, application, settings):
    settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS = 7
    body = _request_token(client).json()
    assert body["expires_in"] == 7
    claims = _decode(body["access_token"])
    assert claims["exp"] - claims["iat"] == 7


def test_trailing_slash_is_optional(client, application):
    assert _request_token(client, path=TOKEN_URL + "/").status_code == 200


def test_wrong_secret_is_invalid_client_401(client, application):
    response = _request_token(client, client_secret="nope")
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}
    assert IssuedToken.objects.count() == 0


def test_unknown_client_is_invalid_client_401(client, application):
    response = _request_token(client, client_id="who")
    assert (response.status_code, response.json()) == (401, {"error": "invalid_client"})


def test_other_grant_type_is_unsupported_400(client, application):
    response = _request_token(client, grant_type="password")
    assert (response.status_code, response.json()) == (400, {"error": "unsupported_grant_type"})


def test_http_basic_client_authentication_is_accepted(client, application):
    basic = base64.b64encode(b"client-1:secret-1").decode()
    response = client.post(
        TOKEN_URL, {"grant_type": "client_credentials", "token_type": "jwt"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert response.status_code == 200


def test_token_endpoint_needs_no_csrf_token(application):
    from django.test import Client

    response = _request_token(Client(enforce_csrf_checks=True))
    assert response.status_code == 200


def test_issued_token_authenticates_api_calls_as_the_service_user(client, application):
    token = _request_token(client).json()["access_token"]
    response = client.get("/api/enrollment/v1/enrollment", HTTP_AUTHORIZATION=f"JWT {token}")
    assert response.status_code == 200
    assert response.json() == []
