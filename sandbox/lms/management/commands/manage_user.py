"""The LMS's ``manage_user`` (``common/djangoapps/student/management/commands/manage_user.py``), in miniature.

The flags operators and Tutor's init jobs pass: ``username email [--staff] [--superuser]
[--unusable-password] [--remove]``. It creates the user or brings an existing one in line, so
the Tutor plugin's init script can run against the sandbox exactly as written.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create or update a user (the LMS's manage_user, as the sandbox serves it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("--staff", action="store_true")
        parser.add_argument("--superuser", action="store_true")
        parser.add_argument("--unusable-password", action="store_true")
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        user = users.filter(username=options["username"]).first()
        if options["remove"]:
            if user is not None:
                user.delete()
            return
        if user is not None and user.email.lower() != options["email"].lower():
            raise CommandError(f"user {user.username} exists with another email address ({user.email})")
        if user is None:
            user = users.create(username=options["username"], email=options["email"])
        user.is_staff = options["staff"] or options["superuser"]
        user.is_superuser = options["superuser"]
        if options["unusable_password"]:
            user.set_unusable_password()
        user.save()
        self.stdout.write(f"user {user.username}: staff={user.is_staff} superuser={user.is_superuser}")
