"""Fixtures of the access tests: an integrator account with the manage_access permission, over HTTP."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.rest_api.conftest import V1, as_user  # noqa: F401 (the REST tests' fixture)

RULES_COURSE = "course-v1:TestX+Rules+2026"


class Integrator:
    """``requests`` against the REST API with a JWT of a user who may manage access."""

    def __init__(self, base_url: str, user: Any) -> None:
        from sandbox.lms.oauth import create_jwt

        self.base = f"{base_url}{V1}"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"JWT {create_jwt(user)}"

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.session.request(method, f"{self.base}{path}", json=body, timeout=30, **kwargs)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(f"{self.base}{path}", params=params, timeout=30)

    def rules(self, course_id: str = RULES_COURSE) -> tuple[list[dict], str]:
        response = self.get(f"/course-runs/{course_id}/rules/")
        assert response.status_code == 200, response.text
        return response.json(), response.headers["ETag"]

    def put_rules(self, rules: list[dict], etag: str | None = None, course_id: str = RULES_COURSE):
        headers = {"If-Match": etag} if etag else {}
        return self.call("PUT", f"/course-runs/{course_id}/rules/", rules, headers=headers)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def window(days_before: float = 1, days_after: float = 365) -> tuple[str, str]:
    now = datetime.now(UTC)
    return iso(now - timedelta(days=days_before)), iso(now + timedelta(days=days_after))


@pytest.fixture
def integrator_user(transactional_db):
    """A non-staff account holding ``commerce_plugin.manage_access`` (what an integrator gets)."""
    from django.contrib.auth.models import Permission

    from sandbox.lms.seed import create_user

    user = create_user("integrator", "integrator@example.com")
    user.user_permissions.add(Permission.objects.get(codename="manage_access",
                                                     content_type__app_label="commerce_plugin"))
    return user


@pytest.fixture
def integrator(lms, integrator_user):
    return Integrator(lms.url, integrator_user)


@pytest.fixture
def rules_course(transactional_db):
    from sandbox.lms.seed import create_course

    return create_course(RULES_COURSE, display_name="Rules course")


def lms_enrollment(email: str, course_id: str = RULES_COURSE) -> tuple[bool, str] | None:
    """``(is_active, mode)`` of the person's enrollment in the miniature LMS, or None."""
    from sandbox.lms.models import CourseEnrollment

    row = CourseEnrollment.objects.filter(user__email=email, course__course_id=course_id).values_list(
        "is_active", "mode").first()
    return tuple(row) if row else None
