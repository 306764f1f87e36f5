"""Commands on workgroups, members and rules: each one transaction, audited, turned into grants.

Every command validates first and writes nothing when anything is wrong; then, in one
transaction, it changes the rows, applies the affected rules to the affected people only
(:func:`commerce_plugin.access.grants.apply_rule`), bumps their sync records and schedules the
syncs after commit. The LMS is never called from here.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from opaque_keys.edx.keys import CourseKey

from commerce_plugin.access.errors import AccessInputInvalid, AccessNotFound, RulesChanged
from commerce_plugin.access.grants import RuleChanges, apply_rule, retire_rule, touch_pairs
from commerce_plugin.access.people import clean_email, people_for, person_for
from commerce_plugin.conf import get_setting
from commerce_plugin.data import AccessRuleData, AccessRuleType, MemberData, RuleSetData, WorkgroupData
from commerce_plugin.grants.scheduler import schedule_sync
from commerce_plugin.limits import BULK_MEMBERS_MAX, NAME_MAX_LENGTH
from commerce_plugin.models import AccessChange, AccessRule, CourseRuleSet, Workgroup, WorkgroupMember
from commerce_plugin.scheduler import schedule_task

__all__ = [
    "bulk_put_members",
    "create_workgroup",
    "delete_rule",
    "delete_workgroup",
    "get_workgroup",
    "list_members",
    "list_workgroups",
    "member_to_data",
    "put_member",
    "remove_member",
    "replace_rules",
    "rules_of",
    "save_rule",
    "update_workgroup",
]


#: The task that reads a course's LMS enrollments before a large fan-out is swept.
FANOUT_TASK = "commerce_plugin.tasks.seed_access_fanout"


def _audit(actor: str, action: str, subject: str, detail: str = "") -> None:
    AccessChange.objects.create(actor=actor[:NAME_MAX_LENGTH], action=action, subject=subject[:255],
                                detail=detail[:1000])


def _follow(course_key: CourseKey, changes: Iterable[RuleChanges]) -> list[int]:
    """Bump the sync records of everyone whose grants changed and queue their syncs after commit.

    Above ``COMMERCE_ACCESS_INLINE_SYNC_LIMIT`` people one task reads the course's enrollments
    from the LMS in pages and records them, and the periodic sweep (``process_due_syncs`` runs
    every record whose generation moved) makes only the calls still needed, so a rule for 10,000
    people never queues 10,000 tasks from one request.
    """
    pairs: dict[str, int | None] = {}
    for change in changes:
        for email, user_id in change.pairs.items():
            pairs[email] = pairs.get(email) or user_id
    if not pairs:
        return []
    ids = touch_pairs(course_key, pairs)
    if len(ids) <= get_setting("COMMERCE_ACCESS_INLINE_SYNC_LIMIT"):
        schedule_sync(ids)
    else:
        # Read the course's LMS enrollments once (paged) before the sweep syncs them, so people
        # already enrolled in the mode cost no call (access/fanout.py).
        ruleset, _created = CourseRuleSet.objects.get_or_create(course_key=course_key)
        schedule_task(FANOUT_TASK, [ruleset.pk])
    return ids


# --- workgroups -------------------------------------------------------------------------------

def _workgroup_data(workgroup: Workgroup, member_count: int | None = None) -> WorkgroupData:
    if member_count is None:
        member_count = getattr(workgroup, "member_count", None)
        if member_count is None:
            member_count = workgroup.members.count()
    return WorkgroupData(id=workgroup.pk, name=workgroup.name, description=workgroup.description,
                         member_count=member_count, created=workgroup.created, modified=workgroup.modified)


def _workgroup(workgroup_id: int | str, *, lock: bool = False) -> Workgroup:
    query = Workgroup.objects.select_for_update() if lock else Workgroup.objects.all()
    try:
        return query.get(pk=int(workgroup_id))
    except (Workgroup.DoesNotExist, ValueError, TypeError):
        raise AccessNotFound(_("No workgroup has the id %(id)s.") % {"id": workgroup_id}, "workgroup") from None


def list_workgroups(*, name: str | None = None) -> Any:
    """Workgroups by name, each annotated with ``member_count`` (a queryset the edge paginates)."""
    query = Workgroup.objects.annotate(member_count=Count("members")).order_by("name", "pk")
    if name:
        query = query.filter(name__icontains=name)
    return query


def workgroup_to_data(workgroup: Workgroup) -> WorkgroupData:
    """The data object of a workgroup row (from :func:`list_workgroups`)."""
    return _workgroup_data(workgroup)


def get_workgroup(workgroup_id: int | str) -> WorkgroupData:
    """One workgroup, or :class:`AccessNotFound`."""
    return _workgroup_data(_workgroup(workgroup_id))


def create_workgroup(*, name: str, description: str = "", actor: str) -> WorkgroupData:
    """A new workgroup; its name must be unique."""
    try:
        with transaction.atomic():
            workgroup = Workgroup.objects.create(name=name, description=description)
            _audit(actor, "workgroup_created", f"workgroup:{workgroup.pk}", name)
    except IntegrityError:
        raise AccessInputInvalid({"name": [_("A workgroup with this name already exists.")]}) from None
    return _workgroup_data(workgroup, 0)


def update_workgroup(workgroup_id: int | str, *, actor: str, name: str | None = None,
                     description: str | None = None) -> WorkgroupData:
    """Rename or describe a workgroup (members and rules are untouched)."""
    try:
        with transaction.atomic():
            workgroup = _workgroup(workgroup_id, lock=True)
            if name is not None:
                workgroup.name = name
            if description is not None:
                workgroup.description = description
            workgroup.save()
            _audit(actor, "workgroup_updated", f"workgroup:{workgroup.pk}", workgroup.name)
    except IntegrityError:
        raise AccessInputInvalid({"name": [_("A workgroup with this name already exists.")]}) from None
    return _workgroup_data(workgroup)


@transaction.atomic
def delete_workgroup(workgroup_id: int | str, *, actor: str) -> None:
    """Delete a workgroup: exactly the grants it gave through its rules are revoked (or narrowed)."""
    workgroup = _workgroup(workgroup_id, lock=True)
    rules = list(workgroup.rules.all())
    person_ids = list(workgroup.members.values_list("person_id", flat=True))
    name = workgroup.name
    workgroup.delete()
    by_course: dict[CourseKey, list[RuleChanges]] = {}
    for rule in rules:
        by_course.setdefault(rule.course_key, []).append(apply_rule(rule, only_people=person_ids))
    for course_key, changes in by_course.items():
        _follow(course_key, changes)
    _audit(actor, "workgroup_deleted", f"workgroup:{workgroup_id}", name)


# --- members ----------------------------------------------------------------------------------

def member_to_data(member: WorkgroupMember, now: datetime | None = None) -> MemberData:
    """The data object of a membership (``person`` should be selected with it)."""
    now = now or timezone.now()
    return MemberData(workgroup_id=member.workgroup_id, email=member.person.email,
                      removal_date=member.removal_date, added_at=member.added_at, added_by=member.added_by,
                      active=member.removal_date is None or member.removal_date > now)


def list_members(workgroup_id: int | str, *, email: str | None = None, active: bool | None = None,
                 now: datetime | None = None) -> Any:
    """A workgroup's memberships by email (a queryset the edge paginates); 404 for an unknown group."""
    workgroup = _workgroup(workgroup_id)
    now = now or timezone.now()
    query = workgroup.members.select_related("person").order_by("person__email")
    if email:
        query = query.filter(person__email__icontains=email.strip().lower())
    if active is True:
        query = query.exclude(removal_date__lte=now)
    elif active is False:
        query = query.filter(removal_date__lte=now)
    return query


def _apply_rules_of(workgroup: Workgroup, person_ids: list[int]) -> None:
    by_course: dict[CourseKey, list[RuleChanges]] = {}
    for rule in workgroup.rules.all():
        by_course.setdefault(rule.course_key, []).append(apply_rule(rule, only_people=person_ids))
    for course_key, changes in by_course.items():
        _follow(course_key, changes)


@transaction.atomic
def put_member(workgroup_id: int | str, email: str, *, removal_date: datetime | None,
               actor: str) -> tuple[MemberData, bool]:
    """Add a person to a workgroup or change their removal date; ``(member, created)``.

    A removal date in the past is accepted: the membership (and the access it gives) ends at once.
    """
    email = clean_email(email)
    workgroup = _workgroup(workgroup_id, lock=True)
    person, _created = person_for(email)
    member, created = WorkgroupMember.objects.get_or_create(
        workgroup=workgroup, person=person, defaults={"removal_date": removal_date, "added_by": actor[:255]})
    if not created and member.removal_date != removal_date:
        member.removal_date = removal_date
        member.save(update_fields=["removal_date", "modified"])
    elif not created:
        return member_to_data(member), False  # nothing changed: no audit row, no grant work
    _apply_rules_of(workgroup, [person.pk])
    _audit(actor, "member_added" if created else "member_updated", f"workgroup:{workgroup.pk}:person:{person.pk}",
           f"removal_date={removal_date.isoformat() if removal_date else 'none'}")
    return member_to_data(member), created


@transaction.atomic
def remove_member(workgroup_id: int | str, email: str, *, actor: str) -> None:
    """Take a person out of a workgroup; 404 when they are not in it."""
    workgroup = _workgroup(workgroup_id, lock=True)
    email = email.strip().lower()
    member = workgroup.members.select_related("person").filter(person__email=email).first()
    if member is None:
        raise AccessNotFound(_("%(email)s is not a member of workgroup %(id)s.") % {
            "email": email, "id": workgroup.pk}, "member")
    person_id = member.person_id
    member.delete()
    _apply_rules_of(workgroup, [person_id])
    _audit(actor, "member_removed", f"workgroup:{workgroup.pk}:person:{person_id}")


def bulk_put_members(workgroup_id: int | str, rows: list[dict[str, Any]], *, actor: str) -> dict[str, int]:
    """Add or update up to ``BULK_MEMBERS_MAX`` members at once: all rows valid, or nothing written.

    ``rows`` are ``{"email": str, "removal_date": datetime | None}``. Returns counts
    ``{"created": n, "updated": n, "unchanged": n}``.
    """
    if len(rows) > BULK_MEMBERS_MAX:
        raise AccessInputInvalid({"members": [_("At most %(max)d rows per request.") % {"max": BULK_MEMBERS_MAX}]})
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, datetime | None] = {}
    for index, row in enumerate(rows):
        try:
            email = clean_email(row.get("email", ""), field=f"members.{index}.email")
        except AccessInputInvalid as exc:
            errors.update(exc.errors)
            continue
        if email in cleaned:
            errors[f"members.{index}.email"] = [_("This email appears twice in the list.")]
        cleaned[email] = row.get("removal_date")
    if errors:
        raise AccessInputInvalid(errors)
    with transaction.atomic():
        workgroup = _workgroup(workgroup_id, lock=True)
        people = people_for(list(cleaned))
        existing = {m.person_id: m for m in workgroup.members.filter(person_id__in=[p.pk for p in people.values()])}
        new, changed, unchanged = [], [], 0
        for email, removal_date in cleaned.items():
            person = people[email]
            member = existing.get(person.pk)
            if member is None:
                new.append(WorkgroupMember(workgroup=workgroup, person=person, removal_date=removal_date,
                                           added_by=actor[:255]))
            elif member.removal_date != removal_date:
                member.removal_date = removal_date
                member.modified = timezone.now()
                changed.append(member)
            else:
                unchanged += 1
        WorkgroupMember.objects.bulk_create(new, batch_size=500)
        WorkgroupMember.objects.bulk_update(changed, ["removal_date", "modified"], batch_size=500)
        touched = [m.person_id for m in new] + [m.person_id for m in changed]
        if touched:
            _apply_rules_of(workgroup, touched)
            _audit(actor, "members_bulk", f"workgroup:{workgroup.pk}",
                   f"created={len(new)} updated={len(changed)} unchanged={unchanged}")
    return {"created": len(new), "updated": len(changed), "unchanged": unchanged}


# --- rules ------------------------------------------------------------------------------------

def _rule_data(rule: AccessRule, workgroups: tuple[int, ...], people: tuple[str, ...]) -> AccessRuleData:
    return AccessRuleData(id=rule.pk, course_id=str(rule.course_key), name=rule.name,
                          type=AccessRuleType(rule.type), mode=rule.mode, starts_at=rule.starts_at,
                          ends_at=rule.ends_at, workgroups=workgroups, people=people)


def rules_of(course_key: CourseKey) -> RuleSetData:
    """The course run's rules and their version (three queries, whatever the number of rules)."""
    version = CourseRuleSet.objects.filter(course_key=course_key).values_list("version", flat=True).first() or 0
    rules = list(AccessRule.objects.filter(course_key=course_key).order_by("name", "pk"))
    workgroups: dict[int, list[int]] = {}
    people: dict[int, list[str]] = {}
    through_w = AccessRule.workgroups.through.objects.filter(accessrule__course_key=course_key)
    for rule_id, workgroup_id in through_w.values_list("accessrule_id", "workgroup_id").order_by("workgroup_id"):
        workgroups.setdefault(rule_id, []).append(workgroup_id)
    through_p = AccessRule.people.through.objects.filter(accessrule__course_key=course_key)
    for rule_id, email in through_p.values_list("accessrule_id", "accessperson__email").order_by(
            "accessperson__email"):
        people.setdefault(rule_id, []).append(email)
    return RuleSetData(course_id=str(course_key), version=version, rules=tuple(
        _rule_data(rule, tuple(workgroups.get(rule.pk, ())), tuple(people.get(rule.pk, ()))) for rule in rules))


def _validate_rules(course_key: CourseKey, entries: list[dict[str, Any]], current: dict[int, AccessRule]) -> None:
    errors: dict[str, list[str]] = {}
    names: dict[str, int] = {}
    ids: set[int] = set()
    wanted_groups = {gid for entry in entries for gid in entry.get("workgroups", [])}
    known_groups = set(Workgroup.objects.filter(pk__in=wanted_groups).values_list("pk", flat=True))
    for index, entry in enumerate(entries):
        rule_id = entry.get("id")
        if rule_id is not None:
            if rule_id not in current:
                errors[f"{index}.id"] = [_("Rule %(id)s is not a rule of %(course)s.") % {
                    "id": rule_id, "course": course_key}]
            elif rule_id in ids:
                errors[f"{index}.id"] = [_("Rule %(id)s appears twice in the list.") % {"id": rule_id}]
            ids.add(rule_id)
        name = entry["name"]
        if name in names:
            errors[f"{index}.name"] = [_("Another rule in the list (entry %(other)d) has this name.") % {
                "other": names[name]}]
        names.setdefault(name, index)
        if entry["ends_at"] <= entry["starts_at"]:
            errors[f"{index}.ends_at"] = [_("The rule must end after it starts.")]
        unknown = sorted(set(entry.get("workgroups", [])) - known_groups)
        if unknown:
            errors[f"{index}.workgroups"] = [_("No workgroup has the id(s) %(ids)s.") % {
                "ids": ", ".join(map(str, unknown))}]
        for position, email in enumerate(entry.get("people", [])):
            try:
                clean_email(email, field=f"{index}.people.{position}")
            except AccessInputInvalid as exc:
                errors.update(exc.errors)
    if errors:
        raise AccessInputInvalid(errors)


def replace_rules(course_key: CourseKey, entries: list[dict[str, Any]], *, if_match: int | None,
                  actor: str) -> RuleSetData:
    """Replace the course run's whole rule list: with ``id`` updates, without creates, missing deletes.

    ``entries`` are validated dicts (``name, type, mode, starts_at, ends_at, workgroups, people``,
    optional ``id``). The list is checked as a whole first; then it is applied under the course's
    :class:`~commerce_plugin.models.CourseRuleSet` row lock, so two concurrent replacements
    serialise. With ``if_match``, a version other than the current one raises
    :class:`RulesChanged` and nothing is written. Unchanged rules are left alone (no grant work).
    """
    default_mode = get_setting("COMMERCE_ACCESS_DEFAULT_MODE")
    # The row to lock exists before the transaction: one INSERT IGNORE in autocommit. Creating it
    # inside (get_or_create) lets concurrent first PUTs deadlock on MariaDB's gap locks.
    CourseRuleSet.objects.bulk_create([CourseRuleSet(course_key=course_key)], ignore_conflicts=True)
    with transaction.atomic():
        ruleset = CourseRuleSet.objects.select_for_update().get(course_key=course_key)
        if if_match is not None and if_match != ruleset.version:
            raise RulesChanged(ruleset.version)
        current = {rule.pk: rule for rule in AccessRule.objects.filter(course_key=course_key)}
        _validate_rules(course_key, entries, current)
        emails = sorted({clean_email(email) for entry in entries for email in entry.get("people", [])})
        people = people_for(emails) if emails else {}
        changes: list[RuleChanges] = []
        kept = {entry["id"] for entry in entries if entry.get("id") is not None}
        for rule_id, rule in current.items():
            if rule_id not in kept:
                changes.append(retire_rule(rule, reason=f"rule {rule.name!r} deleted"))
                _audit(actor, "rule_deleted", f"rule:{rule_id}", f"{course_key} {rule.name}")
                rule.delete()
        # Free every name that moves first, so two rules may swap names in one list.
        renamed = [entry for entry in entries
                   if entry.get("id") in current and current[entry["id"]].name != entry["name"]]
        for entry in renamed:
            AccessRule.objects.filter(pk=entry["id"]).update(name=f"~renaming~{entry['id']}")
        for entry in entries:
            fields = {"name": entry["name"], "type": entry.get("type", AccessRuleType.PRIVATE.value),
                      "mode": entry.get("mode") or default_mode, "starts_at": entry["starts_at"],
                      "ends_at": entry["ends_at"]}
            group_ids = set(entry.get("workgroups", []))
            person_ids = {people[clean_email(email)].pk for email in entry.get("people", [])}
            rule = current.get(entry.get("id")) if entry.get("id") is not None else None
            if rule is None:
                rule = AccessRule.objects.create(course_key=course_key, **fields)
                action = "rule_created"
            else:
                same = all(getattr(rule, key) == value for key, value in fields.items()) and (
                    set(rule.workgroups.values_list("pk", flat=True)) == group_ids) and (
                    set(rule.people.values_list("pk", flat=True)) == person_ids)
                if same:
                    continue
                for key, value in fields.items():
                    setattr(rule, key, value)
                rule.save()
                action = "rule_updated"
            rule.workgroups.set(group_ids)
            rule.people.set(person_ids)
            changes.append(apply_rule(rule))
            _audit(actor, action, f"rule:{rule.pk}", f"{course_key} {rule.name} {rule.type} "
                   f"{rule.starts_at.isoformat()}..{rule.ends_at.isoformat()} groups={sorted(group_ids)}")
        if changes:
            ruleset.version += 1
            ruleset.save(update_fields=["version", "modified"])
            _follow(course_key, changes)
    return rules_of(course_key)


def _entry_of(rule: AccessRuleData) -> dict[str, Any]:
    return {"id": rule.id, "name": rule.name, "type": rule.type.value, "mode": rule.mode,
            "starts_at": rule.starts_at, "ends_at": rule.ends_at, "workgroups": list(rule.workgroups),
            "people": list(rule.people)}


def save_rule(course_key: CourseKey, entry: dict[str, Any], *, actor: str) -> RuleSetData:
    """Create or update one rule (``entry`` with or without ``id``), validated with its siblings.

    What the admin's rule form calls: the same validation and grant work as a replace-all PUT,
    applied to the current list with this one entry changed.
    """
    current = rules_of(course_key)
    entries = [_entry_of(rule) for rule in current.rules if rule.id != entry.get("id")]
    return replace_rules(course_key, [*entries, entry], if_match=current.version, actor=actor)


def delete_rule(rule_id: int, *, actor: str) -> RuleSetData:
    """Delete one rule: exactly the grants it gave are revoked."""
    rule = AccessRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise AccessNotFound(_("No access rule has the id %(id)s.") % {"id": rule_id}, "rule")
    current = rules_of(rule.course_key)
    entries = [_entry_of(item) for item in current.rules if item.id != rule_id]
    return replace_rules(rule.course_key, entries, if_match=current.version, actor=actor)
