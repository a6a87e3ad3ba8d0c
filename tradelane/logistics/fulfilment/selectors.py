"""Fulfilment reads, scoped to the actor: a merchant sees its shipments, a buyer its
organisation's, an operator all; anything else is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound

from . import tracking
from .documents import Carton, DocumentData, Item
from .models import Pickup, Shipment, ShipmentEvent
from .states import CANONICAL, NEEDS_ATTENTION, RANK, ShipmentStatus

S = ShipmentStatus


def visible_shipments(actor: Actor | None) -> QuerySet[Shipment]:
    if actor is None or actor.organisation is None:
        return Shipment.objects.none()
    shipments = Shipment.objects.all()
    if actor.kind == "merchant":
        return shipments.filter(merchant_id=actor.organisation_id)
    if actor.kind == "buyer":
        return shipments.filter(buyer_id=actor.organisation_id)
    return shipments if actor.is_operator else Shipment.objects.none()


def list_shipments(
    *,
    actor: Actor,
    status: str | None = None,
    tier: str | None = None,
    lane: str | None = None,
    attention: bool = False,
) -> QuerySet[Shipment]:
    shipments = visible_shipments(actor).select_related("merchant", "buyer", "pickup")
    if status:
        if status not in S.values:
            raise InvalidInput("Unknown status.", field="status")
        shipments = shipments.filter(status=status)
    if tier:
        if tier not in ("economy", "standard", "premium"):
            raise InvalidInput("Unknown tier.", field="tier")
        shipments = shipments.filter(tier=tier)
    if lane:
        origin, _, destination = lane.upper().replace("→", "-").partition("-")
        if len(origin) != 2 or len(destination) != 2:
            raise InvalidInput("A lane is like CN-US.", field="lane")
        shipments = shipments.filter(origin_country=origin, destination=destination)
    if attention:
        shipments = shipments.filter(Q(status__in=NEEDS_ATTENTION) | Q(late=True) | Q(at_risk=True))
    return shipments.order_by("-created_at", "-id")


def get_shipment(*, actor: Actor, shipment_id: int) -> Shipment:
    shipment = (
        visible_shipments(actor)
        .filter(pk=shipment_id)
        .select_related("warehouse", "pickup")
        .first()
    )
    if shipment is None:
        raise NotFound("No such shipment.", field="shipment_id")
    return shipment


def shipment_for_order(*, actor: Actor, order_id: int) -> Shipment | None:
    return visible_shipments(actor).filter(order_id=order_id).first()


def events_of(shipment: Shipment) -> list[ShipmentEvent]:
    return list(shipment.events.order_by("occurred_at", "id"))


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    reached: bool
    current: bool
    at: object | None
    location: str


def timeline(shipment: Shipment, events: list[ShipmentEvent] | None = None) -> list[Step]:
    """The canonical milestones (reached or not) with the time each was reached."""
    events = events if events is not None else events_of(shipment)
    reached_at = {}
    for event in events:
        if event.outcome == "applied" and event.code not in reached_at:
            reached_at[event.code] = event
    labels = dict(S.choices)
    steps = []
    for code in CANONICAL:
        event = reached_at.get(code)
        steps.append(
            Step(
                code=code,
                label=str(labels[code]),
                reached=RANK[code] <= shipment.position,
                current=code == shipment.status,
                at=event.occurred_at if event else None,
                location=event.location if event else "",
            )
        )
    return steps


def tracking_context(*, actor: Actor, order_id: int) -> dict:
    """For the order pages' `{% include "fulfilment/_tracking.html" %}`: the order's
    shipment, its timeline and events, or an empty context."""
    shipment = shipment_for_order(actor=actor, order_id=order_id)
    if shipment is None:
        return {"shipment": None}
    events = events_of(shipment)
    return {
        "shipment": shipment,
        "steps": timeline(shipment, events),
        "events": [e for e in events if e.outcome != "pending"],
        "is_merchant": actor.kind == "merchant",
    }


def get_public(number: str) -> tuple[Shipment, list[Step], list[ShipmentEvent]]:
    """Public tracking by number: status, milestones and places; no names or addresses."""
    code = tracking.normalise(number)
    if not tracking.is_valid(code):
        raise NotFound("No such shipment.", field="number")
    shipment = Shipment.objects.filter(tracking_number=code).first()
    if shipment is None:
        raise NotFound("No such shipment.", field="number")
    events = events_of(shipment)
    return shipment, timeline(shipment, events), [e for e in events if e.outcome == "applied"]


# --- pickups ---------------------------------------------------------------------------


def manifest(*, actor: Actor, day: date) -> tuple[list[Pickup], list[Shipment]]:
    """A merchant's pickups on `day` and the shipments each collects (two queries)."""
    if actor is None or actor.kind != "merchant":
        return [], []
    pickups = list(
        Pickup.objects.filter(merchant_id=actor.organisation_id, day=day).select_related(
            "warehouse"
        )
    )
    shipments = list(
        Shipment.objects.filter(pickup__in=pickups).order_by("warehouse_id", "id")
        if pickups
        else []
    )
    return pickups, shipments


def unplanned(*, actor: Actor) -> QuerySet[Shipment]:
    return visible_shipments(actor).filter(status=S.CREATED, pickup__isnull=True)


# --- documents -------------------------------------------------------------------------


def _address(address: dict) -> tuple[str, ...]:
    city = " ".join(filter(None, [address.get("postal_code", ""), address.get("city", "")]))
    parts = [
        address.get("company", ""),
        address.get("street_address", ""),
        city,
        address.get("country_area", ""),
        address.get("country_code", ""),
    ]
    return tuple(p for p in parts if p)


def document_data(shipment: Shipment) -> DocumentData:
    order = shipment.order
    warehouse = shipment.warehouse
    lines = list(order.lines.select_related("sku").order_by("id"))
    items = tuple(
        Item(
            sku_code=line.sku_code,
            title=line.title,
            hs_code=line.hs_code,
            origin_country=line.origin_country,
            quantity=line.quantity,
            unit_value=line.unit_price.quantize(Decimal("0.01")),
            value=line.line_total.quantize(Decimal("0.01")),
            net_kg=(line.sku.net_weight_kg * line.quantity).quantize(Decimal("0.001")),
        )
        for line in lines
    )
    cartons = tuple(
        Carton(
            number=c["number"],
            contents=f"{c['sku_code']} × {c['units']}",
            weight_kg=Decimal(c["weight_kg"]),
            dims_cm=tuple(Decimal(d) for d in c["dims_cm"]),
        )
        for c in shipment.cartons
    )
    address = order.shipping_address or {}
    return DocumentData(
        tracking_number=shipment.tracking_number,
        order_number=shipment.order_number,
        tier=shipment.tier,
        incoterm=shipment.incoterm,
        currency=shipment.currency,
        created_on=shipment.created_at.date(),
        sender_name=f"{order.merchant.name} · {warehouse.name}",
        sender_address=(
            warehouse.street_address,
            " ".join(filter(None, [warehouse.postal_code, warehouse.city])),
            warehouse.country,
        ),
        sender_phone=warehouse.contact_phone,
        receiver_name=address.get("recipient", ""),
        receiver_address=_address({"country_code": shipment.destination, **address}),
        origin=shipment.origin_country,
        destination=shipment.destination,
        buyer_tax_id=order.buyer_tax_id,
        items=items,
        cartons=cartons,
        goods_total=order.goods_total.quantize(Decimal("0.01")),
        shipping_total=order.shipping_total.quantize(Decimal("0.01")),
        gross_kg=shipment.gross_kg.normalize(),
        notes=tuple(filter(None, [order.invoice_wording])),
    )


# --- SLA -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    key: str
    on_time: int
    total: int

    @property
    def percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(self.on_time) * 100 / self.total).quantize(Decimal("0.1"))


def _rates(rows, key) -> list[Rate]:
    return [Rate(key(row), row["on_time"], row["total"]) for row in rows]


def sla(*, since: date | None = None) -> dict[str, list[Rate]]:
    """On-time handover % and on-time delivery % by lane, tier and week (handover week).
    Six aggregate queries, whatever the number of shipments."""
    base = Shipment.objects.all()
    if since:
        base = base.filter(created_at__date__gte=since)
    handed = base.filter(handed_over_at__isnull=False)
    delivered = base.filter(delivered_at__isnull=False)
    on_time_h = Count("id", filter=Q(late_handover=False))
    on_time_d = Count("id", filter=Q(late=False))
    lane = ("origin_country", "destination")

    def lane_key(row):
        return f"{row['origin_country']}→{row['destination']}"

    def week_key(row):
        return f"{row['week']:%G-W%V}" if row["week"] else "—"

    def by(qs, fields, on_time, key, order=None):
        rows = qs.values(*fields).annotate(on_time=on_time, total=Count("id"))
        return _rates(rows.order_by(*(order or fields)), key)

    handed_w = handed.annotate(week=TruncWeek("handed_over_at"))
    delivered_w = delivered.annotate(week=TruncWeek("delivered_at"))
    return {
        "handover_lane": by(handed, lane, on_time_h, lane_key),
        "handover_tier": by(handed, ("tier",), on_time_h, lambda r: r["tier"]),
        "handover_week": by(handed_w, ("week",), on_time_h, week_key),
        "delivery_lane": by(delivered, lane, on_time_d, lane_key),
        "delivery_tier": by(delivered, ("tier",), on_time_d, lambda r: r["tier"]),
        "delivery_week": by(delivered_w, ("week",), on_time_d, week_key),
    }


def handover_rate(*, merchant_id: int, days: int = 90) -> Rate:
    """The merchant's on-time handover rate over the last `days` days."""
    from django.utils import timezone

    since = timezone.now() - timedelta(days=days)
    row = Shipment.objects.filter(merchant_id=merchant_id, handed_over_at__gte=since).aggregate(
        on_time=Count("id", filter=Q(late_handover=False)), total=Count("id")
    )
    return Rate("handover", row["on_time"], row["total"])
