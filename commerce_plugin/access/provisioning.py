"""Provisioning (the seeds' "provision user"), mapped onto an LMS that owns its accounts.

The plugin never creates LMS accounts: passwords, activation and terms belong to the LMS's
registration. A person without an account is recorded, invited by email to sign up, and their
grants become ``enrollment_allowed`` records through the sync engine, so the LMS enrolls them the
moment they register (docs/decisions/0019).
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commerce_plugin.access.people import clean_email, person_for
from commerce_plugin.conf import get_setting
from commerce_plugin.data import ProvisionedPerson
from commerce_plugin.models import AccessChange, AccessPerson

__all__ = ["provision_person"]

log = logging.getLogger(__name__)


def _send_invitation(person_id: int) -> None:
    """Send the sign-up invitation once (``invited_at`` is the once), after the person committed."""
    person = AccessPerson.objects.filter(pk=person_id, invited_at__isnull=True).first()
    if person is None or person.user_id:
        return
    register_url = get_setting("COMMERCE_ACCESS_REGISTER_URL") or (
        getattr(settings, "LMS_ROOT_URL", "").rstrip("/") + "/register")
    context = {"first_name": person.first_name, "platform_name": getattr(settings, "PLATFORM_NAME", "Open edX"),
               "register_url": register_url, "email": person.email}
    with translation.override(getattr(settings, "LANGUAGE_CODE", "en")):
        subject = _("You have been given access to courses on %(platform)s") % {"platform": context["platform_name"]}
        text = render_to_string("commerce_plugin/emails/invitation.txt", context)
        html = render_to_string("commerce_plugin/emails/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, getattr(settings, "DEFAULT_FROM_EMAIL", None), [person.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:  # noqa: BLE001 - mail is best effort; provisioning again re-sends (invited_at stays empty)
        log.exception("access_invitation person_id=%s outcome=not_sent", person.pk)
        return
    AccessPerson.objects.filter(pk=person.pk).update(invited_at=timezone.now())


@transaction.atomic
def provision_person(*, email: str, first_name: str, last_name: str, actor: str) -> ProvisionedPerson:
    """Make sure the plugin knows the person; ``created`` is true only for a person new to the LMS.

    An existing LMS account (same email, case-insensitive): nothing is created and no email is
    sent. Otherwise the person is recorded and, unless ``COMMERCE_ACCESS_INVITATION_EMAIL`` is
    off, invited to sign up (once). The answer has the same shape in both cases.
    """
    email = clean_email(email)
    person, created = person_for(email, first_name=first_name, last_name=last_name)
    if not created and (first_name or last_name) and (person.first_name, person.last_name) != (first_name, last_name):
        person.first_name, person.last_name = first_name, last_name
        AccessPerson.objects.filter(pk=person.pk).update(first_name=first_name, last_name=last_name)
    account_exists = person.user_id is not None
    new_person = created and not account_exists
    if new_person:
        AccessChange.objects.create(actor=actor[:255], action="person_provisioned", subject=f"person:{person.pk}")
        if get_setting("COMMERCE_ACCESS_INVITATION_EMAIL"):
            transaction.on_commit(lambda: _send_invitation(person.pk))
    return ProvisionedPerson(email=person.email, first_name=person.first_name, last_name=person.last_name,
                             account_exists=account_exists, invited_at=person.invited_at, created=new_person)
