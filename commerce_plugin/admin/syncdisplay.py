"""The enrollment sync of a (person, course run) as an HTML block: state, last error, attempts.

Shared by the order page (the sync behind the order's enrollment) and the sync page itself.
"""
from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from commerce_plugin.models import EnrollmentSync

__all__ = ["ATTEMPTS_SHOWN", "render_sync"]

#: The newest attempts shown; a record retried for a day has many, and the recent ones tell the story.
ATTEMPTS_SHOWN = 50


def render_sync(sync: EnrollmentSync | None) -> SafeString:
    """The sync's state, schedule and newest attempts as a table (the template escapes every value)."""
    attempts = list(sync.attempt_log.all()[:ATTEMPTS_SHOWN]) if sync is not None else []
    context = {
        "sync": sync,
        "attempts": attempts,
        "more": sync is not None and sync.attempt_log.count() > len(attempts),
        "sync_url": reverse("admin:commerce_plugin_enrollmentsync_change", args=[sync.pk]) if sync else "",
    }
    return mark_safe(render_to_string("commerce_plugin/admin/enrollment_sync.html", context))  # noqa: S308
