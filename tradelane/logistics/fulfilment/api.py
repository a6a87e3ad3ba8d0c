"""Fulfilment API: shipments (scoped to the actor), documents, handover scan, the pickup
manifest, public tracking, operator actions and the signed carrier webhook."""

import time
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticError

from tradelane.core.access import (
    ANY_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    PUBLIC,
    allow,
    current_actor,
)
from tradelane.core.api import ERRORS, PUBLIC_ERRORS, ErrorOut, Pagination, RowId
from tradelane.core.errors import InvalidInput, NotFound

from . import conf, selectors, services, signing, tracking
from .carriers import CarrierEvent
from .documents.customs import customs_declaration_pdf, packing_list_pdf
from .documents.labels import label_pdf
from .schemas import (
    CreditRuleIn,
    NoteIn,
    PickupOut,
    PublicTrackingOut,
    RateOut,
    ScanIn,
    ShipmentDetailOut,
    ShipmentOut,
    SlaOut,
    WebhookIn,
    WebhookOut,
    rate_out,
)

router = Router(tags=["fulfilment"])


def _detail(shipment) -> dict:
    return {
        **ShipmentOut.of(shipment),
        "events": [
            {
                "code": e.code,
                "occurred_at": e.occurred_at,
                "location": e.location,
                "note": e.note,
                "outcome": e.outcome,
            }
            for e in selectors.events_of(shipment)
        ],
    }


@router.get("/shipments", response={200: list[ShipmentOut], **ERRORS})
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_shipments(
    request,
    status: str | None = None,
    tier: str | None = None,
    lane: str | None = Query(None, max_length=5),
    attention: bool = False,
):
    shipments = selectors.list_shipments(
        actor=current_actor(request), status=status, tier=tier, lane=lane, attention=attention
    )
    return _Mapped(shipments)


class _Mapped:
    """A lazily mapped queryset: pagination slices it, then rows become dicts."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return [ShipmentOut.of(s) for s in self.queryset[item]]


@router.get("/shipments/{shipment_id}", response={200: ShipmentDetailOut, **ERRORS})
@allow(ANY_MEMBER)
def get_shipment(request, shipment_id: int = RowId):
    shipment = selectors.get_shipment(actor=current_actor(request), shipment_id=shipment_id)
    return _detail(shipment)


DOCUMENTS = {
    "label.pdf": label_pdf,
    "customs.pdf": customs_declaration_pdf,
    "packing-list.pdf": packing_list_pdf,
}


def _document(request, shipment_id: int, name: str) -> HttpResponse:
    actor = current_actor(request)
    shipment = selectors.get_shipment(actor=actor, shipment_id=shipment_id)
    if actor.kind == "buyer":
        raise NotFound("No such shipment.", field="shipment_id")
    pdf = DOCUMENTS[name](selectors.document_data(shipment))
    if name == "label.pdf" and actor.kind == "merchant":
        services.mark_label_printed(shipment=shipment)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{shipment.tracking_number}-{name}"'
    return response


PDF = {200: None, **ERRORS}
PDF_DOC = {"responses": {200: {"description": "PDF", "content": {"application/pdf": {}}}}}


@router.get("/shipments/{shipment_id}/label.pdf", response=PDF, openapi_extra=PDF_DOC)
@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
def shipment_label(request, shipment_id: int = RowId):
    return _document(request, shipment_id, "label.pdf")


@router.get("/shipments/{shipment_id}/customs.pdf", response=PDF, openapi_extra=PDF_DOC)
@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
def shipment_customs(request, shipment_id: int = RowId):
    return _document(request, shipment_id, "customs.pdf")


@router.get("/shipments/{shipment_id}/packing-list.pdf", response=PDF, openapi_extra=PDF_DOC)
@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
def shipment_packing_list(request, shipment_id: int = RowId):
    return _document(request, shipment_id, "packing-list.pdf")


@router.post("/merchant/handovers", response={200: ShipmentOut, **ERRORS})
@allow(MERCHANT_MEMBER)
def scan_handover(request, payload: ScanIn):
    """Record the handover of a parcel by its tracking number (a barcode scanner's text)."""
    shipment = services.record_scan(
        actor=current_actor(request), tracking_number=payload.tracking_number
    )
    return ShipmentOut.of(shipment)


@router.get("/merchant/pickups", response={200: list[PickupOut], **ERRORS})
@allow(MERCHANT_MEMBER)
def pickup_manifest(request, day: date | None = None):
    """The merchant's pickups on `day` (default: today, UTC) and the parcels each collects."""
    pickups, shipments = selectors.manifest(
        actor=current_actor(request), day=day or timezone.now().date()
    )
    return [
        {
            "id": p.pk,
            "warehouse_id": p.warehouse_id,
            "warehouse": p.warehouse.name,
            "day": p.day,
            "pickup_at": p.pickup_at,
            "planned_parcels": p.planned_parcels,
            "capacity": p.capacity,
            "shipments": [ShipmentOut.of(s) for s in shipments if s.pickup_id == p.pk],
        }
        for p in pickups
    ]


@router.get("/track/{number}", response={200: PublicTrackingOut, **PUBLIC_ERRORS}, auth=None)
@allow(PUBLIC)
def public_tracking(request, number: str):
    """Public tracking by number: milestones and places only, no personal data."""
    shipment, _steps, events = selectors.get_public(number)
    return {
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "lane": f"{shipment.origin_country}-{shipment.destination}",
        "tier": shipment.tier,
        "promised_latest": shipment.promised_latest,
        "events": [
            {
                "code": e.code,
                "occurred_at": e.occurred_at,
                "location": e.location,
                "note": "",
                "outcome": e.outcome,
            }
            for e in events
        ],
    }


def _operator_action(action):
    def view(request, payload: NoteIn, shipment_id: int = RowId):
        shipment = action(actor=current_actor(request), shipment_id=shipment_id, note=payload.note)
        return _detail(shipment)

    return view


for _path, _action in (
    ("reattempt", services.reattempt),
    ("return", services.return_to_sender),
    ("lost", services.declare_lost),
):
    _view = allow(OPERATOR_ADMIN)(_operator_action(_action))
    _view.__name__ = f"shipment_{_path}"
    router.post(
        f"/ops/shipments/{{shipment_id}}/{_path}",
        response={200: ShipmentDetailOut, **ERRORS},
        operation_id=f"shipment_{_path}",
        summary=_action.__doc__.splitlines()[0] if _action.__doc__ else _path,
    )(_view)


WEBHOOK_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": WebhookIn.model_json_schema()}},
    },
    "parameters": [
        {
            "in": "header",
            "name": signing.TIMESTAMP_HEADER,
            "required": True,
            "schema": {"type": "string"},
        },
        {
            "in": "header",
            "name": signing.SIGNATURE_HEADER,
            "required": True,
            "schema": {"type": "string"},
        },
    ],
}


def signed_by_carrier(request, carrier: str) -> Status | None:
    """None when the request is signed by `carrier` and fresh; else the error response:
    401 `bad_signature` (unsigned or wrongly signed), 400 `stale_webhook`. An unknown
    carrier is a 404. Used by every carrier webhook (outbound and return parcels)."""
    secret = conf.carrier_secrets().get(carrier)
    if secret is None:
        raise NotFound("No such carrier.", field="carrier")
    try:
        signing.verify(
            secret,
            timestamp=request.headers.get(signing.TIMESTAMP_HEADER),
            signature=request.headers.get(signing.SIGNATURE_HEADER),
            body=request.body,
            now=time.time(),
            tolerance=conf.webhook_tolerance(),
        )
    except signing.Unsigned:
        return Status(
            401,
            {
                "code": "bad_signature",
                "message": "Unsigned or wrongly signed.",
                "field": signing.SIGNATURE_HEADER,
            },
        )
    except signing.Stale:
        return Status(
            400,
            {
                "code": "stale_webhook",
                "message": "Timestamp outside the tolerance window.",
                "field": signing.TIMESTAMP_HEADER,
            },
        )
    return None


@router.post(
    "/carriers/{carrier}/webhook",
    response={200: WebhookOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    openapi_extra=WEBHOOK_DOC,
)
@allow(PUBLIC)
def carrier_webhook(request, carrier: str):
    """A carrier's tracking events, signed (HMAC-SHA256 over `<timestamp>.<body>`). Unsigned
    → 401, stale → 400, and nothing changes. Idempotent by the carrier's event id."""
    refused = signed_by_carrier(request, carrier)
    if refused is not None:
        return refused
    try:
        payload = WebhookIn.model_validate_json(request.body or b"null")
    except (ValueError, PydanticError) as exc:
        raise InvalidInput(f"Not a valid webhook body: {str(exc)[:200]}", field="events") from exc
    results = services.ingest_events(
        carrier=carrier,
        events=[
            CarrierEvent(
                e.event_id,
                tracking.normalise(e.tracking_number),
                e.code,
                e.occurred_at,
                e.location,
                e.note,
            )
            for e in payload.events
        ],
    )
    return {"results": [r.__dict__ for r in results]}


@router.get("/merchant/handover-rate", response={200: RateOut, **ERRORS})
@allow(MERCHANT_MEMBER)
def merchant_handover_rate(request, days: int = Query(90, ge=1, le=366)):
    """The merchant's on-time handover rate over the last `days` days."""
    actor = current_actor(request)
    return rate_out(selectors.handover_rate(merchant_id=actor.organisation_id, days=days))


def _sla() -> dict:
    rates = selectors.sla()
    return {
        **{key: [rate_out(r) for r in rows] for key, rows in rates.items()},
        "late_delivery_credit_percent": f"{(services.promise.rule_share() * 100).normalize():f}",
    }


@router.get("/ops/fulfilment/sla", response={200: SlaOut, **ERRORS})
@allow(OPERATOR_MEMBER)
def fulfilment_sla(request):
    """On-time handover % and on-time delivery % by lane, tier and week."""
    return _sla()


@router.post("/ops/fulfilment/credit-rule", response={200: SlaOut, **ERRORS})
@allow(OPERATOR_ADMIN)
def set_credit_rule(request, payload: CreditRuleIn):
    """Set the share of shipping credited to the buyer on a late delivery (0–100 %)."""
    services.set_credit_rule(
        actor=current_actor(request), share_percent=Decimal(payload.share_percent)
    )
    return _sla()
