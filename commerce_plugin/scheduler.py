"""Queue a Celery task by name after the current transaction commits (ids only).

The task is looked up in the Celery app's registry (``commerce_plugin.tasks`` registers ours when
the app is ready), so domain code never imports the task layer. With
``CELERY_TASK_ALWAYS_EAGER`` the task runs inline at commit; when the broker cannot be reached the
work stays due in the database and the periodic sweeps run it: nothing is lost.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction

__all__ = ["schedule_task"]

log = logging.getLogger(__name__)


def schedule_task(task_name: str, ids: Iterable[int]) -> None:
    """Queue ``task_name(id)`` once per id, in order, after the surrounding transaction commits."""
    for item_id in dict.fromkeys(ids):
        transaction.on_commit(lambda item_id=item_id: _dispatch(task_name, item_id))


def _dispatch(task_name: str, item_id: int) -> None:
    from celery import current_app

    try:
        task = current_app.tasks.get(task_name)
        # No publish retries: with the broker down, a request must not wait through Celery's
        # reconnect loop; the work is already due in the database and the sweep runs it.
        if task is not None:
            task.apply_async((item_id,), retry=False)
        else:
            current_app.send_task(task_name, args=[item_id], retry=False)
    except Exception:  # noqa: BLE001 - the sweep is the safety net; the state change has committed
        log.exception("task=%s id=%s outcome=not_queued (the periodic sweep will run it)", task_name, item_id)
