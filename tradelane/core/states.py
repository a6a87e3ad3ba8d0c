"""State machines as explicit tables.

An app's `states.py` defines `Status` (TextChoices) and `TRANSITIONS = {from: {to, ...}}`;
its services call `transition()` under the aggregate's lock, which checks the table,
writes the new status and one history row.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models

from .errors import InvalidTransition


def check_transition(
    table: Mapping[str, set[str] | frozenset[str]], current: str, target: str
) -> None:
    if target not in table.get(current, ()):
        raise InvalidTransition(
            f"Cannot change status from {current!r} to {target!r}.", field="status"
        )


def transition(
    obj: models.Model,
    target: str,
    *,
    table: Mapping[str, set[str] | frozenset[str]],
    history: type[models.Model],
    actor=None,
    note: str = "",
    field: str = "status",
    extra_update_fields: tuple[str, ...] = (),
):
    """Move `obj` to `target` and write a `history` row (its FK to obj is `subject`)."""
    current = getattr(obj, field)
    check_transition(table, current, target)
    setattr(obj, field, target)
    obj.save(update_fields=[field, *extra_update_fields])
    return history.objects.create(
        subject=obj,
        from_status=current,
        to_status=target,
        actor=getattr(actor, "user", actor),
        note=note[:500],
    )
