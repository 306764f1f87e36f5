"""People named by workgroups and rules: found or recorded by email, linked to their LMS account.

The plugin runs inside the LMS, so "does an account have this email?" is a local read of the
user table, as the LMS's own ``enrollment_allowed`` matching is (case-insensitive).
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from commerce_plugin.access.errors import AccessInputInvalid
from commerce_plugin.grants.ledger import normalize_email
from commerce_plugin.models import AccessPerson

__all__ = ["clean_email", "person_for", "people_for"]


def clean_email(email: str, *, field: str = "email") -> str:
    """The normalised email, or :class:`AccessInputInvalid` naming ``field``."""
    value = normalize_email(email or "")
    try:
        validate_email(value)
    except ValidationError:
        raise AccessInputInvalid({field: [_("Enter a valid email address.")]}) from None
    if len(value) > AccessPerson._meta.get_field("email").max_length:
        raise AccessInputInvalid({field: [_("An email address has at most 254 characters.")]})
    return value


def _user_ids_by_email(emails: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    emails = list(emails)
    for start in range(0, len(emails), 500):
        batch = emails[start:start + 500]
        for pk, email in get_user_model().objects.filter(email__in=batch).values_list("pk", "email"):
            found.setdefault(normalize_email(email), pk)
    return found


def person_for(email: str, *, first_name: str = "", last_name: str = "") -> tuple[AccessPerson, bool]:
    """Find or record the person with this (already cleaned) email; ``(person, created)``."""
    person, created = AccessPerson.objects.get_or_create(email=email, defaults={
        "first_name": first_name, "last_name": last_name})
    if person.user_id is None:
        user_id = get_user_model().objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        if user_id:
            person.user_id = user_id
            AccessPerson.objects.filter(pk=person.pk).update(user_id=user_id)
    return person, created


def people_for(emails: list[str]) -> dict[str, AccessPerson]:
    """Find or record many people at once (bounded batches); email -> person."""
    people: dict[str, AccessPerson] = {}
    for start in range(0, len(emails), 500):
        batch = emails[start:start + 500]
        known = {p.email: p for p in AccessPerson.objects.filter(email__in=batch)}
        missing = [email for email in batch if email not in known]
        if missing:
            users = _user_ids_by_email(missing)
            AccessPerson.objects.bulk_create(
                [AccessPerson(email=email, user_id=users.get(email)) for email in missing],
                batch_size=500, ignore_conflicts=True)
            known = {p.email: p for p in AccessPerson.objects.filter(email__in=batch)}
        people.update(known)
    return people
