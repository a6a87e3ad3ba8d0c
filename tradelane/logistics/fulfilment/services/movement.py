"""Moving a locked shipment: one status change with its history row, the order following
it, and the events other contexts react to. Callers hold the shipment's row lock."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tradelane.core.outbox import record_event
from tradelane.core.states import transition
from tradelane.orders import services as orders

from ..models import Pickup, Shipment, ShipmentEvent, ShipmentStatusChange
from ..states import CANONICAL, RANK, TERMINAL, TRANSITIONS, ShipmentStatus
from . import promise

S = ShipmentStatus
APPLIED, PENDING, IGNORED = "applied", "pending", "ignored"


def payload(shipment: Shipment) -> dict:
    return {
        "shipment_id": shipment.pk,
        "order_id": shipment.order_id,
        "number": shipment.order_number,
        "tracking_number": shipment.tracking_number,
        "buyer_id": shipment.buyer_id,
        "merchant_id": shipment.merchant_id,
        "status": shipment.status,
    }


def move(
    shipment: Shipment, target: str, *, at: datetime | None = None, actor=None, note: str = ""
) -> None:
    """Change status by the table (InvalidTransition otherwise) and let the order follow."""
    at = at or timezone.now()
    shipment.status_since = max(shipment.status_since, at) if target != S.PICKED_UP else at
    shipment.updated_at = timezone.now()
    if target in RANK:
        shipment.position = RANK[target]
    fields = ["status_since", "updated_at", "position"]
    if target == S.PICKED_UP:
        shipment.handed_over_at = at
        shipment.late_handover = at > shipment.handover_deadline
        fields += ["handed_over_at", "late_handover"]
    if target == S.DELIVERED:
        shipment.delivered_at = at
        shipment.at_risk = False
        fields += ["delivered_at", "at_risk"]
    transition(
        shipment,
        target,
        table=TRANSITIONS,
        history=ShipmentStatusChange,
        actor=actor,
        note=note,
        extra_update_fields=tuple(fields),
    )
    _follow(shipment, target, at)


def _follow(shipment: Shipment, target: str, at: datetime) -> None:
    if target == S.PICKED_UP:
        orders.record_handover(order_id=shipment.order_id, at=at)
        record_event("fulfilment.shipment_handed_over", payload(shipment))
        _collect(shipment)
    elif target in RANK and RANK[target] >= RANK[S.AT_ORIGIN_HUB] and target != S.DELIVERED:
        orders.record_in_transit(order_id=shipment.order_id)
    elif target == S.DELIVERED:
        orders.record_delivered(order_id=shipment.order_id, at=at)
        record_event("fulfilment.shipment_delivered", payload(shipment))
        promise.credit_if_late(shipment)
    elif target in (S.LOST, S.RETURNED):
        record_event(f"fulfilment.shipment_{target}", payload(shipment))
    elif target in (S.CUSTOMS_HOLD, S.ADDRESS_PROBLEM, S.DAMAGED):
        record_event("fulfilment.shipment_exception", payload(shipment))


def _collect(shipment: Shipment) -> None:
    """A pickup is collected once none of its parcels waits at the warehouse."""
    if shipment.pickup_id is None:
        return
    waiting = Shipment.objects.filter(pickup_id=shipment.pickup_id, status=S.CREATED)
    if not waiting.exists():
        Pickup.objects.filter(pk=shipment.pickup_id, status=Pickup.Status.PLANNED).update(
            status=Pickup.Status.COLLECTED
        )


def apply(shipment: Shipment, code: str, at: datetime, *, note: str = "") -> str:
    """Apply one carrier milestone: APPLIED, PENDING (a step before it is missing) or
    IGNORED (a duplicate, a late event, a state that does not allow it)."""
    if shipment.status in TERMINAL or at < shipment.status_since and code not in RANK:
        return IGNORED
    if code in RANK:
        rank = RANK[code]
        if rank <= shipment.position:
            return IGNORED  # never backwards
        if rank > shipment.position + 1:
            return PENDING  # never skip: waits for the steps in between
    if code not in TRANSITIONS[shipment.status]:
        return IGNORED
    move(shipment, code, at=at, note=note)
    return APPLIED


def replay_pending(shipment: Shipment) -> None:
    """Apply waiting milestones that are now next in line (out-of-order delivery)."""
    while shipment.status not in TERMINAL and shipment.position + 1 < len(CANONICAL):
        following = CANONICAL[shipment.position + 1]
        waiting = (
            ShipmentEvent.objects.filter(shipment=shipment, outcome=PENDING, code=following)
            .order_by("occurred_at", "id")
            .first()
        )
        if waiting is None or following not in TRANSITIONS[shipment.status]:
            return
        move(shipment, following, at=waiting.occurred_at, note=waiting.note)
        ShipmentEvent.objects.filter(pk=waiting.pk).update(outcome=APPLIED)
