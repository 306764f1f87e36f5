"""Run the sync of a pair after the current transaction commits (see :mod:`commerce_plugin.scheduler`)."""
from __future__ import annotations

from collections.abc import Iterable

from commerce_plugin.scheduler import schedule_task

__all__ = ["SYNC_TASK", "schedule_sync"]

SYNC_TASK = "commerce_plugin.tasks.sync_enrollment"


def schedule_sync(sync_ids: Iterable[int]) -> None:
    """Queue one sync task per record once the surrounding transaction has committed."""
    schedule_task(SYNC_TASK, sync_ids)
