"""``manage.py sandbox_seed``: create the demo users, courses and OAuth2 application (idempotent)."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from sandbox.lms.seed import seed_demo


class Command(BaseCommand):
    help = "Create the sandbox LMS demo data: staff/learner users, two courses, the plugin's OAuth2 app."

    def handle(self, *args, **options) -> None:
        created = seed_demo()
        self.stdout.write(json.dumps(created, indent=2))
