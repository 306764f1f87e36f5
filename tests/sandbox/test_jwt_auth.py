"""The APIs authenticate as the LMS does: ``Authorization: JWT`` through edx-drf-extensions."""
from __future__ import annotations

import time

import jwt
import pytest
from django.conf import settings

from sandbox.lms.oauth import create_jwt

URL = "/api/enrollment/v1/enrollment"


def _claims(username: str = "bob", **overrides) -> dict:
    now = int(time.time())
    claims = {
        "iss": settings.JWT_AUTH["JWT_ISSUER"], "aud": settings.JWT_AUTH["JWT_AUDIENCE"],
        "iat": now, "exp": now + 600, "preferred_username": username, "version": "1.2.0",
        "scopes": ["read"], "filters": [], "is_restricted": False,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _sign(claims: dict, key: str | None = None) -> str:
    return jwt.encode(claims, key or settings.JWT_AUTH["JWT_SECRET_KEY"], algorithm="HS256")


def test_no_credentials_is_401_with_jwt_challenge(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'JWT realm="api"'
    assert "detail" in response.json()


def test_valid_jwt_authenticates(client, bob):
    response = client.get(URL, HTTP_AUTHORIZATION=f"JWT {create_jwt(bob)}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "claims, key",
    [
        pytest.param(_claims(), "not-the-secret", id="bad-signature"),
        pytest.param(_claims(aud="someone-else"), None, id="wrong-audience"),
        pytest.param(_claims(iss="https://evil.example.com/oauth2"), None, id="wrong-issuer"),
        pytest.param(_claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), None, id="expired"),
        pytest.param(_claims(exp=None), None, id="missing-exp"),
        pytest.param(_claims(iat=None), None, id="missing-iat"),
        pytest.param(_claims(version="2.0.0"), None, id="future-major-version"),
    ],
)
def test_invalid_jwt_is_401_with_detail(client, bob, claims, key):
    response = client.get(URL, HTTP_AUTHORIZATION=f"JWT {_sign(claims, key)}")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_jwt_without_username_is_401(client, db):
    response = client.get(URL, HTTP_AUTHORIZATION=f"JWT {_sign(_claims(preferred_username=None))}")
    assert response.status_code == 401
    assert response.json() == {"detail": "JWT must include a preferred_username or username claim!"}


def test_bearer_prefix_is_not_read_as_a_jwt(client, bob):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {create_jwt(bob)}")
    assert response.status_code == 401


def test_administrator_claim_makes_the_local_user_staff(client, bob):
    token = _sign(_claims("bob", administrator=True))
    response = client.get("/api/enrollment/v1/enrollments", HTTP_AUTHORIZATION=f"JWT {token}")
    assert response.status_code == 200
    bob.refresh_from_db()
    assert bob.is_staff


def test_unknown_jwt_user_is_created_on_first_call(client, db):
    from django.contrib.auth import get_user_model

    token = _sign(_claims("newcomer", email="newcomer@example.com"))
    assert client.get(URL, HTTP_AUTHORIZATION=f"JWT {token}").status_code == 200
    assert get_user_model().objects.get(username="newcomer").email == "newcomer@example.com"
