"""Common settings of the miniature LMS, shaped like ``lms/envs/common.py``.

The plugin is not listed in INSTALLED_APPS by hand: as in the LMS, the end of this module asks
edx-django-utils for every installed ``lms.djangoapp`` entry point and lets each apply its settings.
"""
from __future__ import annotations

import os
from pathlib import Path

from edx_django_utils.plugins import add_plugins, get_plugin_apps

from sandbox.lms.jwks import SANDBOX_JWT_PUBLIC_SIGNING_JWK_SET

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("SANDBOX_VAR_DIR", REPO_ROOT / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # SQLite files of the demo and the tests live here

# A sandbox key, public on purpose: the miniature LMS only ever listens on loopback.
SECRET_KEY = "sandbox-insecure-secret-key-for-local-use-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "sandbox.lms",
]

MIDDLEWARE = [
    "sandbox.lms.middleware.ApiCallLogMiddleware",
    "sandbox.lms.middleware.FaultInjectionMiddleware",
    "edx_django_utils.cache.middleware.RequestCacheMiddleware",
    "crum.CurrentRequestUserMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "crum.CurrentRequestUserMiddleware",  # as the LMS: the gate asks who made the request
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "sandbox.sqlite3"),
        # Server threads wait for each other's writes instead of failing with "database is locked".
        # IMMEDIATE: a transaction takes the write lock when it starts, so concurrent server threads
        # queue for it instead of failing with "database is locked" when a reader turns writer.
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
        "ATOMIC_REQUESTS": True,  # as the LMS runs (Tutor and edx-platform settings)
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/dashboard"

LMS_ROOT_URL = "http://127.0.0.1:8000"  # replaced by the real address when the server binds

# --- JWT, configured as the LMS configures it (openedx/envs/common.py and Tutor) ---
JWT_ISSUER = "http://127.0.0.1/oauth2"
JWT_AUDIENCE = "openedx"
JWT_SECRET_KEY = "sandbox-insecure-jwt-secret-for-loopback-only"
JWT_AUTH = {
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_ISSUER": JWT_ISSUER,
    "JWT_AUDIENCE": JWT_AUDIENCE,
    "JWT_SECRET_KEY": JWT_SECRET_KEY,
    "JWT_ALGORITHM": "HS256",
    "JWT_SUPPORTED_VERSION": "1.2.0",
    "JWT_LEEWAY": 1,
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_VERIFY_AUDIENCE": True,
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
    "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
    "JWT_ISSUERS": [{"ISSUER": JWT_ISSUER, "AUDIENCE": JWT_AUDIENCE, "SECRET_KEY": JWT_SECRET_KEY}],
    # The LMS always publishes RSA keys here. Left empty, edx-drf-extensions 10.9 would treat a
    # signature check against the empty set as passing, so the sandbox publishes a public key too
    # (its private half was discarded: the sandbox signs with the HS256 secret above).
    "JWT_PUBLIC_SIGNING_JWK_SET": SANDBOX_JWT_PUBLIC_SIGNING_JWK_SET,
}
JWT_ACCESS_TOKEN_EXPIRE_SECONDS = 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}

# The LMS runs CourseEnrollmentStarted steps from here; plugins add theirs in plugin_settings.
OPEN_EDX_FILTERS_CONFIG: dict = {}

# No New Relic or Datadog here: keep edx-django-utils from warning that it cannot load them.
OPENEDX_TELEMETRY: list[str] = []

# --- Miniature LMS knobs ---
SANDBOX_ENROLLMENTS_PAGE_SIZE = 100   # the LMS's CursorPagination page size
SANDBOX_CONTROL_ENDPOINTS = True      # /sandbox/ fault switches and call log, loopback only
# The enrollment API's throttles as the LMS sets them (sandbox/lms/throttling.py): on in the demo
# and the benchmarks, off in the unit tests (the tests that are about throttling turn them on).
SANDBOX_LMS_THROTTLING = os.environ.get("SANDBOX_LMS_THROTTLING", "1") == "1"
# New accounts wait for activation, as the LMS's do (sandbox/lms/registration.py).
SANDBOX_REGISTRATION_ACTIVATION = True
# The LMS's retirement signal lives in openedx.core, which the sandbox has not: its own stands in.
COMMERCE_RETIREMENT_SIGNAL = "sandbox.lms.retirement.USER_RETIRE_LMS_CRITICAL"

# --- The plugin's service account in the sandbox (created by the demo seed and the test fixtures) ---
COMMERCE_LMS_OAUTH_CLIENT_ID = "commerce-plugin-sandbox"
COMMERCE_LMS_OAUTH_CLIENT_SECRET = "sandbox-client-secret-not-for-production"

# --- Celery, as the LMS configures it; eager unless a worker is wanted (see sandbox/celery.py) ---
CELERY_TASK_ALWAYS_EAGER = os.environ.get("SANDBOX_CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_URL = os.environ.get("SANDBOX_CELERY_BROKER", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    "commerce-process-due-syncs": {"task": "commerce_plugin.tasks.process_due_syncs", "schedule": 60.0},
    "commerce-expire-orders": {"task": "commerce_plugin.tasks.expire_orders", "schedule": 60.0},
    "commerce-process-due-refunds": {"task": "commerce_plugin.tasks.process_due_refunds", "schedule": 60.0},
    "commerce-apply-access-windows": {"task": "commerce_plugin.tasks.apply_access_windows", "schedule": 60.0},
    "commerce-process-due-webhooks": {"task": "commerce_plugin.tasks.process_due_webhooks", "schedule": 60.0},
}

# --- Stripe: the localstripe stand-in; its address is set when it starts (python -m sandbox, tests) ---
COMMERCE_STRIPE_SECRET_KEY = "sk_test_sandbox"
COMMERCE_STRIPE_WEBHOOK_SECRET = "whsec_sandbox_only_not_a_real_secret"
COMMERCE_STRIPE_API_BASE = os.environ.get("SANDBOX_STRIPE_API_BASE") or None
COMMERCE_STRIPE_MAX_NETWORK_RETRIES = 0  # localstripe ignores idempotency keys: never retry blindly
if os.environ.get("SANDBOX_LMS_BASE_URL"):  # a separate worker process must call the same server
    COMMERCE_LMS_BASE_URL = os.environ["SANDBOX_LMS_BASE_URL"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"commerce_plugin": {"level": "INFO"}, "sandbox": {"level": "INFO"}},
}

# --- Plugin Django Apps: exactly the two lines lms/envs/common.py ends with ---
INSTALLED_APPS.extend(get_plugin_apps("lms.djangoapp"))
add_plugins(__name__, "lms.djangoapp", "common")
