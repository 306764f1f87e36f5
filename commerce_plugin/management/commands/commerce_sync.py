"""``manage.py lms commerce_sync``: run the enrollment syncs that are due (cron without Celery beat).

Does what the periodic Celery task does: retries whose backoff has passed, pending changes the
broker never delivered, and people waiting for an LMS account. ``--id`` runs one record now
(like "retry now" in the admin). Safe to run as often as you like.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from commerce_plugin import api


class Command(BaseCommand):
    """Run due enrollment syncs."""

    help = "Run the LMS enrollment syncs that are due (or one, with --id)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--id", type=int, action="append", dest="ids", help="run this sync record now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("ids"):
            for sync_id in options["ids"]:
                self.stdout.write(f"sync {sync_id}: {api.retry_sync(sync_id)}")
            return
        counts = api.process_due_syncs()
        summary = ", ".join(f"{state}={count}" for state, count in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"Enrollment syncs run: {summary}")
