"""The asynchronous path for real: a paid order's LMS sync runs in a Celery worker over Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from commerce_plugin import api
from commerce_plugin.models import Order, SyncAttempt
from tests.conftest import wait_for

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(shop, settings):
    """A real worker (separate process) on the test database, and the test process not eager."""
    import redis

    from sandbox.celery import app

    broker = app.conf.broker_url  # the test settings' broker (Redis db 15), read once by Celery
    try:
        redis.Redis.from_url(broker).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"No Redis at {broker}: run scripts/redis-setup.sh (make test does).", pytrace=False)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "sandbox.settings.test"),
        "SANDBOX_DB_NAME": connection.settings_dict["NAME"],
        "SANDBOX_CELERY_EAGER": "0",
        "SANDBOX_CELERY_BROKER": broker,
        "SANDBOX_LMS_BASE_URL": shop.url,
        "SANDBOX_STRIPE_API_BASE": shop.stripe.url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sandbox", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    app.conf.task_always_eager = False  # read at each apply_async: this test's tasks go to the worker
    try:
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_the_sync_runs_in_the_worker_after_the_payment_commits(celery_worker_process, shop, product, learner):
    order = api.create_order(learner, product.uuid, base_url=shop.url)
    started = time.monotonic()
    shop.pay(order.checkout_url)

    fulfilled = wait_for(lambda: Order.objects.get(number=order.number).status == "fulfilled", timeout=30)
    if not fulfilled:
        celery_worker_process.terminate()
        pytest.fail(f"not fulfilled after {time.monotonic() - started:.1f}s; worker said:\n"
                    f"{celery_worker_process.communicate(timeout=10)[0][-3000:]}")
    assert SyncAttempt.objects.filter(action="enroll", outcome="ok").count() == 1
    from sandbox.lms.models import CourseEnrollment

    assert CourseEnrollment.objects.get(user__username="ada", course__course_id=product.course_key).is_active
