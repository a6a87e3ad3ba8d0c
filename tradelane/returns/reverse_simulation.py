"""The simulated carrier of return parcels: drop-off about a day after the label (or
pickup on the booked date), then in transit and arrival at the return point, on
fulfilment's accelerated clock (`FULFILMENT_CLOCK_SPEED`). Each due scan goes through
`reverse.record_scan`, like a real carrier's webhook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from tradelane.logistics.fulfilment import conf as fulfilment_conf

from .models import ReverseShipment
from .reverse import CARRIER, SCANS, Method, R, record_scan, scan_location

# In simulated hours (the clock runs `FULFILMENT_CLOCK_SPEED` times faster than real time).
DROP_OFF_HOURS = 24  # the buyer drops the parcel off about a day after the label
PICKUP_HOUR = 10  # the driver collects on the pickup date, 10:00 UTC
STEP_HOURS = {R.IN_TRANSIT: 6, R.ARRIVED: 36}  # domestic reverse economy


@dataclass(frozen=True)
class SimEvent:
    code: str
    at: datetime


def next_event(
    *,
    status: str,
    since: datetime,
    method: str,
    pickup_on: date | None,
    now: datetime,
    speed: float,
) -> SimEvent | None:
    """Pure: the simulated network's next scan of a reverse parcel due by `now`, or None."""
    if status == R.CREATED:
        if method == Method.PICKUP and pickup_on is not None:
            planned = datetime.combine(pickup_on, time(PICKUP_HOUR), tzinfo=UTC)
            due = since + max(planned - since, timedelta(0)) / speed
            code = R.PICKED_UP
        else:
            due = since + timedelta(hours=DROP_OFF_HOURS) / speed
            code = R.DROPPED_OFF
    elif status in (R.PICKED_UP, R.DROPPED_OFF):
        code = R.IN_TRANSIT
        due = since + timedelta(hours=STEP_HOURS[code]) / speed
    elif status == R.IN_TRANSIT:
        code = R.ARRIVED
        due = since + timedelta(hours=STEP_HOURS[code]) / speed
    else:
        return None
    return SimEvent(code, due) if due <= now else None


def advance(*, now: datetime | None = None, speed: float | None = None) -> int:
    """Move the simulated reverse parcels on: each due scan goes through `record_scan`
    (locks, ignores duplicates), so two runs at once are harmless. Returns the steps."""
    now = now or timezone.now()
    speed = speed or fulfilment_conf.clock_speed()
    moved = 0
    ids = list(
        ReverseShipment.objects.filter(carrier=CARRIER)
        .exclude(status=R.ARRIVED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for shipment_id in ids:
        for _ in range(len(SCANS)):
            shipment = ReverseShipment.objects.select_related("return_point").get(pk=shipment_id)
            event = next_event(
                status=shipment.status,
                since=shipment.status_since,
                method=shipment.method,
                pickup_on=shipment.pickup_on,
                now=now,
                speed=speed,
            )
            if event is None:
                break
            outcome = record_scan(
                tracking_number=shipment.tracking_number,
                code=event.code,
                at=event.at,
                location=scan_location(shipment, event.code),
                note="simulated carrier",
            )
            if outcome.outcome != "applied":
                break
            moved += 1
    return moved
