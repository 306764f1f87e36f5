"""The user accounts data of ``/api/user/v1/accounts``: lookups and the account object.

Only the fields the contract relies on (``username``, ``email``, ``id``, ``is_active``, ``name``,
``date_joined``) plus ``url`` and ``last_login`` are produced; other users than oneself see only the
public ``username`` unless the requester is staff, as with a private LMS profile.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from sandbox.lms.enrollment.serializers import iso


def account_dict(user: AbstractBaseUser, *, request: HttpRequest | None = None, full: bool = True) -> dict[str, Any]:
    path = f"/api/user/v1/accounts/{user.get_username()}"
    url = request.build_absolute_uri(path) if request is not None else path
    if not full:
        return {"username": user.get_username(), "url": url, "account_privacy": "private"}
    return {
        "username": user.get_username(),
        "url": url,
        "email": user.email,
        "id": user.pk,
        "name": user.get_full_name(),
        "is_active": user.is_active,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
    }


def users_by_email(email: str) -> list[AbstractBaseUser]:
    return list(get_user_model().objects.filter(email__iexact=email).order_by("id")[:1])


def users_by_usernames(usernames: list[str]) -> list[AbstractBaseUser]:
    return list(get_user_model().objects.filter(username__in=usernames).order_by("id"))


def users_by_id(user_id: int) -> list[AbstractBaseUser]:
    return list(get_user_model().objects.filter(pk=user_id))
