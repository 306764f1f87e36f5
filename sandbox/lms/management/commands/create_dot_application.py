"""The LMS's ``create_dot_application`` (``openedx/core/djangoapps/oauth_dispatch``), in miniature.

``name username --grant-type client-credentials --client-id ID --client-secret SECRET [--scopes
a,b] [--update] [--skip-authorization] [--redirect-uris ...]``, as Tutor's init jobs call it. Only
client-credentials applications mean anything to the sandbox's token endpoint; the other grant
types are accepted and stored the same way so a copied init script runs unchanged.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.lms.models import OAuthApplication

GRANT_TYPES = ("client-credentials", "authorization-code", "password")


class Command(BaseCommand):
    help = "Create or update an OAuth2 application of a user (the LMS's create_dot_application, in miniature)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("username")
        parser.add_argument("--grant-type", choices=GRANT_TYPES, required=True)
        parser.add_argument("--client-id")
        parser.add_argument("--client-secret")
        parser.add_argument("--scopes", default="")
        parser.add_argument("--redirect-uris", default="")
        parser.add_argument("--skip-authorization", action="store_true")
        parser.add_argument("--public", action="store_true")
        parser.add_argument("--update", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']}: create it with manage_user first")
        if not options["client_id"] or not options["client_secret"]:
            raise CommandError("--client-id and --client-secret are required by the sandbox")
        existing = OAuthApplication.objects.filter(name=options["name"]).first()
        if existing is not None and not options["update"]:
            self.stdout.write(f"application {options['name']} exists; pass --update to change it")
            return
        scopes = " ".join(scope for scope in options["scopes"].replace(",", " ").split()) or "read write email profile"
        fields = {"client_id": options["client_id"], "client_secret": options["client_secret"], "user": user,
                  "scopes": scopes}
        if existing is None:
            OAuthApplication.objects.create(name=options["name"], **fields)
        else:
            OAuthApplication.objects.filter(pk=existing.pk).update(**fields)
        self.stdout.write(f"application {options['name']} ({options['client_id']}) for {user.username}")
