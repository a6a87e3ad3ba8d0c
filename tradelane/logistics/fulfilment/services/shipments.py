"""Shipment writes: create on acceptance, cancel with the order, hand over by scan, and the
operator's exception actions. One transaction each; the shipment row is locked before any
check, and the order follows inside the same transaction."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.money import Money
from tradelane.logistics.engine.shipping import pack
from tradelane.logistics.sku_quotes import goods_line
from tradelane.orders import services as orders
from tradelane.orders.models import Order

from .. import tracking
from ..models import Shipment, ShipmentEvent
from ..states import CANONICAL, EXCEPTIONS, TRANSITIONS, ShipmentStatus
from . import movement, pickups

S = ShipmentStatus
CARRIER = "simulated"
SHIPPABLE = ("accepted", "awaiting_handover")


def cartons_of(order: Order, lines) -> tuple[list[dict], int, Decimal]:
    """The quote's packing (logistics engine): full cartons per line plus a partial one."""
    goods = [
        goods_line(line.sku, Money(line.unit_price, order.currency), line.quantity)
        for line in lines
    ]
    cartons, number, gross = [], 0, Decimal(0)
    for group in pack(tuple(goods)):
        line = lines[group.line]
        for _ in range(group.count):
            number += 1
            gross += group.weight_kg
            cartons.append(
                {
                    "number": number,
                    "sku_code": line.sku_code,
                    "units": group.units,
                    "weight_kg": str(group.weight_kg),
                    "dims_cm": [str(d) for d in group.dims],
                }
            )
    return cartons, number, gross


@transaction.atomic
def create_for_order(*, order_id: int, scenario: str = "normal") -> Shipment | None:
    """The merchant accepted: shipment, cartons, tracking number, pickup booking; the order
    waits for handover. Idempotent (one shipment per order); None when the order is no
    longer shippable (cancelled meanwhile). Locks the order (through orders.await_handover)."""
    order = Order.objects.filter(pk=order_id).select_related("warehouse").first()
    if order is None or order.status not in SHIPPABLE:
        return None
    orders.await_handover(order_id=order.pk)
    existing = Shipment.objects.filter(order_id=order.pk).first()
    if existing is not None:
        return existing
    lines = list(order.lines.select_related("sku").order_by("id"))
    cartons, count, gross = cartons_of(order, lines)
    now = timezone.now()
    shipment = Shipment.objects.create(
        order=order,
        order_number=order.number,
        merchant_id=order.merchant_id,
        buyer_id=order.buyer_id,
        warehouse=order.warehouse,
        origin_country=order.warehouse.country,
        destination=order.market_id,
        tier=order.tier,
        incoterm=order.incoterm,
        carrier=CARRIER,
        scenario=scenario,
        tracking_number=tracking.tracking_number(order.pk, order.warehouse.country),
        status_since=now,
        cartons=cartons,
        carton_count=count,
        gross_kg=gross,
        handover_deadline=order.handover_deadline,
        promised_earliest=order.promised_earliest,
        promised_latest=order.promised_latest,
        currency=order.currency,
        shipping_paid=order.shipping_total,
    )
    movement.ShipmentStatusChange.objects.create(
        subject=shipment, from_status="", to_status=S.CREATED, note="label created"
    )
    # near-ready goods are not ready before the quote's pickup day
    quoted_day = datetime.combine(
        order.promised_pickup, time(0), tzinfo=ZoneInfo(order.warehouse.time_zone)
    )
    pickups.book(shipment, order.warehouse, ready_at=max(now, quoted_day))
    return shipment


def _locked(**scope) -> Shipment:
    shipment = Shipment.objects.select_for_update().filter(**scope).first()
    if shipment is None:
        raise NotFound("No such shipment.", field="shipment_id")
    return shipment


@transaction.atomic
def cancel_for_order(*, order_id: int) -> Shipment | None:
    """The order was cancelled before handover: the shipment is cancelled, its slot freed."""
    shipment = Shipment.objects.select_for_update().filter(order_id=order_id).first()
    if shipment is None or shipment.status != S.CREATED:
        return shipment
    movement.move(shipment, S.CANCELLED, note="order cancelled")
    pickups.release(shipment)
    return shipment


@transaction.atomic
def record_scan(*, actor: Actor, tracking_number: str, at: datetime | None = None) -> Shipment:
    """Handover by scanning the label at the merchant's warehouse (merchant's own shipments
    only: another's is not found). Idempotent: scanning again changes nothing. Flags a late
    handover against the order's deadline. Locks the shipment, then the order."""
    code = tracking.normalise(tracking_number)
    if not tracking.is_valid(code):
        raise InvalidInput("Not a valid tracking number.", field="tracking_number")
    if actor is None or actor.kind != "merchant":
        raise NotFound("No such shipment.", field="tracking_number")
    shipment = (
        Shipment.objects.select_for_update()
        .filter(tracking_number=code, merchant_id=actor.organisation_id)
        .first()
    )
    if shipment is None:
        raise NotFound("No such shipment.", field="tracking_number")
    if shipment.status != S.CREATED:
        if shipment.status == S.CANCELLED:
            raise InvalidTransition("This shipment was cancelled.", field="tracking_number")
        return shipment
    at = at or timezone.now()
    ShipmentEvent.objects.create(
        shipment=shipment,
        carrier="platform",
        event_id=f"{code}:handover-scan",
        code=S.PICKED_UP,
        occurred_at=at,
        location=shipment.warehouse.name,
        note="handover scan",
        outcome=movement.APPLIED,
    )
    movement.move(shipment, S.PICKED_UP, at=at, actor=actor, note="handover scan")
    movement.replay_pending(shipment)
    return shipment


def _operator_event(shipment: Shipment, target: str, actor: Actor, note: str) -> None:
    ShipmentEvent.objects.create(
        shipment=shipment,
        carrier="platform",
        event_id=f"{shipment.tracking_number}:ops:{shipment.history.count()}:{target}",
        code=target,
        occurred_at=timezone.now(),
        note=note[:300],
        outcome=movement.APPLIED,
    )
    record_audit(
        actor=actor,
        action=f"fulfilment.{target}",
        target=shipment,
        summary=f"{shipment.tracking_number}: {note}"[:300],
    )


@transaction.atomic
def reattempt(*, actor: Actor, shipment_id: int, note: str = "") -> Shipment:
    """Operator: resume an exception — deliver again after an address problem, release a
    customs hold (the next clearance step), carry on after damage."""
    shipment = _locked(pk=shipment_id)
    if shipment.status not in EXCEPTIONS:
        raise InvalidTransition("Only a shipment in exception can be re-attempted.", field="status")
    if shipment.status == S.ADDRESS_PROBLEM:
        target = S.OUT_FOR_DELIVERY
    elif shipment.status == S.CUSTOMS_HOLD:
        target = CANONICAL[shipment.position + 1]
    else:
        target = CANONICAL[shipment.position]
    note = note or "re-attempt"
    movement.move(shipment, target, actor=actor, note=note)
    _operator_event(shipment, target, actor, note)
    return shipment


@transaction.atomic
def return_to_sender(*, actor: Actor, shipment_id: int, note: str = "") -> Shipment:
    shipment = _locked(pk=shipment_id)
    if S.RETURNING not in TRANSITIONS[shipment.status]:
        raise InvalidTransition("Only a shipment in exception can be returned.", field="status")
    note = note or "return to sender"
    movement.move(shipment, S.RETURNING, actor=actor, note=note)
    _operator_event(shipment, S.RETURNING, actor, note)
    return shipment


@transaction.atomic
def declare_lost(*, actor: Actor, shipment_id: int, note: str = "") -> Shipment:
    """Operator: the parcel is lost; the buyer is refunded after commit
    (`fulfilment.shipment_lost`)."""
    shipment = _locked(pk=shipment_id)
    if S.LOST not in TRANSITIONS[shipment.status]:
        raise InvalidTransition("This shipment cannot be declared lost.", field="status")
    note = note or "declared lost"
    movement.move(shipment, S.LOST, actor=actor, note=note)
    _operator_event(shipment, S.LOST, actor, note)
    return shipment


@transaction.atomic
def mark_label_printed(*, shipment: Shipment) -> None:
    if shipment.label_printed_at is None:
        Shipment.objects.filter(pk=shipment.pk, label_printed_at__isnull=True).update(
            label_printed_at=timezone.now()
        )
