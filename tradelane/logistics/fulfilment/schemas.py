"""API shapes for shipments, pickups and carrier webhooks."""

from datetime import date, datetime

from ninja import Schema
from pydantic import AwareDatetime, Field

from tradelane.core.api import MoneyOut, StrictIn

from .models import Shipment
from .states import ShipmentStatus


class EventOut(Schema):
    code: str
    occurred_at: datetime
    location: str
    note: str
    outcome: str


class ShipmentOut(Schema):
    id: int
    order_id: int
    order_number: str
    tracking_number: str
    status: str
    lane: str
    tier: str
    incoterm: str
    cartons: int
    gross_kg: str
    pickup_day: date | None
    handover_deadline: datetime
    handed_over_at: datetime | None
    delivered_at: datetime | None
    promised_latest: date
    late_handover: bool
    at_risk: bool
    late: bool
    credit: MoneyOut | None

    @staticmethod
    def of(shipment: Shipment) -> dict:
        return {
            "id": shipment.pk,
            "order_id": shipment.order_id,
            "order_number": shipment.order_number,
            "tracking_number": shipment.tracking_number,
            "status": shipment.status,
            "lane": f"{shipment.origin_country}-{shipment.destination}",
            "tier": shipment.tier,
            "incoterm": shipment.incoterm,
            "cartons": shipment.carton_count,
            "gross_kg": str(shipment.gross_kg),
            "pickup_day": shipment.pickup.day if shipment.pickup_id else None,
            "handover_deadline": shipment.handover_deadline,
            "handed_over_at": shipment.handed_over_at,
            "delivered_at": shipment.delivered_at,
            "promised_latest": shipment.promised_latest,
            "late_handover": shipment.late_handover,
            "at_risk": shipment.at_risk,
            "late": shipment.late,
            "credit": MoneyOut.of(shipment.credit),
        }


class ShipmentDetailOut(ShipmentOut):
    events: list[EventOut]


class PublicTrackingOut(Schema):
    tracking_number: str
    status: str
    lane: str
    tier: str
    promised_latest: date
    events: list[EventOut]


class ScanIn(StrictIn):
    tracking_number: str = Field(..., min_length=1, max_length=40)


class NoteIn(StrictIn):
    note: str = Field("", max_length=300)


class WebhookEventIn(StrictIn):
    event_id: str = Field(..., min_length=1, max_length=100)
    tracking_number: str = Field(..., min_length=1, max_length=40)
    code: ShipmentStatus
    occurred_at: AwareDatetime = Field(..., strict=False)
    location: str = Field("", max_length=120)
    note: str = Field("", max_length=300)


class WebhookIn(StrictIn):
    events: list[WebhookEventIn] = Field(..., min_length=1, max_length=100)


class WebhookResultOut(Schema):
    event_id: str
    outcome: str
    status: str | None


class WebhookOut(Schema):
    results: list[WebhookResultOut]


class PickupOut(Schema):
    id: int
    warehouse_id: int
    warehouse: str
    day: date
    pickup_at: datetime
    planned_parcels: int
    capacity: int
    shipments: list[ShipmentOut]


class RateOut(Schema):
    key: str
    on_time: int
    total: int
    percent: str | None


class SlaOut(Schema):
    handover_lane: list[RateOut]
    handover_tier: list[RateOut]
    handover_week: list[RateOut]
    delivery_lane: list[RateOut]
    delivery_tier: list[RateOut]
    delivery_week: list[RateOut]
    late_delivery_credit_percent: str


class CreditRuleIn(StrictIn):
    share_percent: str = Field(
        ..., pattern=r"^\d{1,3}(\.\d{1,2})?$", description='0 to 100, e.g. "50" or "12.5"'
    )


def rate_out(rate) -> dict:
    percent = rate.percent
    return {
        "key": rate.key,
        "on_time": rate.on_time,
        "total": rate.total,
        "percent": None if percent is None else f"{percent}",
    }
