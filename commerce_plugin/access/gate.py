"""The enrollment gate: may this learner enroll themselves in this course run? (ADR 0019)

A course run is *protected* when a product of it is on sale or a private rule names it. Into a
protected run only these enroll: staff, a request made by staff or the plugin's service user (the
sync engine enrolls through the LMS API with that staff user), a learner with a grant in force,
and any signed-in learner while a public rule is open. Unprotected runs are untouched, and
``COMMERCE_ENROLLMENT_GATE`` turns the gate off.

The decision only reads. The grant of a learner who came in through a public rule is written
when the LMS reports the enrollment (:func:`record_self_enrollment`), never inside the filter
step, which runs before the LMS has decided anything.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.access.grants import self_ref
from commerce_plugin.access.people import person_for
from commerce_plugin.conf import get_setting
from commerce_plugin.data import AccessRuleType, GateDecision, GrantSource
from commerce_plugin.grants.ledger import active_grants, add_grant, normalize_email
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.models import AccessRule, Product

__all__ = ["gate_decision", "record_self_enrollment"]


def _requester() -> Any:
    """The user of the current request, when the host has django-crum (the LMS does)."""
    try:
        from crum import get_current_user
    except ImportError:  # pragma: no cover - the LMS always has it; other hosts may not
        return None
    return get_current_user()


def _on_sale(course_key: CourseKey, now: datetime) -> Any:
    return Product.objects.filter(course_key=course_key, is_active=True).filter(
        Q(sale_starts_at__isnull=True) | Q(sale_starts_at__lte=now)).filter(
        Q(sale_ends_at__isnull=True) | Q(sale_ends_at__gt=now))


def _open_public_rule(course_key: CourseKey, now: datetime) -> AccessRule | None:
    return AccessRule.objects.filter(course_key=course_key, type=AccessRuleType.PUBLIC.value,
                                     starts_at__lte=now, ends_at__gt=now).order_by("ends_at").last()


def _buy_url(product: Product | None) -> str:
    if product is None:
        return ""
    try:
        return reverse("commerce_plugin:checkout", kwargs={"product_uuid": product.uuid})
    except NoReverseMatch:  # pragma: no cover - the pages are always mounted with the plugin
        return ""


def _is_privileged(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)))


def gate_decision(user: Any, course_key: CourseKey, *, now: datetime | None = None) -> GateDecision:
    """The gate's answer, with a stable ``reason`` (and the link to buy when refused)."""
    now = now or timezone.now()
    if not get_setting("COMMERCE_ENROLLMENT_GATE"):
        return GateDecision(True, "gate_off")
    if _is_privileged(user):
        return GateDecision(True, "staff")
    if _is_privileged(_requester()):
        return GateDecision(True, "requested_by_staff")
    product = _on_sale(course_key, now).order_by("price", "pk").first()
    private = AccessRule.objects.filter(course_key=course_key, type=AccessRuleType.PRIVATE.value).exists()
    if product is None and not private:
        return GateDecision(True, "unprotected")
    email = getattr(user, "email", "") or ""
    if email and active_grants(email, course_key, now).exists():
        return GateDecision(True, "grant")
    if _open_public_rule(course_key, now) is not None:
        return GateDecision(True, "public_rule")
    return GateDecision(False, "purchase_required" if product is not None else "not_in_rule", _buy_url(product))


def record_self_enrollment(email: str, user_id: int | None, course_key: CourseKey, *,
                           now: datetime | None = None) -> bool:
    """The LMS enrolled a learner: if an open public rule let them in, give them its grant.

    Only when they hold no grant in force already (orders, other rules and the plugin's own
    enrollments have theirs), so the grant records why they are there and ends with the rule.
    Returns True when a grant was written.
    """
    now = now or timezone.now()
    email = normalize_email(email)
    rule = _open_public_rule(course_key, now)
    if rule is None or active_grants(email, course_key, now).exists():
        return False
    with transaction.atomic():
        person, _created = person_for(email)
        _grant, sync, created = add_grant(
            email=email, course_key=course_key, mode=rule.mode, source=GrantSource.RULE,
            source_ref=self_ref(rule.pk, person.pk), user_id=user_id or person.user_id,
            starts_at=now, ends_at=rule.ends_at)
        schedule_sync([sync.pk])
    return created
