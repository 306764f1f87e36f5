"""Small helpers shared by the learner pages."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect

from commerce_plugin import api
from commerce_plugin.data import OrderData

__all__ = ["HttpResponseSeeOther", "course_url", "get_order_or_404", "own_orders"]


class HttpResponseSeeOther(HttpResponseRedirect):
    """303: after a POST, the browser must GET the next page (never re-POST on reload)."""

    status_code = 303


def own_orders(user: AbstractBaseUser, **filters: object) -> QuerySet:
    """The user's *own* orders, newest first.

    ``api.orders_for`` returns every order to staff (it serves the support API); "my orders" and
    the checkout page are about the person's own purchases, staff included.
    """
    return api.orders_for(user, mine=True, **filters)


def get_order_or_404(number: str, user: AbstractBaseUser) -> OrderData:
    """The order if the user may see it (own, or staff); otherwise 404, never telling which."""
    try:
        return api.get_order(number, user=user)
    except api.NotFound as exc:
        raise Http404(str(exc)) from exc


def course_url(course_key: str) -> str:
    """Where "go to the course" leads: the learning MFE when the LMS has one, else the LMS course page."""
    mfe = getattr(settings, "LEARNING_MICROFRONTEND_URL", "") or ""
    if mfe:
        return f"{mfe.rstrip('/')}/course/{course_key}/home"
    return f"/courses/{course_key}/courseware"
