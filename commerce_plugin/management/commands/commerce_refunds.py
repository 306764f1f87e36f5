"""``manage.py lms commerce_refunds``: send approved refunds that are due (cron without Celery beat).

Does what the periodic Celery task does: refunds approved but not yet sent (a broker outage), and
retries whose backoff has passed. Safe to run as often as you like: a refund is never sent twice.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commerce_plugin import api


class Command(BaseCommand):
    """Send due refunds to Stripe."""

    help = "Send approved refunds that are due to Stripe (new ones, and retries whose time has come)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = api.process_due_refunds()
        summary = ", ".join(f"{status}={count}" for status, count in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"Refunds processed: {summary}")
