"""User retirement (GDPR erasure): the LMS retires an account, the plugin forgets who the person was.

The LMS's retirement pipeline sends ``USER_RETIRE_LMS_CRITICAL`` (a Django signal, ``user=...``)
before it scrubs the user row. The plugin connects to it by dotted path
(``COMMERCE_RETIREMENT_SIGNAL``), never by importing the LMS. What it replaces, for the user's
id and for their email at the moment of retirement:

- the email of orders, grants, enrollment syncs and access people (whose names are blanked too;
  ``pii_retirement: local_api`` on those models)
  becomes ``retired_user_<id>@retired.invalid``: one stable value per user, so the unique
  (person, course run) pairs stay unique and the ledger still adds up;
- money records are kept as they are (payments, refunds, their Stripe ids and amounts): they
  carry no personal data, and the law that asks to erase a person asks to keep the books.
"""
from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q

from commerce_plugin.grants.ledger import normalize_email
from commerce_plugin.models import AccessPerson, EnrollmentSync, Grant, Order

__all__ = ["retire_user", "retired_email"]

log = logging.getLogger(__name__)


def retired_email(user_id: int) -> str:
    """The address that replaces a retired user's email everywhere in the plugin's tables."""
    return f"retired_user_{user_id}@retired.invalid"


def retire_user(user_id: int, email: str) -> dict[str, int]:
    """Replace the person's email in orders, grants and syncs; returns the rows changed per table."""
    replacement = retired_email(user_id)
    email = normalize_email(email or "")
    person = Q(user_id=user_id) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    with transaction.atomic():
        changed = {
            "orders": Order.objects.filter(person).update(email=replacement),
            "grants": Grant.objects.filter(person).update(email=replacement),
            "syncs": EnrollmentSync.objects.filter(person).update(email=replacement),
            # Workgroup members and rule people are this row: their email and names go with it.
            "people": AccessPerson.objects.filter(person).update(email=replacement, first_name="", last_name=""),
        }
    log.info("retirement user_id=%s orders=%s grants=%s syncs=%s", user_id, changed["orders"], changed["grants"],
             changed["syncs"])
    return changed
