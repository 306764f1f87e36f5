"""Reads: "who has access to what, and why" for one person (support agents and integrators)."""
from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from commerce_plugin.access.people import clean_email
from commerce_plugin.data import AccessGrant, AccessSource, CourseAccess, GrantSource, PersonAccess
from commerce_plugin.grants.ledger import MODE_RANK
from commerce_plugin.models import AccessRule, EnrollmentSync, Grant, Order, WorkgroupMember

__all__ = ["person_access"]


def _state(grant: Grant, now: datetime) -> str:
    if grant.revoked_at is not None:
        return "revoked"
    if grant.starts_at > now:
        return "upcoming"
    if grant.ends_at is not None and grant.ends_at <= now:
        return "ended"
    return "active"


def person_access(email: str, *, now: datetime | None = None) -> PersonAccess:
    """Every course run the person has, had or will have, each grant with its source, and the sync.

    A constant number of queries: grants, their orders, rules and memberships are read in one
    query each, whatever the number of grants.
    """
    now = now or timezone.now()
    email = clean_email(email)
    grants = list(Grant.objects.filter(email=email).order_by("course_key", "starts_at", "pk"))
    order_refs = [g.source_ref for g in grants if g.source == GrantSource.ORDER.value]
    orders = dict(Order.objects.filter(uuid__in=order_refs).values_list("uuid", "number")) if order_refs else {}
    orders = {str(key): number for key, number in orders.items()}
    rule_ids = {int(g.source_ref.split(":")[1]) for g in grants if g.source == GrantSource.RULE.value}
    rules = {rule.pk: rule for rule in AccessRule.objects.filter(pk__in=rule_ids).prefetch_related("workgroups")}
    groups_of_person = set(WorkgroupMember.objects.filter(person__email=email).values_list("workgroup_id", flat=True))
    syncs = {str(s.course_key): s for s in EnrollmentSync.objects.filter(email=email)}
    by_course: dict[str, list[AccessGrant]] = {}
    for grant in grants:
        if grant.source == GrantSource.ORDER.value:
            source = AccessSource(kind=GrantSource.ORDER, order_number=orders.get(grant.source_ref))
        elif grant.source == GrantSource.RULE.value:
            rule_id = int(grant.source_ref.split(":")[1])
            rule = rules.get(rule_id)
            names = tuple(sorted(w.name for w in rule.workgroups.all() if w.pk in groups_of_person)) if rule else ()
            source = AccessSource(kind=GrantSource.RULE, rule_id=rule_id, rule_name=rule.name if rule else None,
                                  workgroups=names, direct=":self:" in grant.source_ref or not names,
                                  note="self-enrolled through a public rule" if ":self:" in grant.source_ref
                                  else ("" if rule else "rule deleted"))
        else:
            source = AccessSource(kind=GrantSource(grant.source), note=grant.source_ref)
        by_course.setdefault(str(grant.course_key), []).append(AccessGrant(
            course_id=str(grant.course_key), mode=grant.mode, state=_state(grant, now), starts_at=grant.starts_at,
            ends_at=grant.ends_at, revoked_at=grant.revoked_at, source=source))
    courses = []
    for course_id, items in by_course.items():
        active = [g for g in items if g.state == "active"]
        mode = max((g.mode for g in active), key=lambda m: MODE_RANK.get(m, 1)) if active else None
        sync = syncs.get(course_id)
        courses.append(CourseAccess(
            course_id=course_id, active=bool(active), mode=mode, sync_state=sync.state if sync else None,
            lms_active=sync.lms_active if sync else None, lms_mode=sync.lms_mode if sync else "",
            last_error=sync.last_error if sync else "", grants=tuple(items)))
    has_account = get_user_model().objects.filter(email__iexact=email).exists()
    return PersonAccess(email=email, has_account=has_account, courses=tuple(courses))
