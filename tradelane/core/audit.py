"""Audit log of operator (and other privileged) actions."""

from __future__ import annotations

from django.db import models

from .access import Actor
from .models import AuditEntry


def record_audit(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEntry:
    """Append one audit row; call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor_user=actor.user if actor else None,
        actor_organisation=actor.organisation if actor else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        changes=changes or {},
    )


def diff(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for the fields whose value changed (values as strings)."""
    return {
        key: [
            None if before.get(key) is None else str(before.get(key)),
            None if value is None else str(value),
        ]
        for key, value in after.items()
        if before.get(key) != value
    }
