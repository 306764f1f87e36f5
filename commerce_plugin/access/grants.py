"""How rules become grants: one grant per (rule, person), written in bounded batches.

A private rule gives each person it names (directly, or through any of its workgroups) one grant
of ``source=rule`` with ``source_ref = "rule:<rule id>:<person id>"``. Its window runs from
``max(rule start, membership added)`` to ``min(rule end, removal date)``; a person named several
times (two workgroups, or a workgroup and directly) gets one grant from the earliest start to the
latest end. Applying a rule compares what it should give with the grants it gave and writes only
the difference: new grants in ``bulk_create`` batches, moved windows in ``bulk_update`` batches,
revocations in one ``UPDATE`` per batch. Nothing loops over people with a query each, so 10,000
members cost a few dozen statements (docs/decisions/0019).

A learner who self-enrolls through an open public rule gets ``"rule:<id>:self:<person id>"``,
ending with the rule; applying the rule again keeps it and moves its end with the rule's.

Every grant change bumps the pair's sync generation (in batches too); the caller schedules the
syncs after commit, as for orders.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db.models import F
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.data import GrantSource
from commerce_plugin.models import AccessRule, EnrollmentSync, Grant, WorkgroupMember

__all__ = ["BATCH", "RuleChanges", "apply_rule", "retire_rule", "rule_ref", "self_ref", "touch_pairs"]

#: Rows per statement in bulk writes and ``IN (...)`` lists: small enough for every database.
BATCH = 500

T = TypeVar("T")


def _chunks(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def rule_ref(rule_id: int, person_id: int) -> str:
    """The ``source_ref`` of a rule's grant to a person it names."""
    return f"rule:{rule_id}:{person_id}"


def self_ref(rule_id: int, person_id: int) -> str:
    """The ``source_ref`` of a grant taken by self-enrolling through an open public rule."""
    return f"rule:{rule_id}:self:{person_id}"


@dataclass
class _Want:
    email: str
    user_id: int | None
    starts_at: datetime
    ends_at: datetime

    def widen(self, starts_at: datetime, ends_at: datetime) -> None:
        self.starts_at = min(self.starts_at, starts_at)
        self.ends_at = max(self.ends_at, ends_at)


@dataclass
class RuleChanges:
    """What applying a rule wrote: counts, and the people whose sync must run."""

    created: int = 0
    moved: int = 0
    revoked: int = 0
    #: email -> LMS user id (when known) of every person whose grants changed.
    pairs: dict[str, int | None] = field(default_factory=dict)


def _wanted(rule: AccessRule, only_people: set[int] | None) -> dict[int, _Want]:
    """Person id -> the window this rule should give them (one read per source, no loop of queries)."""
    wanted: dict[int, _Want] = {}

    def want(person_id: int, email: str, user_id: int | None, starts_at: datetime, ends_at: datetime) -> None:
        if person_id in wanted:
            wanted[person_id].widen(starts_at, ends_at)
        else:
            wanted[person_id] = _Want(email, user_id, starts_at, ends_at)

    people = rule.people.all()
    members = WorkgroupMember.objects.filter(workgroup__rules=rule)
    if only_people is not None:
        people = people.filter(pk__in=only_people)
        members = members.filter(person_id__in=only_people)
    for person_id, email, user_id in people.values_list("pk", "email", "user_id"):
        want(person_id, email, user_id, rule.starts_at, rule.ends_at)
    for person_id, email, user_id, added_at, removal_date in members.values_list(
            "person_id", "person__email", "person__user_id", "added_at", "removal_date").iterator(chunk_size=2000):
        ends_at = min(rule.ends_at, removal_date) if removal_date else rule.ends_at
        want(person_id, email, user_id, max(rule.starts_at, added_at), ends_at)
    return wanted


def apply_rule(rule: AccessRule, *, only_people: Iterable[int] | None = None,
               now: datetime | None = None) -> RuleChanges:
    """Make the rule's grants what the rule says (all its people, or only ``only_people``).

    Call inside the transaction that changed the rule or the memberships; the returned pairs'
    generations are already bumped (:func:`touch_pairs`), the caller schedules their syncs.
    """
    now = now or timezone.now()
    only = set(only_people) if only_people is not None else None
    wanted = _wanted(rule, only)
    prefix = f"rule:{rule.pk}:"
    existing = Grant.objects.filter(source=GrantSource.RULE.value, source_ref__startswith=prefix)
    if only is not None:
        refs = [rule_ref(rule.pk, pid) for pid in only] + [self_ref(rule.pk, pid) for pid in only]
        existing = existing.filter(source_ref__in=refs)
    changes = RuleChanges()
    to_create: list[Grant] = []
    to_update: list[Grant] = []
    to_revoke: list[int] = []
    seen: set[str] = set()
    for grant in existing.only("pk", "email", "user_id", "source_ref", "starts_at", "ends_at", "revoked_at",
                               "mode").iterator(chunk_size=2000):
        seen.add(grant.source_ref)
        if ":self:" in grant.source_ref:
            # Self-enrolled through a public rule: it ends with the rule; it never outlives it.
            if grant.revoked_at is None and (grant.ends_at != rule.ends_at or grant.mode != rule.mode):
                grant.ends_at, grant.mode = rule.ends_at, rule.mode
                to_update.append(grant)
            continue
        person_id = int(grant.source_ref.rsplit(":", 1)[1])
        target = wanted.get(person_id)
        if target is None:
            if grant.revoked_at is None:
                to_revoke.append(grant.pk)
                changes.pairs[grant.email] = grant.user_id
            continue
        if (grant.revoked_at is not None or grant.starts_at != target.starts_at or grant.ends_at != target.ends_at
                or grant.mode != rule.mode):
            grant.starts_at, grant.ends_at, grant.mode = target.starts_at, target.ends_at, rule.mode
            grant.revoked_at, grant.revoke_reason = None, ""
            to_update.append(grant)
            changes.pairs[grant.email] = grant.user_id or target.user_id
    for person_id, target in wanted.items():
        if rule_ref(rule.pk, person_id) in seen or target.ends_at <= target.starts_at:
            continue  # an empty window (removal date before the rule opens) grants nothing
        to_create.append(Grant(
            email=target.email, user_id=target.user_id, course_key=rule.course_key, mode=rule.mode,
            source=GrantSource.RULE.value, source_ref=rule_ref(rule.pk, person_id),
            starts_at=target.starts_at, ends_at=target.ends_at))
        changes.pairs[target.email] = target.user_id
    for batch in _chunks(to_create):
        Grant.objects.bulk_create(batch, batch_size=BATCH)
    for batch in _chunks(to_update):
        Grant.objects.bulk_update(batch, ["starts_at", "ends_at", "mode", "revoked_at", "revoke_reason"],
                                  batch_size=BATCH)
        for grant in batch:
            changes.pairs[grant.email] = changes.pairs.get(grant.email) or grant.user_id
    for batch in _chunks(to_revoke):
        Grant.objects.filter(pk__in=batch).update(revoked_at=now, revoke_reason="no longer named by the rule")
    changes.created, changes.moved, changes.revoked = len(to_create), len(to_update), len(to_revoke)
    return changes


def retire_rule(rule: AccessRule, *, reason: str, now: datetime | None = None) -> RuleChanges:
    """Revoke every grant the rule gave (before the rule is deleted); the history rows stay."""
    now = now or timezone.now()
    grants = Grant.objects.filter(source=GrantSource.RULE.value, source_ref__startswith=f"rule:{rule.pk}:",
                                  revoked_at__isnull=True)
    changes = RuleChanges(pairs=dict(grants.values_list("email", "user_id")))
    changes.revoked = grants.update(revoked_at=now, revoke_reason=reason[:500])
    return changes


def touch_pairs(course_key: CourseKey, pairs: dict[str, int | None]) -> list[int]:
    """Create missing sync records and bump the generation of all of ``pairs``; returns their ids.

    Three statements per batch of 500 people, whatever the batch holds.
    """
    ids: list[int] = []
    emails = sorted(pairs)
    for batch in _chunks(emails):
        known = set(EnrollmentSync.objects.filter(course_key=course_key, email__in=batch)
                    .values_list("email", flat=True))
        missing = [EnrollmentSync(email=email, course_key=course_key, user_id=pairs[email])
                   for email in batch if email not in known]
        if missing:
            EnrollmentSync.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        records = EnrollmentSync.objects.filter(course_key=course_key, email__in=batch)
        records.update(generation=F("generation") + 1, modified=timezone.now())
        ids.extend(records.values_list("pk", flat=True))
    return ids
