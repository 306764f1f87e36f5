"""Run the sync of a pair after the current transaction commits, in a Celery task (ids only).

The task is looked up by name in the Celery app's registry (``commerce_plugin.tasks`` registers
it when the app is ready), so the domain never imports the task layer. With
``CELERY_TASK_ALWAYS_EAGER`` the task runs inline at commit; when the broker cannot be reached
the record stays pending and the periodic sweep (``commerce_sync``) picks it up: nothing is lost.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

__all__ = ["SYNC_TASK", "schedule_sync"]

log = logging.getLogger(__name__)

SYNC_TASK = "commerce_plugin.tasks.sync_enrollment"


def schedule_sync(sync_ids: Iterable[int]) -> None:
    """Queue one sync task per record once the surrounding transaction has committed."""
    for sync_id in dict.fromkeys(sync_ids):  # once each, in order
        transaction.on_commit(lambda sync_id=sync_id: _dispatch(sync_id))


def _dispatch(sync_id: int) -> None:
    from celery import current_app

    try:
        task = current_app.tasks.get(SYNC_TASK)
        if task is not None:
            task.delay(sync_id)
        else:
            current_app.send_task(SYNC_TASK, args=[sync_id])
    except Exception:  # noqa: BLE001 - the sweep is the safety net; the state change has committed
        log.exception("enrollment_sync sync_id=%s outcome=not_queued (the periodic sweep will run it)", sync_id)
