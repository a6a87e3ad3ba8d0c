"""Carrier adapters: what the platform asks of a carrier, behind one interface.

    carrier = get_carrier("simulated")
    booking = carrier.book_pickup(PickupRequest(...))
    carrier.track(tracking_number) -> tuple[CarrierEvent, ...]

Real carriers also push events to `POST /api/v1/carriers/{carrier}/webhook` (signed); both
paths end in `services.events.ingest_events`, idempotent by the carrier's event id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from tradelane.core.errors import NotFound


@dataclass(frozen=True, slots=True)
class CarrierEvent:
    event_id: str  # the carrier's own id: unique per carrier, duplicates are ignored
    tracking_number: str
    code: str  # a ShipmentStatus value
    occurred_at: datetime
    location: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PickupRequest:
    warehouse_id: int
    day: date
    parcels: int
    ready_by: datetime


@dataclass(frozen=True, slots=True)
class PickupBooking:
    reference: str
    day: date


class CarrierAdapter(Protocol):
    name: str

    def book_pickup(self, request: PickupRequest) -> PickupBooking: ...

    def label_reference(self, tracking_number: str) -> str: ...

    def track(self, tracking_number: str) -> tuple[CarrierEvent, ...]: ...

    def cancel(self, tracking_number: str) -> bool: ...


def get_carrier(name: str) -> CarrierAdapter:
    from .simulated import SimulatedCarrier

    carriers = {"simulated": SimulatedCarrier}
    if name not in carriers:
        raise NotFound("No such carrier.", field="carrier")
    return carriers[name]()
