"""``manage.py lms commerce_webhooks``: apply stored Stripe events that are due (cron without beat).

Does what the periodic Celery task does: events whose retry time came, and events whose task was
lost. ``--retry EVENT_ID`` gives a parked event a fresh set of attempts and applies it now.
Safe to run as often as you like: applying an event twice changes nothing.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commerce_plugin import api


class Command(BaseCommand):
    """Apply due Stripe events, or retry one."""

    help = "Apply stored Stripe webhook events that are due; --retry evt_... retries a parked one now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry", metavar="EVENT_ID", help="the Stripe event id (evt_...) to retry now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry"]:
            try:
                outcome = api.retry_webhook_event_by_id(options["retry"])
            except api.NotFound as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Event {options['retry']}: {outcome}")
            return
        counts = api.process_due_webhooks()
        summary = ", ".join(f"{outcome}={count}" for outcome, count in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"Stripe events applied: {summary}")
