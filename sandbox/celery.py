"""The sandbox's Celery app, set up like ``lms/celery.py``: Django settings under ``CELERY_``.

Eager by default (tests, the demo: no broker needed); ``SANDBOX_CELERY_EAGER=0`` with a Redis
broker runs tasks in a real worker (``celery -A sandbox worker``), as in production.
"""
from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings.demo")

app = Celery("sandbox")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
