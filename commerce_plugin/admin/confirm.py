"""Admin actions that ask before they act: a confirmation page with a small form (a note, a reason).

Like Django's "Delete selected" confirmation: the action's first call renders the page, which
posts the same action and selection back with ``confirm=yes`` and the form's fields; the action
then validates the form and acts. An invalid form (a required reason left empty) shows the page
again with the error, so nothing happens without what the API needs.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

__all__ = ["CONFIRM_FIELD", "confirmation_form", "render_confirmation"]

#: The hidden field that tells an action's second call (the confirmed one) from its first.
CONFIRM_FIELD = "confirm"


def confirmation_form(request: HttpRequest, form_class: type[forms.Form], **kwargs: Any) -> forms.Form:
    """The action's form, bound to the POST only when the confirmation page sent it."""
    data = request.POST if request.POST.get(CONFIRM_FIELD) == "yes" else None
    return form_class(data, **kwargs)


def render_confirmation(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, action: str, title: str,
    intro: str, items: Iterable[str], form: forms.Form, submit_label: str,
) -> TemplateResponse:
    """The confirmation page of ``action`` for the selected objects."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "intro": intro,
        "items": list(items),
        "form": form,
        "queryset": queryset,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_field": CONFIRM_FIELD,
        "submit_label": submit_label,
        "opts": opts,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "commerce_plugin/admin/action_confirmation.html", context)
