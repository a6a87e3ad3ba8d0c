from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings

from tradelane.core import outbox
from tradelane.core.models import OutboxEvent, ProcessedEvent

CALLS: list[tuple[str, int]] = []


def record_call(event):
    CALLS.append(("record", event.id))


@outbox.outside_call
def external_call(event):
    CALLS.append(("external", event.id))


def failing_handler(event):
    raise RuntimeError("handler broke")


HANDLERS = {
    "test.happened": [record_call, external_call],
    "test.fails": [failing_handler, record_call],
}


@pytest.fixture(autouse=True)
def registry():
    CALLS.clear()
    with override_settings(
        OUTBOX_HANDLERS="tradelane.core.tests.test_outbox.HANDLERS", OUTBOX_RELAY_ON_COMMIT=False
    ):
        yield


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_event_recorded_in_rolled_back_transaction_is_never_delivered():
    with pytest.raises(Boom), transaction.atomic():
        outbox.record_event("test.happened", {"n": 1})
        raise Boom
    assert outbox.relay_pending() == 0
    assert OutboxEvent.objects.count() == 0
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_committed_event_is_delivered_to_every_handler_once():
    with transaction.atomic():
        event = outbox.record_event("test.happened", {"n": 1})
    assert outbox.relay_pending() == 1
    assert outbox.relay_pending() == 0
    assert CALLS == [("record", event.pk), ("external", event.pk)]
    event.refresh_from_db()
    assert event.delivered_at is not None and event.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_event_is_delivered_when_the_relay_dies_once_before_delivering():
    with transaction.atomic():
        event = outbox.record_event("test.happened", {"n": 2})
    # The relay process dies right after leasing the event (before any handler ran).
    with (
        mock.patch.object(outbox, "_run", side_effect=SystemExit("relay killed")),
        pytest.raises(SystemExit),
    ):
        outbox.relay_pending()
    event.refresh_from_db()
    assert event.delivered_at is None and event.leased_until is not None
    # While the dead relay's lease runs, nobody else delivers; after it expires, the next relay does.
    assert outbox.relay_pending() == 0
    OutboxEvent.objects.filter(pk=event.pk).update(leased_until=None)
    assert outbox.relay_pending() == 1
    assert CALLS == [("record", event.pk), ("external", event.pk)]


@pytest.mark.django_db(transaction=True)
def test_redelivery_skips_handlers_that_already_ran():
    with transaction.atomic():
        event = outbox.record_event("test.happened", {"n": 3})
    # The relay dies after the first handler committed, before the second ran.
    real_run = outbox._run

    def die_on_second(handler, name, ev):
        if handler is external_call:
            raise SystemExit("relay killed")
        real_run(handler, name, ev)

    with mock.patch.object(outbox, "_run", side_effect=die_on_second), pytest.raises(SystemExit):
        outbox.relay_pending()
    OutboxEvent.objects.filter(pk=event.pk).update(leased_until=None)
    assert outbox.relay_pending() == 1
    assert CALLS == [("record", event.pk), ("external", event.pk)]
    assert ProcessedEvent.objects.filter(event=event).count() == 2


@pytest.mark.django_db(transaction=True)
def test_failing_handler_is_retried_later_without_blocking_others():
    with transaction.atomic():
        event = outbox.record_event("test.fails", {})
    assert outbox.relay_pending() == 0
    event.refresh_from_db()
    assert event.delivered_at is None
    assert event.attempts == 1
    assert "handler broke" in event.last_error
    assert event.next_attempt_at > event.created_at
    assert CALLS == [("record", event.pk)]  # the healthy handler ran, once


@pytest.mark.django_db
def test_record_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it to test the guard
        with mock.patch("tradelane.core.outbox.connection") as conn:
            conn.in_atomic_block = False
            outbox.record_event("test.happened", {})


@pytest.mark.django_db
def test_record_events_writes_one_row_per_payload_in_batches():
    from django.db import transaction

    from tradelane.core.models import OutboxEvent
    from tradelane.core.outbox import record_events

    with transaction.atomic():
        assert record_events("test.bulk", [{"n": n} for n in range(5)], batch_size=2) == 5
    assert sorted(e.payload["n"] for e in OutboxEvent.objects.filter(topic="test.bulk")) == [
        0,
        1,
        2,
        3,
        4,
    ]
