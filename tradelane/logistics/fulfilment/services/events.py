"""Carrier events in: the signed webhook and the simulated network both end here.

Each event is one transaction: lock the shipment, store the event (unique per carrier and
event id: a duplicate is ignored), apply it if it is next in line, keep it pending if a
step before it is missing, ignore it if it is late or not allowed — then apply any pending
events that have become next. Out-of-order deliveries end in the same state as in-order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..carriers import CarrierEvent
from ..models import Shipment, ShipmentEvent
from . import movement


@dataclass(frozen=True)
class Outcome:
    event_id: str
    outcome: str  # applied | pending | ignored | duplicate | unknown_tracking_number
    status: str | None


def ingest_events(*, carrier: str, events: list[CarrierEvent]) -> list[Outcome]:
    return [_ingest(carrier, event) for event in events]


@transaction.atomic
def _ingest(carrier: str, event: CarrierEvent) -> Outcome:
    shipment = (
        Shipment.objects.select_for_update()
        .filter(tracking_number=event.tracking_number, carrier=carrier)
        .first()
    )
    if shipment is None:
        return Outcome(event.event_id, "unknown_tracking_number", None)
    if ShipmentEvent.objects.filter(carrier=carrier, event_id=event.event_id).exists():
        return Outcome(event.event_id, "duplicate", shipment.status)
    outcome = movement.apply(shipment, event.code, event.occurred_at, note=event.note)
    ShipmentEvent.objects.create(
        shipment=shipment,
        carrier=carrier,
        event_id=event.event_id,
        code=event.code,
        occurred_at=event.occurred_at,
        location=event.location[:120],
        note=event.note[:300],
        outcome=outcome,
    )
    if outcome == movement.APPLIED:
        movement.replay_pending(shipment)
    return Outcome(event.event_id, outcome, shipment.status)
