"""The one way a status moves: under the row's lock, checked against a table, with a history row.

Orders and refunds each declare their table of allowed moves; this function makes a move for
either, so the guard (read the *current* status under ``select_for_update``), the save and the
audit row cannot drift apart between the two.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TypeVar

from django.db import models, transaction

__all__ = ["apply_transition"]

M = TypeVar("M", bound=models.Model)


def apply_transition(
    instance: M,
    to_status: StrEnum,
    *,
    table: Mapping[StrEnum, frozenset],
    history: type[models.Model],
    link: str,
    actor: str,
    reason: str,
    refuse: Callable[[M, str, str], Exception],
    fields: Mapping[str, object],
    locked: bool = False,
) -> M:
    """Move ``instance`` to ``to_status`` and record it in ``history`` (linked by field ``link``).

    ``fields`` are saved together with the status. Returns the locked, updated row; the caller's
    instance gets the same values (copied, not re-read: we just wrote them).

    ``locked=True`` says the caller already holds ``instance``'s row lock in its own transaction
    (it read it with ``select_for_update``): the row is not read again, and no savepoint is made;
    the caller's transaction is the unit.

    Raises:
        the exception ``refuse(row, from, to)`` builds, when ``table`` forbids the move from the
        row's current status; nothing is changed then.
    """
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("apply_transition(locked=True) needs the caller's transaction")
        _move(instance, to_status, table, history, link, actor, reason, refuse, fields)
        return instance
    with transaction.atomic():
        row = type(instance).objects.select_for_update().get(pk=instance.pk)
        _move(row, to_status, table, history, link, actor, reason, refuse, fields)
    for field in type(instance)._meta.concrete_fields:
        setattr(instance, field.attname, getattr(row, field.attname))
    return row


def _move(row: M, to_status: StrEnum, table: Mapping[StrEnum, frozenset], history: type[models.Model], link: str,
          actor: str, reason: str, refuse: Callable[[M, str, str], Exception], fields: Mapping[str, object]) -> None:
    """The move itself, on a row read under its lock: check, save with ``fields``, write history."""
    model = type(row)
    from_status = row.status
    if to_status not in table[type(to_status)(from_status)]:
        raise refuse(row, from_status, to_status.value)
    row.status = to_status.value
    for name, value in fields.items():
        setattr(row, name, value)
    update = ["status", *fields]
    if any(field.name == "modified" for field in model._meta.fields):
        update.append("modified")
    row.save(update_fields=update)
    history.objects.create(**{link: row}, from_status=from_status, to_status=row.status,
                           actor=actor, reason=reason[:history._meta.get_field("reason").max_length])
