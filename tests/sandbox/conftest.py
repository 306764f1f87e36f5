"""Fixtures of the sandbox LMS tests: users, course runs, JWT-authenticated API calls, event capture.

Fixture names differ from the top-level ``tests/conftest.py`` ones (``course``, ``learner``), which are
transactional and meant for live-server tests of the plugin; these run inside a test transaction.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from openedx_events.learning.signals import (
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
    STUDENT_REGISTRATION_COMPLETED,
)

from sandbox.lms.oauth import create_jwt
from sandbox.lms.seed import create_course, create_user

COURSE_KEY = "course-v1:SandboxT+Enroll101+2026"
ENROLLMENT_URL = "/api/enrollment/v1/enrollment"


class JwtApi:
    """The Django test client, sending ``Authorization: JWT <token>`` for one user."""

    def __init__(self, client: Client, user: Any | None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"JWT {create_jwt(user)}"} if user is not None else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, **self.headers)

    def post(self, path: str, data: Any):
        return self.client.post(path, json.dumps(data), content_type="application/json", **self.headers)

    def delete(self, path: str, data: Any | None = None):
        body = json.dumps(data) if data is not None else ""
        return self.client.delete(path, body, content_type="application/json", **self.headers)

    def enroll(self, **body: Any):
        return self.post(ENROLLMENT_URL, body)


@pytest.fixture
def course_run(db):
    """An open, self-service course run with audit and verified modes."""
    return create_course(COURSE_KEY, display_name="Enrollment testing")


@pytest.fixture
def bob(db):
    return create_user("bob", "bob@example.com", password="bob-password")


@pytest.fixture
def carol(db):
    return create_user("carol", "carol@example.com", password="carol-password")


@pytest.fixture
def staffer(db):
    """A global staff service user, like the plugin's ``commerce_service``."""
    return create_user("staffer", "staffer@example.com", staff=True)


@pytest.fixture
def api_as(client):
    """``api_as(user)`` → a JWT-authenticated API client for ``user`` (``None`` = anonymous)."""

    def make(user: Any | None) -> JwtApi:
        return JwtApi(client, user)

    return make


class EventLog:
    """Records ``(event_name, data)`` for enrollment and registration events, in sending order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.sent]


@pytest.fixture
def event_log() -> Iterator[EventLog]:
    log = EventLog()
    names = {
        COURSE_ENROLLMENT_CHANGED: "changed",
        COURSE_ENROLLMENT_CREATED: "created",
        COURSE_UNENROLLMENT_COMPLETED: "unenrolled",
        STUDENT_REGISTRATION_COMPLETED: "registered",
    }
    receivers = []
    for signal, name in names.items():

        def receiver(sender=None, signal=None, _name=name, **kwargs):  # noqa: ARG001
            log.sent.append((_name, kwargs.get("enrollment") or kwargs.get("user")))

        signal.connect(receiver, weak=False, dispatch_uid=f"tests.sandbox.event_log.{name}")
        receivers.append((signal, name))
    yield log
    for signal, name in receivers:
        signal.disconnect(dispatch_uid=f"tests.sandbox.event_log.{name}")
