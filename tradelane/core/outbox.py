"""Transactional outbox.

`record_event()` writes an event in the caller's transaction, so an event exists if and
only if the business change committed. The relay (a Celery task run by the worker, kicked
after each commit and swept by beat every few seconds) leases pending events, runs the
handlers registered for each topic in `config/events.py`, and marks the event delivered.

Delivery is at least once: a relay that dies mid-way leaves a lease that expires, and the
next relay delivers again. Handlers are made idempotent by `ProcessedEvent`: a handler
that writes runs in one transaction with its ProcessedEvent row, so its effect happens
exactly once; a handler marked `@outside_call` (e-mail, webhooks) runs outside any
transaction and may, after a crash, run twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import OutboxEvent, ProcessedEvent

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Event:
    id: int
    topic: str
    payload: dict
    created_at: datetime


def outside_call(handler: Callable) -> Callable:
    """Mark a handler that talks to the outside world: run it outside any transaction."""
    handler.outside_call = True
    return handler


def record_event(topic: str, payload: dict) -> OutboxEvent:
    """Record an event in the current transaction. Refuses to run outside one."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_event() must be called inside the business transaction")
    event = OutboxEvent.objects.create(topic=topic, payload=payload)
    if settings.OUTBOX_RELAY_ON_COMMIT:
        transaction.on_commit(_kick_relay)
    return event


def record_events(topic: str, payloads: list[dict], *, batch_size: int = 1000) -> int:
    """Record many events of one topic in the current transaction with batched INSERTs
    (bulk edits: one event per changed row without one round trip per row)."""
    if not connection.in_atomic_block:
        raise RuntimeError("record_events() must be called inside the business transaction")
    if not payloads:
        return 0
    OutboxEvent.objects.bulk_create(
        [OutboxEvent(topic=topic, payload=payload) for payload in payloads],
        batch_size=batch_size,
    )
    if settings.OUTBOX_RELAY_ON_COMMIT:
        transaction.on_commit(_kick_relay)
    return len(payloads)


def _kick_relay() -> None:
    from .tasks import relay_outbox

    try:
        relay_outbox.delay()
    except Exception:  # broker down: beat's sweep delivers later
        log.warning(
            "could not enqueue the outbox relay; the periodic sweep will deliver", exc_info=True
        )


def handlers_for(topic: str) -> list[Callable]:
    registry = import_string(settings.OUTBOX_HANDLERS)
    return list(registry.get(topic, ()))


def handler_name(handler: Callable) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def relay_pending(*, batch: int = 100) -> int:
    """Deliver up to `batch` due events; returns how many were delivered."""
    now = timezone.now()
    ids = list(
        OutboxEvent.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )
    return sum(1 for event_id in ids if deliver(event_id))


def _lease(event_id: int) -> OutboxEvent | None:
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            OutboxEvent.objects.filter(pk=event_id, delivered_at__isnull=True)
            .exclude(leased_until__gt=now)
            .update(leased_until=now + LEASE)
        )
    return OutboxEvent.objects.get(pk=event_id) if claimed else None


def deliver(event_id: int) -> bool:
    """Run every handler of one event that has not run yet; True when all succeeded."""
    row = _lease(event_id)
    if row is None:
        return False  # delivered already, or another relay holds the lease
    event = Event(row.pk, row.topic, row.payload, row.created_at)
    errors = []
    for handler in handlers_for(event.topic):
        name = handler_name(handler)
        if ProcessedEvent.objects.filter(event_id=event.id, handler=name).exists():
            continue
        try:
            _run(handler, name, event)
        except Exception as exc:  # a failing handler must not stop the others
            log.exception("outbox handler %s failed on %s#%s", name, event.topic, event.id)
            errors.append(f"{name}: {exc!r}")
    now = timezone.now()
    if errors:
        backoff = min(timedelta(seconds=2 ** min(row.attempts + 1, 12)), MAX_BACKOFF)
        OutboxEvent.objects.filter(pk=event.id).update(
            attempts=row.attempts + 1,
            next_attempt_at=now + backoff,
            leased_until=None,
            last_error="\n".join(errors)[:4000],
        )
        return False
    OutboxEvent.objects.filter(pk=event.id).update(
        delivered_at=now, attempts=row.attempts + 1, leased_until=None, last_error=""
    )
    return True


def _run(handler: Callable, name: str, event: Event) -> None:
    if getattr(handler, "outside_call", False):
        handler(event)
        with contextlib.suppress(IntegrityError):  # a racing relay recorded it first
            ProcessedEvent.objects.create(event_id=event.id, handler=name)
        return
    with transaction.atomic():
        handler(event)
        ProcessedEvent.objects.create(event_id=event.id, handler=name)
