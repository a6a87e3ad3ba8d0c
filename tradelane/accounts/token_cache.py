"""A short-lived, per-process memo of bearer token → actor, so that a busy API client does
not pay a database round trip on every request.

The rule: a token that is revoked or expires, a member removed from the organisation and a
user deactivated are refused **at once** by the process that made the change (it forgets
its entries when the change commits) and by every other process within
`AUTH_TOKEN_CACHE_SECONDS` (default 5 s; 0 turns the memo off). An entry never outlives
its token's own expiry. What is kept is the rows' field values, never model instances:
every request gets fresh `User` and `Organisation` objects, so nothing one request does to
them leaks into the next.

Keys are the token's SHA-256 hash (what the database stores), never the secret.
"""

from __future__ import annotations

import functools
import threading
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor

MAX_ENTRIES = 10_000

_entries: dict[str, tuple[float, tuple]] = {}
_lock = threading.Lock()


def _now() -> float:
    return time.monotonic()


def seconds() -> float:
    return max(0.0, float(getattr(settings, "AUTH_TOKEN_CACHE_SECONDS", 0)))


@functools.cache
def _names(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def _values(instance) -> tuple:
    return tuple(getattr(instance, name) for name in _names(type(instance)))


def _rebuild(model, values: tuple):
    return model.from_db("default", _names(model), values)


def get(token_hash: str, *, user_model, organisation_model) -> Actor | None:
    """The actor memoised for this token hash, if still fresh; None otherwise."""
    entry = _entries.get(token_hash)
    if entry is None:
        return None
    until, (user_values, organisation_values, role) = entry
    if until <= _now():
        with _lock:
            if _entries.get(token_hash) is entry:
                del _entries[token_hash]
        return None
    return Actor(
        user=_rebuild(user_model, user_values),
        organisation=_rebuild(organisation_model, organisation_values),
        role=role,
        via="token",
    )


def put(token_hash: str, actor: Actor, *, expires_at=None) -> None:
    """Memoise `actor` for `seconds()` (less if the token expires sooner)."""
    ttl = seconds()
    if not ttl:
        return
    if expires_at is not None:
        ttl = min(ttl, (expires_at - timezone.now()).total_seconds())
        if ttl <= 0:
            return
    value = (_values(actor.user), _values(actor.organisation), actor.role)
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()  # a burst of distinct tokens: start afresh (rare, cheap to refill)
        _entries[token_hash] = (_now() + ttl, value)


def forget(token_hash: str | None = None) -> None:
    """Forget one token's entry (None: every entry) once the current transaction commits
    (at once outside a transaction), so a change rolled back forgets nothing it needs."""

    def drop():
        with _lock:
            if token_hash is None:
                _entries.clear()
            else:
                _entries.pop(token_hash, None)

    transaction.on_commit(drop)
