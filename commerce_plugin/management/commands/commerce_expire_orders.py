"""``manage.py lms commerce_expire_orders``: expire pending orders whose seat hold ended.

What the periodic Celery task does, for cron. A session paid at the last second is fulfilled
instead of expired.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from commerce_plugin import api


class Command(BaseCommand):
    """Expire pending orders past their seat hold."""

    help = "Expire pending orders whose seat hold has ended, releasing their seats."

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = api.expire_orders()
        self.stdout.write(f"Expired {len(numbers)} order(s)" + (f": {', '.join(numbers)}" if numbers else "."))
