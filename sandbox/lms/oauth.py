"""JWT minting for the miniature LMS's OAuth2 token endpoint.

Shaped like ``openedx/core/djangoapps/oauth_dispatch/jwt.py``: HS256 with ``JWT_AUTH['JWT_SECRET_KEY']``,
the same claims, ``administrator`` carrying the application user's ``is_staff`` so that
edx-drf-extensions' ``JwtAuthentication`` grants the service its powers. Tests use ``create_jwt`` to
forge tokens for any user.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.crypto import constant_time_compare

from sandbox.lms.models import IssuedToken, OAuthApplication

JWT_VERSION = "1.2.0"
DEFAULT_SCOPES: tuple[str, ...] = ("read", "write", "email", "profile")


class InvalidClient(Exception):
    """Unknown client id or wrong secret."""


def anonymous_subject(user: AbstractBaseUser) -> str:
    """A stable opaque ``sub`` for the user, standing in for the LMS's anonymous user id."""
    seed = f"{settings.SECRET_KEY}:{user.pk}:{user.get_username()}".encode()
    return hashlib.sha256(seed).hexdigest()[:32]


def create_jwt(
    user: AbstractBaseUser,
    *,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    expires_in: int | None = None,
    grant_type: str = "client-credentials",
    now: datetime | None = None,
) -> str:
    """Return a signed JWT for ``user`` with the claims the LMS puts in client-credentials tokens."""
    jwt_auth = settings.JWT_AUTH
    if expires_in is None:
        expires_in = int(settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS)
    issued = now or datetime.now(UTC)
    scopes = list(scopes)
    payload: dict = {
        "aud": jwt_auth["JWT_AUDIENCE"],
        "iss": jwt_auth["JWT_ISSUER"],
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(seconds=expires_in)).timestamp()),
        "grant_type": grant_type,
        "preferred_username": user.get_username(),
        "scopes": scopes,
        "version": JWT_VERSION,
        "sub": anonymous_subject(user),
        "filters": [],
        "is_restricted": False,
        "email_verified": bool(user.is_active),
    }
    if "email" in scopes:
        payload["email"] = user.email
    if "profile" in scopes:
        payload.update(
            {
                "name": user.get_full_name(),
                "family_name": user.last_name,
                "given_name": user.first_name,
                "administrator": bool(user.is_staff),
                "superuser": bool(user.is_superuser),
            }
        )
    return jwt.encode(payload, jwt_auth["JWT_SECRET_KEY"], algorithm="HS256")


def authenticate_client(client_id: str, client_secret: str) -> OAuthApplication:
    """Return the application for these credentials, or raise ``InvalidClient``."""
    application = OAuthApplication.objects.select_related("user").filter(client_id=client_id).first()
    if application is None or not constant_time_compare(application.client_secret, client_secret or ""):
        raise InvalidClient(client_id)
    return application


def issue_token(application: OAuthApplication) -> dict:
    """Mint a JWT for the application's user, record it, and return the token endpoint's JSON body."""
    expires_in = int(settings.JWT_ACCESS_TOKEN_EXPIRE_SECONDS)
    scopes = application.scopes.split()
    now = datetime.now(UTC)
    token = create_jwt(application.user, scopes=scopes, expires_in=expires_in, now=now)
    IssuedToken.objects.create(
        application=application, issued_at=now, expires_at=now + timedelta(seconds=expires_in)
    )
    return {
        "access_token": token,
        "token_type": "JWT",
        "expires_in": expires_in,
        "scope": " ".join(scopes),
    }
