"""``manage.py sandbox_fault``: arm a fault on the sandbox LMS (``503 --count 3``) or ``--clear`` them."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sandbox.lms.faults import VALID_KINDS, arm_fault, clear_faults


class Command(BaseCommand):
    help = "Make the next N LMS API calls fail (503, 429) or stall; --clear disarms every fault."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", nargs="?", choices=VALID_KINDS)
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--path-prefix", default="/api/")
        parser.add_argument("--stall-seconds", type=float, default=5.0)
        parser.add_argument("--clear", action="store_true", help="Disarm every fault.")

    def handle(self, *args, **options) -> None:
        if options["clear"]:
            clear_faults()
            self.stdout.write("All faults cleared.")
            return
        if not options["kind"]:
            raise CommandError("Give a fault kind (503, 429, stall) or --clear.")
        try:
            fault = arm_fault(
                options["kind"],
                options["count"],
                path_prefix=options["path_prefix"],
                stall_seconds=options["stall_seconds"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Armed: {fault}")
