"""``manage.py lms commerce_check``: is this LMS ready for its first sale? Each line says what to fix.

Checks the LMS connection (service token, staff), the Stripe secret key (accepted, test or live
mode, account id), the webhook secret and the last webhook received, the periodic jobs' last
runs, and the products on sale whose course run or mode the LMS does not have. Exit status 1
when anything needs attention, so it fits init jobs and monitoring. The staff status page
(``/commerce/status/``) shows the same lines.
"""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commerce_plugin import api


class Command(BaseCommand):
    """Print every production check; fail when one needs attention."""

    help = "Check everything a first sale needs (LMS, Stripe key and webhook, periodic jobs, products)."

    def handle(self, *args: Any, **options: Any) -> None:
        checks = api.production_checks()
        for check in checks:
            mark = "OK  " if check.ok else "FAIL"
            self.stdout.write(f"{mark} {check.name:<26} {check.detail}")
            if not check.ok and check.fix:
                self.stdout.write(f"     {'':<26} fix: {check.fix}")
        failed = [check.name for check in checks if not check.ok]
        if failed:
            raise CommandError(f"{len(failed)} check(s) need attention: {', '.join(failed)}")
        self.stdout.write("Ready for a sale.")
