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
) -> M:
    """Move ``instance`` to ``to_status`` and record it in ``history`` (linked by field ``link``).

    ``fields`` are saved together with the status. Returns the locked, updated row (the caller's
    instance is refreshed too).

    Raises:
        the exception ``refuse(row, from, to)`` builds, when ``table`` forbids the move from the
        row's current status; nothing is changed then.
    """
    status_type = type(to_status)
    model = type(instance)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        from_status = locked.status
        if to_status not in table[status_type(from_status)]:
            raise refuse(locked, from_status, to_status.value)
        locked.status = to_status.value
        for name, value in fields.items():
            setattr(locked, name, value)
        update = ["status", *fields]
        if any(field.name == "modified" for field in model._meta.fields):
            update.append("modified")
        locked.save(update_fields=update)
        history.objects.create(**{link: locked}, from_status=from_status, to_status=locked.status,
                               actor=actor, reason=reason[:history._meta.get_field("reason").max_length])
    instance.refresh_from_db()
    return locked
