"""Returns API: reverse logistics — a return's parcel and label, pickup or drop-off, the
return point's scan-in, and the return points' tariffs. Thin: parse, authorise, one
service or selector, map."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Path, Router, Schema
from pydantic import AwareDatetime, Field
from pydantic import ValidationError as PydanticError

from tradelane.core.access import (
    ANY_MEMBER,
    BUYER_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    PUBLIC,
    allow,
    current_actor,
)
from tradelane.core.api import ERRORS, PUBLIC_ERRORS, ErrorOut, MoneyOut, RowId, StrictIn
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.money import Money
from tradelane.logistics.fulfilment.api import WEBHOOK_DOC, signed_by_carrier

from .. import points, reverse

router = Router(tags=["returns"])
MarketCode = Path(..., pattern=r"^[A-Za-z]{2}$", description="ISO market code, e.g. DE")


# --- shapes -----------------------------------------------------------------------------------


class MethodIn(StrictIn):
    method: Literal["drop_off", "pickup"]
    pickup_on: str | None = Field(
        None, max_length=10, description="YYYY-MM-DD, a business day from tomorrow, ≤ 14 days"
    )


class ReceiveIn(StrictIn):
    tracking_number: str = Field(..., max_length=40, description="as scanned or typed")


class ReturnPointIn(StrictIn):
    """Only the fields sent change. Amounts are strings in the point's currency."""

    name: str | None = Field(None, max_length=120)
    address: list[str] | None = Field(None, max_length=4)
    city: str | None = Field(None, max_length=80)
    postal_code: str | None = Field(None, max_length=20)
    reverse_label_cost: str | None = Field(None, max_length=24)
    pickup_surcharge: str | None = Field(None, max_length=24)
    handling_fee: str | None = Field(None, max_length=24)
    consolidation_parcel_cost: str | None = Field(None, max_length=24)
    consolidation_per_kg: str | None = Field(None, max_length=24)
    disposal_fee: str | None = Field(None, max_length=24)
    liquidation_share: str | None = Field(None, max_length=12, description="0 to 1")
    returnless_share: str | None = Field(None, max_length=12, description="above 0, up to 5")


class ReturnPointOut(Schema):
    market: str
    name: str
    address: list[str]
    city: str
    postal_code: str
    currency: str
    reverse_label_cost: MoneyOut
    pickup_surcharge: MoneyOut
    handling_fee: MoneyOut
    consolidation_parcel_cost: MoneyOut
    consolidation_per_kg: MoneyOut
    disposal_fee: MoneyOut
    liquidation_share: str = Field(description="of the item value recovered by liquidation")
    returnless_share: str = Field(
        description="returnless refund when returning costs more than this share of the value"
    )
    updated_at: datetime

    @staticmethod
    def of(point) -> dict:
        money = {
            f: Money(getattr(point, f), point.currency).as_json() for f in points.AMOUNT_FIELDS
        }
        return {
            "market": point.market_id,
            "name": point.name,
            "address": list(point.address),
            "city": point.city,
            "postal_code": point.postal_code,
            "currency": point.currency,
            **money,
            "liquidation_share": str(point.liquidation_share.normalize()),
            "returnless_share": str(point.returnless_share.normalize()),
            "updated_at": point.updated_at,
        }


class ScanOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    location: str
    note: str


class PointOut(Schema):
    market: str
    name: str
    address: list[str]
    city: str
    postal_code: str


class ShipmentOut(Schema):
    return_id: int
    return_number: str
    return_status: str
    tracking_number: str
    carrier: str
    service: str
    status: str
    status_label: str
    status_since: datetime
    method: str
    pickup_on: date | None
    pickup_earliest: date
    pickup_latest: date
    can_change_method: bool
    sender: dict
    return_point: PointOut
    gross_kg: str
    cost: MoneyOut | None = Field(description="what the platform pays: merchants, operators")
    label_url: str
    label_printed_at: datetime | None
    arrived_at: datetime | None
    history: list[ScanOut]

    @staticmethod
    def of(shipment, actor) -> dict:
        point = shipment.return_point
        first, last = reverse.pickup_window()
        return {
            "return_id": shipment.request_id,
            "return_number": shipment.request.number,
            "return_status": shipment.request.status,
            "tracking_number": shipment.tracking_number,
            "carrier": shipment.carrier,
            "service": "reverse_economy",
            "status": shipment.status,
            "status_label": str(shipment.get_status_display()),
            "status_since": shipment.status_since,
            "method": shipment.method,
            "pickup_on": shipment.pickup_on,
            "pickup_earliest": first,
            "pickup_latest": last,
            "can_change_method": shipment.status == reverse.R.CREATED,
            "sender": shipment.sender,
            "return_point": {
                "market": point.market_id,
                "name": point.name,
                "address": list(point.address),
                "city": point.city,
                "postal_code": point.postal_code,
            },
            "gross_kg": f"{shipment.gross_kg.normalize():f}",
            "cost": (
                reverse.cost_of(shipment).as_json()
                if actor is not None and actor.kind in ("merchant", "operator")
                else None
            ),
            "label_url": f"/api/v1/returns/{shipment.request_id}/label",
            "label_printed_at": shipment.label_printed_at,
            "arrived_at": shipment.arrived_at,
            "history": [
                {
                    "from_status": h.from_status,
                    "to_status": h.to_status,
                    "at": h.created_at,
                    "location": h.location,
                    "note": h.note,
                }
                for h in reverse.history_of(shipment)
            ],
        }


# --- a return's parcel ------------------------------------------------------------------------


@router.get(
    "/returns/{return_id}/shipment",
    response={200: ShipmentOut, **ERRORS},
    summary="The return's reverse parcel: tracking, method, history",
)
@allow(ANY_MEMBER)
def get_shipment(request, return_id: int = RowId):
    """The buyer's, the merchant's (with the cost) or an operator's view of the reverse
    parcel. Another tenant's return, or a return without a label (not approved, or
    returnless), is 404."""
    actor = current_actor(request)
    return ShipmentOut.of(reverse.get_shipment(actor=actor, return_id=return_id), actor)


@router.post(
    "/returns/{return_id}/shipment/method",
    response={200: ShipmentOut, **ERRORS},
    summary="Choose drop-off or a pickup date",
)
@allow(BUYER_MEMBER)
def choose_method(request, payload: MethodIn, return_id: int = RowId):
    """`pickup` needs `pickup_on`: a business day from tomorrow, at most 14 days ahead
    (422 naming `pickup_on`). The cost is re-priced. Once the parcel is scanned: 409
    `already_scanned`."""
    actor = current_actor(request)
    reverse.choose_method(
        actor=actor, return_id=return_id, method=payload.method, pickup_on=payload.pickup_on
    )
    return ShipmentOut.of(reverse.get_shipment(actor=actor, return_id=return_id), actor)


@router.get(
    "/returns/{return_id}/label",
    response={200: None, **ERRORS},
    summary="The return label (4×6 in PDF)",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}},
)
@allow(ANY_MEMBER)
def get_label(request, return_id: int = RowId):
    """REVERSE ECONOMY, the buyer as sender, the return point as receiver, Code128 and QR
    of the tracking number. The buyer's first download marks the label printed."""
    shipment, pdf = reverse.print_label(actor=current_actor(request), return_id=return_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{shipment.tracking_number}-return.pdf"'
    return response


# --- return points ----------------------------------------------------------------------------


@router.post(
    "/return-points/receive",
    response={200: ShipmentOut, **ERRORS},
    summary="Scan a reverse parcel in at the return point",
)
@allow(OPERATOR_MEMBER)
def receive(request, payload: ReceiveIn):
    """The parcel has arrived: the return becomes `received`. A malformed number or a
    wrong check digit is 422 (`tracking_number`) before any lookup; an unknown parcel
    404; a parcel already received 409 `already_received`."""
    actor = current_actor(request)
    shipment = reverse.receive(actor=actor, tracking_number=payload.tracking_number)
    return ShipmentOut.of(reverse.get_shipment(actor=actor, return_id=shipment.request_id), actor)


@router.get(
    "/return-points",
    response={200: list[ReturnPointOut], **ERRORS},
    summary="The platform's return point in each market, with its tariff",
)
@allow(OPERATOR_MEMBER, MERCHANT_MEMBER)
def list_return_points(request):
    return [ReturnPointOut.of(p) for p in points.list_return_points()]


@router.patch(
    "/return-points/{market}",
    response={200: ReturnPointOut, **ERRORS},
    summary="Edit a return point's address and tariff",
)
@allow(OPERATOR_ADMIN)
def set_tariff(request, payload: ReturnPointIn, market: str = MarketCode):
    """Only the fields sent change; each bad value is 422 naming its field. Audited."""
    point = points.set_tariff(
        actor=current_actor(request), market=market, changes=payload.model_dump(exclude_none=True)
    )
    return ReturnPointOut.of(point)


# --- public tracking --------------------------------------------------------------------------


class PublicStepOut(Schema):
    status: str
    label: str
    reached: bool
    current: bool
    at: datetime | None
    location: str


class PublicReverseOut(Schema):
    tracking_number: str
    status: str
    service: str
    to: str  # the return point's city, no names or addresses
    steps: list[PublicStepOut]


@router.get("/track/returns/{number}", response={200: PublicReverseOut, **PUBLIC_ERRORS}, auth=None)
@allow(PUBLIC)
def public_reverse_tracking(request, number: str):
    """Public tracking of a return parcel by its `RV…` number (what `/track/` shows):
    status and steps with places; no names or addresses. Unknown or invalid number: 404."""
    parcel, steps = reverse.get_public(number)
    return {
        "tracking_number": parcel.tracking_number,
        "status": parcel.status,
        "service": reverse.SERVICE_NAME,
        "to": parcel.return_point.city,
        "steps": [{**step.__dict__, "label": str(step.label)} for step in steps],
    }


# --- the carrier's webhook --------------------------------------------------------------------


class ReverseEventIn(StrictIn):
    event_id: str = Field(..., min_length=1, max_length=100)
    tracking_number: str = Field(..., min_length=1, max_length=40)
    code: Literal["picked_up", "dropped_off", "in_transit", "arrived"]
    occurred_at: AwareDatetime = Field(..., strict=False)
    location: str = Field("", max_length=120)
    note: str = Field("", max_length=300)


class ReverseWebhookIn(StrictIn):
    events: list[ReverseEventIn] = Field(..., min_length=1, max_length=100)


class ReverseEventOut(Schema):
    event_id: str
    outcome: str  # applied | duplicate | stale | unknown_tracking_number | invalid_tracking_number
    status: str | None


class ReverseWebhookOut(Schema):
    results: list[ReverseEventOut]


REVERSE_WEBHOOK_DOC = {
    **WEBHOOK_DOC,
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ReverseWebhookIn.model_json_schema()}},
    },
}


@router.post(
    "/carriers/{carrier}/returns/webhook",
    response={
        200: ReverseWebhookOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        422: ErrorOut,
    },
    auth=None,
    openapi_extra=REVERSE_WEBHOOK_DOC,
)
@allow(PUBLIC)
def reverse_carrier_webhook(request, carrier: str):
    """A carrier's scans of return parcels, signed like the outbound webhook
    (HMAC-SHA256 over `<timestamp>.<body>`): unsigned 401, stale 400, nothing changes.
    Each event is one scan (`reverse.record_scan`): a scan at or behind the parcel's
    status is `duplicate` / `stale` and writes nothing, so a redelivery is harmless; one
    ahead fills in the steps it skipped. A number that is not this carrier's return parcel
    is reported per event, not as an error of the whole delivery."""
    refused = signed_by_carrier(request, carrier)
    if refused is not None:
        return refused
    try:
        payload = ReverseWebhookIn.model_validate_json(request.body or b"null")
    except (ValueError, PydanticError) as exc:
        raise InvalidInput(f"Not a valid webhook body: {str(exc)[:200]}", field="events") from exc
    results = []
    for event in payload.events:
        try:
            scan = reverse.record_scan(
                tracking_number=event.tracking_number,
                code=event.code,
                at=event.occurred_at,
                location=event.location,
                note=event.note,
                carrier=carrier,
            )
        except NotFound:
            results.append((event.event_id, "unknown_tracking_number", None))
        except InvalidInput:
            results.append((event.event_id, "invalid_tracking_number", None))
        else:
            results.append((event.event_id, scan.outcome, scan.shipment.status))
    return {
        "results": [
            {"event_id": event_id, "outcome": outcome, "status": status}
            for event_id, outcome, status in results
        ]
    }
