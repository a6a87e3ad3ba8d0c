"""The built-in simulated network: it moves parcels through the canonical milestones on a
clock that may run faster than real time (`FULFILMENT_CLOCK_SPEED`), with per-tier timings
and scripted exceptions per shipment (`scenario`).

`next_event(state, now)` is pure: given where a shipment is and since when, it says which
event the network produces next and when (or None: waiting, or finished). The Celery beat
task feeds these events into the same ingestion path as a real carrier's webhook.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..states import CANONICAL, RANK, ShipmentStatus
from . import CarrierEvent, PickupBooking, PickupRequest

S = ShipmentStatus
NAME = "simulated"

# Door-to-door transit, handover to delivery, in simulated hours.
TIER_HOURS = {"premium": 96, "standard": 168, "economy": 312}
# Share of the transit each step takes: picked_up → at_origin_hub → … → delivered.
STEP_SHARE = (0.06, 0.10, 0.08, 0.30, 0.16, 0.20, 0.10)
HOLD_HOURS = {S.CUSTOMS_HOLD: 24, S.DAMAGED: 6, S.RETURNING: 120}
LOCATIONS = {
    S.PICKED_UP: "{origin} warehouse",
    S.AT_ORIGIN_HUB: "{origin} gateway hub",
    S.EXPORT_CLEARED: "{origin} customs",
    S.DEPARTED: "{origin} gateway",
    S.ARRIVED_DESTINATION: "{destination} gateway",
    S.IMPORT_CLEARED: "{destination} customs",
    S.OUT_FOR_DELIVERY: "{destination} delivery station",
    S.DELIVERED: "{destination}",
}
SCENARIOS = ("normal", "customs_hold", "address_problem", "damaged", "lost")
# Where each scripted exception strikes.
STRIKES_AT = {
    "customs_hold": (S.ARRIVED_DESTINATION, S.CUSTOMS_HOLD),
    "address_problem": (S.OUT_FOR_DELIVERY, S.ADDRESS_PROBLEM),
    "damaged": (S.AT_ORIGIN_HUB, S.DAMAGED),
    "lost": (S.DEPARTED, S.LOST),
}


@dataclass(frozen=True, slots=True)
class SimState:
    tracking_number: str
    tier: str
    scenario: str
    status: str
    position: int  # rank of the last canonical milestone reached
    since: datetime  # when the shipment reached its status
    origin: str
    destination: str
    struck: bool  # the scripted exception happened already
    pickup_at: datetime | None  # planned pickup (created shipments, auto pickup only)
    attempt: int = 1  # delivery attempts (re-attempt after an address problem)


def step_hours(tier: str, target: str) -> float:
    index = RANK[target] - 2  # picked_up → at_origin_hub is the first step
    return TIER_HOURS.get(tier, TIER_HOURS["standard"]) * STEP_SHARE[index]


def _event(state: SimState, code: str, at: datetime, note: str = "") -> CarrierEvent:
    place = LOCATIONS.get(code, "{destination}").format(
        origin=state.origin, destination=state.destination
    )
    raw = f"{state.tracking_number}:{code}:{state.attempt}:{state.position}"
    event_id = "SIM-" + hashlib.sha256(raw.encode()).hexdigest()[:20]
    return CarrierEvent(event_id, state.tracking_number, code, at, place, note)


def _plan(state: SimState) -> tuple[str, float] | None:
    """The next event's code and its delay in simulated hours after `since`."""
    status = state.status
    if status == S.CREATED:
        return None
    if status in (S.CUSTOMS_HOLD, S.DAMAGED):
        return CANONICAL[state.position + 1], HOLD_HOURS[status]
    if status == S.RETURNING:
        return S.RETURNED, HOLD_HOURS[status]
    if status not in RANK or status == S.DELIVERED:
        return None  # address problem waits for an operator; terminal states end
    strike = STRIKES_AT.get(state.scenario)
    following = CANONICAL[state.position + 1]
    if strike and not state.struck and strike[0] == status:
        return strike[1], step_hours(state.tier, following) / 2
    return following, step_hours(state.tier, following)


def next_event(state: SimState, now: datetime, *, speed: float) -> CarrierEvent | None:
    """The event due by `now` on a clock `speed` times faster than real time, or None."""
    if state.status == S.CREATED:
        if state.pickup_at is None:
            return None
        at = max(state.pickup_at, state.since)
        due = state.since + (at - state.since) / speed
        return _event(state, S.PICKED_UP, due, "collected by the driver") if due <= now else None
    planned = _plan(state)
    if planned is None:
        return None
    code, hours = planned
    due = state.since + timedelta(hours=hours) / speed
    return _event(state, code, due) if due <= now else None


class SimulatedCarrier:
    name = NAME

    def book_pickup(self, request: PickupRequest) -> PickupBooking:
        return PickupBooking(
            reference=f"SIM-PU-{request.warehouse_id}-{request.day:%Y%m%d}", day=request.day
        )

    def label_reference(self, tracking_number: str) -> str:
        return f"SIM/{tracking_number}"

    def track(self, tracking_number: str) -> tuple[CarrierEvent, ...]:
        return ()  # the simulated network pushes its events (see tasks.advance_simulated)

    def cancel(self, tracking_number: str) -> bool:
        return True
