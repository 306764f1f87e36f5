"""Settings of the webhook benchmark: the MariaDB test settings, a database of its own, quiet logs."""
from __future__ import annotations

import os

from sandbox.settings.test_mysql import *  # noqa: F401,F403
from sandbox.settings.test_mysql import DATABASES

DATABASES["default"]["NAME"] = os.environ.get("COMMERCE_BENCH_DB", "commerce_bench")
ROOT_URLCONF = "bench.urls"
DEBUG = False
CELERY_TASK_ALWAYS_EAGER = True
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
