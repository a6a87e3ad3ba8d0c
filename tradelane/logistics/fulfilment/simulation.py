"""Drives the simulated network: for each moving shipment carried by `simulated`, ask the
network for its next due event and ingest it like a real carrier's webhook, until nothing
is due. Reads without locks; ingestion locks each shipment and ignores duplicates, so two
runs at once are harmless."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from . import conf
from .carriers.simulated import NAME, SimState, next_event
from .models import Shipment
from .services import ingest_events
from .states import ACTIVE, ShipmentStatus

MAX_STEPS = 20


def state_of(shipment: Shipment, *, auto_pickup: bool) -> SimState:
    struck = shipment.events.filter(
        code__in=(
            ShipmentStatus.CUSTOMS_HOLD,
            ShipmentStatus.ADDRESS_PROBLEM,
            ShipmentStatus.DAMAGED,
            ShipmentStatus.LOST,
        )
    ).exists()
    pickup_at = None
    if auto_pickup and shipment.status == ShipmentStatus.CREATED and shipment.pickup_id:
        pickup_at = shipment.pickup.pickup_at
    return SimState(
        tracking_number=shipment.tracking_number,
        tier=shipment.tier,
        scenario=shipment.scenario,
        status=shipment.status,
        position=shipment.position,
        since=shipment.status_since,
        origin=shipment.origin_country,
        destination=shipment.destination,
        struck=struck,
        pickup_at=pickup_at,
    )


def advance(*, now: datetime | None = None, speed: float | None = None) -> int:
    now = now or timezone.now()
    speed = speed or conf.clock_speed()
    auto = conf.auto_pickup()
    moved = 0
    ids = list(
        Shipment.objects.filter(carrier=NAME, status__in=ACTIVE)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for shipment_id in ids:
        for _ in range(MAX_STEPS):
            shipment = Shipment.objects.select_related("pickup").get(pk=shipment_id)
            event = next_event(state_of(shipment, auto_pickup=auto), now, speed=speed)
            if event is None:
                break
            outcome = ingest_events(carrier=NAME, events=[event])[0]
            if outcome.outcome != "applied":
                break
            moved += 1
    return moved
