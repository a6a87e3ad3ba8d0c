"""Reverse logistics: the return label, pickup or drop-off, tracking to the return point.

An approved return gets one reverse parcel (`create_label`, inside the approval's
transaction): a domestic REVERSE ECONOMY label from the buyer's shipping address to the
market's platform return point, with an S10 tracking number of its own service code
(`RV`), drop-off by default. While the label is `created` the buyer may ask for a pickup
instead (a business day from tomorrow, at most 14 days ahead): the cost is re-priced.

    created ─► picked_up | dropped_off ─► in_transit ─► arrived (at the return point)

Every scan (`record_scan`: the carrier, the simulated network, the return point's scan-in)
locks the request then the parcel, applies only forward moves (a duplicate or an older
event is ignored and reported as such; a scan that skips steps fills the skipped ones in)
and writes one `ReverseShipmentStatusChange` per step, with its place. The first scan moves
the request approved → in_transit, arrival in_transit → received (`lifecycle.move`), each
with its event (`returns.return_in_transit`, `returns.return_received`).

Return points and their tariffs are in `points.py`; the simulated carrier in
`reverse_simulation.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tradelane.core.money import Money
from tradelane.core.outbox import record_event
from tradelane.logistics.fulfilment import tracking

from . import lifecycle, selectors
from .models import ReturnPoint, ReturnRequest, ReverseShipment, ReverseShipmentStatusChange
from .points import return_point_for
from .states import REVERSE_TRANSITIONS, ReturnStatus, ReverseStatus

SERVICE = "RV"  # S10 service code of reverse parcels (outbound parcels use LT)
SERVICE_NAME = "REVERSE ECONOMY"
CARRIER = "simulated"
PICKUP_DAYS_AHEAD = 14
DEFAULT_UNIT_KG = Decimal("0.500")  # a unit whose SKU has no weight in its trade data
PACKAGING = Decimal("1.10")  # gross from net weight when the SKU has no gross weight
MIN_KG = Decimal("0.100")
R = ReverseStatus
Method = ReverseShipment.Method
RANK = {R.CREATED: 0, R.PICKED_UP: 1, R.DROPPED_OFF: 1, R.IN_TRANSIT: 2, R.ARRIVED: 3}
SCANS = (R.PICKED_UP, R.DROPPED_OFF, R.IN_TRANSIT, R.ARRIVED)


# --- labels -----------------------------------------------------------------------------------


def gross_kg(sku, quantity: int) -> Decimal:
    """The parcel's gross weight from the SKU's trade data, pro rata the quantity: its
    gross weight per unit, else its net weight plus packaging, else 0.5 kg a unit."""
    unit = getattr(sku, "gross_weight_kg", None)
    if not unit:
        net = getattr(sku, "net_weight_kg", None)
        unit = net * PACKAGING if net else DEFAULT_UNIT_KG
    return max((Decimal(unit) * quantity).quantize(Decimal("0.001")), MIN_KG)


def price(point: ReturnPoint, method: str) -> Decimal:
    """What the platform pays the carrier: the reverse label, plus the surcharge when the
    carrier collects."""
    cost = point.reverse_label_cost
    if method == Method.PICKUP:
        cost += point.pickup_surcharge
    return cost


def _serial(pk: int) -> int:
    return (pk - 1) % tracking.SERIAL_MAX + 1


def _city(address: dict) -> str:
    return " ".join(filter(None, [address.get("postal_code", ""), address.get("city", "")]))


def create_label(request: ReturnRequest) -> ReverseShipment:
    """Inside the approval's transaction, the request locked: create the reverse parcel
    (domestic reverse economy, the buyer's shipping address to the market's return point,
    drop-off), numbered `RV<serial><check><market>` from its row id (unique without a
    counter). Idempotent: a request that has its parcel gets the same one back."""
    existing = ReverseShipment.objects.filter(request=request).first()
    if existing is not None:
        return existing
    point = return_point_for(request.market_id)
    order = request.order
    line = request.order_line
    sender = {"country_code": request.market_id, **(order.shipping_address or {})}
    now = timezone.now()
    shipment = ReverseShipment.objects.create(
        request=request,
        return_point=point,
        tracking_number=f"N{uuid.uuid4().hex[:12].upper()}",  # numbered below, by row id
        carrier=CARRIER,
        method=Method.DROP_OFF,
        status=R.CREATED,
        status_since=now,
        sender=sender,
        gross_kg=gross_kg(line.sku, request.quantity),
        currency=point.currency,
        cost=price(point, Method.DROP_OFF),
        created_at=now,
        updated_at=now,
    )
    shipment.tracking_number = tracking.tracking_number(
        _serial(shipment.pk), request.market_id, service=SERVICE
    )
    shipment.save(update_fields=["tracking_number"])
    ReverseShipmentStatusChange.objects.create(
        subject=shipment,
        from_status="",
        to_status=R.CREATED,
        location=_city(sender)[:120],
        note=f"{SERVICE_NAME.lower()} label",
        created_at=now,
    )
    return shipment


# --- reads --------------------------------------------------------------------------------


def get_shipment(*, actor: Actor, return_id: int) -> ReverseShipment:
    """The reverse parcel of a return the actor may see (the buyer, the merchant, the
    operators); another tenant's return, or one without a label, is 404."""
    request = selectors.get_return(actor=actor, return_id=return_id)
    shipment = (
        ReverseShipment.objects.select_related("return_point").filter(request=request).first()
    )
    if shipment is None:
        raise NotFound("This return has no return label.", field="return_id")
    shipment.request = request
    return shipment


def shipment_of(request: ReturnRequest) -> ReverseShipment | None:
    """For pages that already hold a scoped request."""
    return ReverseShipment.objects.select_related("return_point").filter(request=request).first()


def history_of(shipment: ReverseShipment) -> QuerySet[ReverseShipmentStatusChange]:
    return shipment.history.order_by("created_at", "id")


def pickup_window(today: date | None = None) -> tuple[date, date]:
    """The first and last day a pickup may be booked: tomorrow, up to 14 days ahead."""
    today = today or timezone.localdate()
    return today + timedelta(days=1), today + timedelta(days=PICKUP_DAYS_AHEAD)


def pickup_days(today: date | None = None) -> list[date]:
    """The business days (Monday to Friday) a pickup may be booked on."""
    first, last = pickup_window(today)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5]


@dataclass(frozen=True)
class Step:
    status: str
    label: str
    reached: bool
    current: bool
    at: datetime | None
    location: str


def timeline(shipment: ReverseShipment, history=None) -> list[Step]:
    """The canonical path of the parcel with what it reached, when and where."""
    rows = list(history if history is not None else history_of(shipment))
    reached = {row.to_status: row for row in rows}
    first = R.PICKED_UP if shipment.method == Method.PICKUP else R.DROPPED_OFF
    if R.PICKED_UP in reached:
        first = R.PICKED_UP
    elif R.DROPPED_OFF in reached:
        first = R.DROPPED_OFF
    steps = []
    for status in (R.CREATED, first, R.IN_TRANSIT, R.ARRIVED):
        row = reached.get(status)
        steps.append(
            Step(
                status=status,
                label=R(status).label,
                reached=row is not None,
                current=shipment.status == status,
                at=row.created_at if row else None,
                location=row.location if row else "",
            )
        )
    return steps


def get_public(number: str) -> tuple[ReverseShipment, list[Step]]:
    """Public tracking by number: status, steps and places; no names or addresses.
    Not a valid reverse tracking number, or no such parcel: 404."""
    code = tracking.normalise(number)
    if not tracking.is_valid(code) or not code.startswith(SERVICE):
        raise NotFound("No such parcel.", field="number")
    shipment = (
        ReverseShipment.objects.select_related("return_point").filter(tracking_number=code).first()
    )
    if shipment is None:
        raise NotFound("No such parcel.", field="number")
    return shipment, timeline(shipment)


# --- the buyer: method and label --------------------------------------------------------------


def _pickup_date(value, today: date) -> date:
    if value in (None, ""):
        raise InvalidInput("Choose the pickup date.", field="pickup_on", code="required")
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidInput("A date as YYYY-MM-DD.", field="pickup_on") from None
    first, last = pickup_window(today)
    if not first <= value <= last:
        raise InvalidInput(
            f"A pickup date from {first:%Y-%m-%d} to {last:%Y-%m-%d}.",
            field="pickup_on",
            code="pickup_date_out_of_range",
        )
    if value.weekday() >= 5:
        raise InvalidInput(
            "Pickups are on business days (Monday to Friday).",
            field="pickup_on",
            code="not_a_business_day",
        )
    return value


@transaction.atomic
def choose_method(
    *, actor: Actor, return_id: int, method: str, pickup_on=None, today: date | None = None
) -> ReverseShipment:
    """The buyer chooses drop-off or a pickup on a business day from tomorrow up to 14
    days ahead, while the label is `created`; the cost is re-priced (label, plus the
    pickup surcharge). Locks the request, then the parcel. Refuses: not the buyer's return
    or no label 404; an unknown method 422 (`method`); a missing, past, too far or weekend
    date 422 (`pickup_on`); a parcel already scanned 409 `already_scanned`."""
    if actor is None or actor.kind != "buyer":
        raise NotFound("No such return request.", field="return_id")
    if method not in Method.values:
        raise InvalidInput("drop_off or pickup.", field="method")
    today = today or timezone.localdate()
    day = _pickup_date(pickup_on, today) if method == Method.PICKUP else None
    request = selectors.scoped_returns(actor=actor).select_for_update().filter(pk=return_id).first()
    if request is None:
        raise NotFound("No such return request.", field="return_id")
    shipment = (
        ReverseShipment.objects.select_for_update()
        .select_related("return_point")
        .filter(request=request)
        .first()
    )
    if shipment is None:
        raise NotFound("This return has no return label.", field="return_id")
    if shipment.status != R.CREATED:
        raise Conflict(
            "The parcel is already on its way: pickup or drop-off can no longer change.",
            field="method",
            code="already_scanned",
        )
    shipment.method = method
    shipment.pickup_on = day
    shipment.cost = price(shipment.return_point, method)
    shipment.updated_at = timezone.now()
    shipment.save(update_fields=["method", "pickup_on", "cost", "updated_at"])
    shipment.request = request
    return shipment


def print_label(*, actor: Actor, return_id: int) -> tuple[ReverseShipment, bytes]:
    """The 4×6 label PDF of a return's parcel, for its buyer, merchant and the operators
    (others 404). The buyer's first print sets `label_printed_at` (one guarded UPDATE)."""
    from .reverse_documents import label_pdf

    shipment = get_shipment(actor=actor, return_id=return_id)
    pdf = label_pdf(shipment)
    if actor.kind == "buyer" and shipment.label_printed_at is None:
        now = timezone.now()
        ReverseShipment.objects.filter(pk=shipment.pk, label_printed_at__isnull=True).update(
            label_printed_at=now
        )
        shipment.label_printed_at = now
    return shipment, pdf


# --- scans ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScanOutcome:
    outcome: str  # applied | duplicate | stale
    shipment: ReverseShipment


def scan_location(shipment: ReverseShipment, status: str) -> str:
    city = shipment.sender.get("city", "") or shipment.sender.get("country_code", "")
    point = shipment.return_point
    places = {
        R.PICKED_UP: city,
        R.DROPPED_OFF: f"{city} drop-off point",
        R.IN_TRANSIT: f"{point.market_id} sorting centre",
        R.ARRIVED: f"{point.name}, {point.city}",
    }
    return places.get(status, "")[:120]


def _path(shipment: ReverseShipment, target: str) -> list[str]:
    """The steps from the parcel's status to `target` (a scan may skip some)."""
    first = target if RANK[target] == 1 else None
    if first is None:
        first = R.PICKED_UP if shipment.method == Method.PICKUP else R.DROPPED_OFF
    ladder = [first, R.IN_TRANSIT, R.ARRIVED]
    here = RANK[shipment.status]
    return [s for s in ladder if here < RANK[s] <= RANK[target]]


def _normalised(number: str) -> str:
    code = tracking.normalise(number)
    if not code:
        raise InvalidInput(
            "Scan or type the tracking number.", field="tracking_number", code="required"
        )
    match = tracking.PATTERN.match(code)
    if match is None:
        raise InvalidInput(
            f"{code[:20]} is not a tracking number (2 letters, 9 digits, 2 letters).",
            field="tracking_number",
            code="invalid_tracking_number",
        )
    if tracking.check_digit(match.group(2)) != int(match.group(3)):
        raise InvalidInput(
            f"{code}: the check digit does not match; a digit was probably mistyped.",
            field="tracking_number",
            code="invalid_check_digit",
        )
    return code


def _apply(
    *,
    number: str,
    code: str,
    at: datetime,
    location: str,
    actor: Actor | None,
    note: str,
    carrier: str | None = None,
) -> ScanOutcome:
    """Inside a transaction: lock the request then the parcel and apply the scan (a
    carrier only scans its own parcels)."""
    parcels = ReverseShipment.objects.filter(tracking_number=number)
    if carrier is not None:
        parcels = parcels.filter(carrier=carrier)
    request_id = parcels.values_list("request_id", flat=True).first()
    if request_id is None:
        raise NotFound("No return parcel has this tracking number.", field="tracking_number")
    request = ReturnRequest.objects.select_for_update().get(pk=request_id)
    shipment = (
        ReverseShipment.objects.select_for_update()
        .select_related("return_point")
        .get(request_id=request_id)
    )
    shipment.request = request
    here, there = RANK[shipment.status], RANK[code]
    if there <= here:
        return ScanOutcome("duplicate" if there == here else "stale", shipment)
    at = max(at, shipment.status_since)
    user = getattr(actor, "user", None)
    for status in _path(shipment, code):
        check = REVERSE_TRANSITIONS[shipment.status]
        if status not in check:  # the table is the rule; _path only walks it
            raise Conflict(f"Cannot move from {shipment.status} to {status}.", field="code")
        implied = status != code
        ReverseShipmentStatusChange.objects.create(
            subject=shipment,
            from_status=shipment.status,
            to_status=status,
            actor=user,
            location=scan_location(shipment, status) if implied or not location else location[:120],
            note="implied by a later scan" if implied else note[:500],
            created_at=at,
        )
        shipment.status = status
    shipment.status_since = at
    shipment.updated_at = timezone.now()
    fields = ["status", "status_since", "updated_at"]
    if shipment.status == R.ARRIVED:
        shipment.arrived_at = at
        fields.append("arrived_at")
    shipment.save(update_fields=fields)
    _move_request(request, shipment, actor=actor)
    return ScanOutcome("applied", shipment)


def _move_request(request: ReturnRequest, shipment: ReverseShipment, *, actor) -> None:
    extra = {"tracking_number": shipment.tracking_number, "reverse_status": shipment.status}
    if request.status == ReturnStatus.APPROVED:
        lifecycle.move(request, ReturnStatus.IN_TRANSIT, actor=actor, note=shipment.tracking_number)
        record_event("returns.return_in_transit", {**lifecycle.payload(request), **extra})
    if shipment.status == R.ARRIVED and request.status == ReturnStatus.IN_TRANSIT:
        lifecycle.move(
            request,
            ReturnStatus.RECEIVED,
            actor=actor,
            note=f"{shipment.return_point.name}: {shipment.tracking_number}",
        )
        record_event("returns.return_received", {**lifecycle.payload(request), **extra})


def record_scan(
    *,
    tracking_number: str,
    code: str,
    at: datetime | None = None,
    location: str = "",
    actor: Actor | None = None,
    note: str = "",
    carrier: str | None = None,
) -> ScanOutcome:
    """A carrier's scan of a reverse parcel (`picked_up`, `dropped_off`, `in_transit`,
    `arrived`). One transaction: locks the request, then the parcel. A scan at or behind
    the parcel's status is ignored (`duplicate` / `stale`, nothing written); one ahead
    fills in the steps it skipped. Moves the request (approved → in_transit on the first
    scan, → received on arrival) with its events. Refuses: an unknown code 422 (`code`);
    a malformed number or wrong check digit 422 (`tracking_number`); no such parcel (of
    `carrier`, when given) 404."""
    if code not in SCANS:
        raise InvalidInput("Unknown scan code.", field="code")
    number = _normalised(tracking_number)
    with transaction.atomic():
        return _apply(
            number=number,
            code=code,
            at=at or timezone.now(),
            location=location,
            actor=actor,
            note=note,
            carrier=carrier,
        )


@transaction.atomic
def receive(*, actor: Actor, tracking_number: str, at: datetime | None = None) -> ReverseShipment:
    """The return point scans a parcel in: it has arrived (steps it skipped are filled in)
    and the return becomes `received`. Operators only (403); the number is checked (422
    `invalid_tracking_number` / `invalid_check_digit`, field `tracking_number`) before
    any lookup; no such reverse parcel 404; already received 409 `already_received`.
    Audited (`returns.parcel_received`)."""
    if actor is None or not actor.is_operator:
        raise Forbidden("Only the return point's operators receive parcels.")
    number = _normalised(tracking_number)
    outcome = _apply(
        number=number,
        code=R.ARRIVED,
        at=at or timezone.now(),
        location="",
        actor=actor,
        note="scanned in at the return point",
    )
    shipment = outcome.shipment
    if outcome.outcome != "applied":
        raise Conflict(
            f"{number} was already received on {shipment.arrived_at:%Y-%m-%d %H:%M}.",
            field="tracking_number",
            code="already_received",
        )
    record_audit(
        actor=actor,
        action="returns.parcel_received",
        target=shipment.request,
        summary=f"{shipment.request.number}: {number} received",
        changes={"reverse_status": [None, R.ARRIVED]},
    )
    return shipment


def cost_of(shipment: ReverseShipment) -> Money:
    return Money(shipment.cost, shipment.currency)
