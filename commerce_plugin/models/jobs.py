"""When each periodic job last ran: what the production checks read to say "the jobs are running"."""
from __future__ import annotations

from django.db import models
from django.utils import timezone

#: The periodic jobs, by the name each records its last run under.
PERIODIC_JOBS = ("process_due_syncs", "process_due_refunds", "expire_orders", "apply_access_windows",
                 "process_due_webhooks")


class JobRun(models.Model):
    """The last run of one periodic job (one row per job name, overwritten by each run).

    Written by the job itself, however it was started (Celery beat, cron, a person), so the
    status page can tell an operator that beat is not running before a learner notices.

    .. no_pii:
    """

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()
    last_outcome = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.last_run_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name: str, outcome: object) -> None:
        """Note that the periodic job ``name`` ran (one upsert), for the production checks."""
        cls.objects.update_or_create(name=name, defaults={"last_run_at": timezone.now(),
                                                          "last_outcome": str(outcome)[:255]})
