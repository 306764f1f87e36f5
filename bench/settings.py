"""Settings of the benchmarks: the MariaDB test settings, a database of their own, quiet logs."""
from __future__ import annotations

import os

from sandbox.settings.test_mysql import *  # noqa: F401,F403
from sandbox.settings.test_mysql import DATABASES

DATABASES["default"]["NAME"] = os.environ.get("COMMERCE_BENCH_DB", "commerce_bench")
ROOT_URLCONF = "bench.urls"
DEBUG = False
# Eager unless a worker process is started with SANDBOX_CELERY_EAGER=0; the scripts switch the
# Celery app's own setting where a phase must not run tasks inline.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("SANDBOX_CELERY_EAGER", "1") == "1"
CELERY_BROKER_URL = os.environ.get("SANDBOX_CELERY_BROKER", "redis://127.0.0.1:6379/9")
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
