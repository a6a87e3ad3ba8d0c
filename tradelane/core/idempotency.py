"""`Idempotency-Key` for create endpoints (Stripe's contract).

- Same key + same body: the first response is replayed (status and body).
- Same key + another body (or another operation): 422 `idempotency_key_reused`.
- Concurrent duplicates: the key row is claimed by a unique insert in its own short
  transaction; a duplicate that arrives while the first is running gets 409
  `idempotency_in_progress` and a retry later gets the replay. One effect either way.
- With `atomic=True` (default) the action and the stored response commit together, so a
  crash leaves neither and a retry runs the action afresh.
- A domain error (4xx) is stored and replayed like a success; an unexpected exception
  releases the key so the client can retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .access import current_actor
from .errors import Conflict, DomainError, InvalidInput
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)


class Replay(Exception):
    def __init__(self, status: int, body):
        self.status, self.body = status, body


def request_hash(operation: str, payload) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{operation}\n{canonical}".encode()).hexdigest()


def _scope(request) -> str:
    actor = current_actor(request)
    if actor is None or actor.user is None:
        return "anonymous"
    return f"user:{actor.user.pk}"


def run(
    request,
    *,
    operation: str,
    payload,
    action: Callable[[], tuple[int, object]],
    atomic: bool = True,
):
    """Run `action` (returning `(status, json_body)`) at most once per Idempotency-Key.

    Returns `(status, body)`; a domain error raised by the action is re-raised the first
    time and replayed as `(status, error_body)` afterwards.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return action()
    key = key.strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise InvalidInput("Idempotency-Key must be 1 to 255 printable characters.", field=HEADER)
    digest = request_hash(operation, payload)
    record = _claim(_scope(request), key, operation, digest)
    if isinstance(record, Replay):
        return record.status, record.body
    try:
        if atomic:
            with transaction.atomic():
                status, body = action()
                _store(record, status, body)
        else:
            status, body = action()
            _store(record, status, body)
    except DomainError as error:
        _store(record, error.status, error.as_dict())
        raise
    except BaseException:
        IdempotencyKey.objects.filter(pk=record.pk).delete()
        raise
    return status, body


def _claim(scope: str, key: str, operation: str, digest: str):
    now = timezone.now()
    lock_until = now + timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                scope=scope,
                key=key,
                operation=operation,
                request_hash=digest,
                locked_until=lock_until,
            )
    except IntegrityError:
        pass
    with transaction.atomic():
        record = IdempotencyKey.objects.select_for_update().get(scope=scope, key=key)
        if record.operation != operation or record.request_hash != digest:
            raise InvalidInput(
                "This Idempotency-Key was used with a different request.",
                field=HEADER,
                code="idempotency_key_reused",
            )
        if record.status_code is not None:
            return Replay(record.status_code, record.response)
        if record.locked_until > now:
            raise Conflict(
                "A request with this Idempotency-Key is still being processed; retry shortly.",
                field=HEADER,
                code="idempotency_in_progress",
            )
        record.locked_until = lock_until  # the first attempt died: take it over
        record.save(update_fields=["locked_until"])
        return record


def _store(record: IdempotencyKey, status: int, body) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(status_code=status, response=body)


def purge_expired() -> int:
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - RETENTION).delete()
    return deleted
