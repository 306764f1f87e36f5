"""``manage.py lms commerce_access_windows``: sync the people whose access window opened or closed.

What the periodic Celery task does, for cron. Safe to run late or twice: it catches up from the
previous run's time (ADR 0019).
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commerce_plugin import api


class Command(BaseCommand):
    """Apply access rule and membership time windows."""

    help = "Sync the enrollments of people whose access window (rule or membership) opened or closed."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = api.apply_time_windows()
        self.stdout.write(f"Access windows: {counts['pairs']} person/course pair(s) in {counts['courses']} "
                          "course run(s) queued for sync.")
