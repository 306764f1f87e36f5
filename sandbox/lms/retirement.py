"""User retirement as the LMS runs it, in miniature (``user_api/accounts/views.py``, ``LMSAccountRetirementView``).

The LMS sends ``USER_RETIRE_LMS_CRITICAL`` (``sender``, ``user=``) so that code "in higher points
of the LMS" (plugins) retires what it holds, then scrubs the user row itself. The signal lives
here because the sandbox has no ``openedx`` package; the sandbox settings point
``COMMERCE_RETIREMENT_SIGNAL`` at it.
"""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.dispatch import Signal

USER_RETIRE_LMS_CRITICAL = Signal()


def retire_user(user: AbstractBaseUser) -> None:
    """Send the retirement signal, then scrub the account as the LMS does."""
    with transaction.atomic():
        USER_RETIRE_LMS_CRITICAL.send(sender=type(user), user=user)
        user.first_name = ""
        user.last_name = ""
        user.email = f"retired_email_{user.pk}@retired.invalid"
        user.username = f"retired_user_{user.pk}"
        user.is_active = False
        user.save()
