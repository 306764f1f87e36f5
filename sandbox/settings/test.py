"""Test settings on SQLite: what ``make test`` runs, with no services at all."""
from __future__ import annotations

import os

from edx_django_utils.plugins import add_plugins

from sandbox.settings.base import *  # noqa: F401,F403
from sandbox.settings.base import VAR_DIR

# A file, not ":memory:": live-server tests make the plugin call the LMS over HTTP, and each server
# thread needs its own connection to a database the test thread can also see.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "test-default.sqlite3"),
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        "ATOMIC_REQUESTS": True,  # as the LMS runs requests
        # One file per test process, so parallel runs (tox envs, two terminals) never share one.
        "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
    },
}
SANDBOX_LMS_THROTTLING = False  # tests/sandbox/test_throttling.py and the pacing tests turn it on
COMMERCE_LMS_RATE_LIMIT_PER_MINUTE = 0  # likewise: unit tests are not about the LMS's throttle
SANDBOX_REGISTRATION_ACTIVATION = False  # accounts active at once, unless a test is about activation
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast user creation in tests

# Tests flip Celery to a real worker in one place (tests/worker); keep their queue off Redis db 0.
CELERY_BROKER_URL = os.environ.get("SANDBOX_CELERY_BROKER", "redis://127.0.0.1:6379/15")

# As lms/envs/test.py does.
add_plugins(__name__, "lms.djangoapp", "test")

# A Celery worker started by the tests must use the database of the test run that started it.
if os.environ.get("SANDBOX_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["SANDBOX_DB_NAME"]
