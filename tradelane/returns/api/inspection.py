"""Returns API: inspection, disposition, settlement and refunds, consolidations.

Operators grade (`POST /returns/{id}/inspection`) and confirm (`POST
/returns/{id}/disposition`); the merchant and the operators read the inspection with every
option's numbers; all parties read the settlement (the buyer its refund); operator admins
retry a failed refund. Thin: parse, authorise, one service or selector, map."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tradelane.core.access import (
    ANY_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    allow,
    current_actor,
)
from tradelane.core.api import ERRORS, ID_MAX, MoneyOut, Pagination, RowId, StrictIn
from tradelane.core.money import Money

from .. import inspection as services
from .. import settlement
from ..inspection import MAX_DEROGATION, MAX_NOTES
from ..schemas import ReturnOut

router = Router(tags=["returns"])

# --- shapes ---------------------------------------------------------------------------------


class InspectionIn(StrictIn):
    grade: str = Field(..., description="as_new, opened, damaged or defective")
    notes: str = Field("", max_length=MAX_NOTES)


class DispositionIn(StrictIn):
    disposition: str | None = Field(
        None,
        description="return_to_merchant, resell_locally, liquidate or dispose; "
        "omitted: the proposed one",
    )
    derogation: str = Field(
        "",
        max_length=MAX_DEROGATION,
        description="why an item the EU forbids destroying is disposed of (e.g. safety)",
    )


class OptionOut(Schema):
    disposition: str
    cost: MoneyOut
    recovery: MoneyOut
    net: MoneyOut
    allowed: bool
    needs_derogation: bool
    explanation: str


class InspectionOut(Schema):
    return_id: int
    status: str
    grade: str
    notes: str
    options: list[OptionOut]
    proposed: str
    rule: str
    chosen: str
    derogation: str
    consolidation_id: int | None
    inspected_at: datetime | None
    confirmed_at: datetime | None

    @staticmethod
    def of(row) -> dict:
        currency = row.request.order.currency
        return {
            "return_id": row.request_id,
            "status": row.request.status,
            "grade": row.grade,
            "notes": row.notes,
            "options": [
                {
                    "disposition": o.disposition,
                    "cost": o.cost.as_json(),
                    "recovery": o.recovery.as_json(),
                    "net": o.net.as_json(),
                    "allowed": o.allowed,
                    "needs_derogation": o.needs_derogation,
                    "explanation": o.explanation,
                }
                for o in services.option_views(row, currency)
            ],
            "proposed": row.proposed,
            "rule": row.rule,
            "chosen": row.chosen,
            "derogation": row.derogation,
            "consolidation_id": row.consolidation_id,
            "inspected_at": row.inspected_at,
            "confirmed_at": row.confirmed_at,
        }


class BearersOut(Schema):
    refund: str
    reverse_shipping: str
    disposition: str


class SettlementOut(Schema):
    return_id: int
    goods: MoneyOut
    shipping: MoneyOut
    duties: MoneyOut
    taxes: MoneyOut
    deducted_reverse_shipping: MoneyOut
    total: MoneyOut
    rule: str
    bearers: BearersOut
    reverse_shipping_cost: MoneyOut
    disposition: str
    disposition_cost: MoneyOut | None = Field(None, description="merchant and operators")
    disposition_recovery: MoneyOut | None = Field(None, description="merchant and operators")
    refund_status: str = Field(..., description="pending, succeeded, failed or not_due")
    refund_message: str
    refund_id: int | None
    refunded_at: datetime | None

    @staticmethod
    def of(row, *, buyer: bool) -> dict:
        c = row.currency
        m = lambda amount: Money(amount, c).as_json()  # noqa: E731
        deducted = row.goods + row.shipping + row.duties + row.taxes - row.total
        inspection = getattr(row.request, "inspection", None)
        return {
            "return_id": row.request_id,
            "goods": m(row.goods),
            "shipping": m(row.shipping),
            "duties": m(row.duties),
            "taxes": m(row.taxes),
            "deducted_reverse_shipping": m(deducted),
            "total": m(row.total),
            "rule": row.rule,
            "bearers": {
                "refund": row.refund_bearer,
                "reverse_shipping": row.reverse_shipping_bearer,
                "disposition": row.disposition_bearer,
            },
            "reverse_shipping_cost": m(row.reverse_shipping_cost),
            "disposition": inspection.chosen if inspection else "",
            "disposition_cost": None if buyer else m(row.disposition_cost),
            "disposition_recovery": None if buyer else m(row.disposition_recovery),
            "refund_status": row.refund_status,
            "refund_message": "" if buyer else row.refund_message,
            "refund_id": row.refund_id,
            "refunded_at": row.refunded_at,
        }


class ConsolidationOut(Schema):
    id: int
    merchant_id: int
    merchant: str
    market: str
    return_point: str
    status: str
    items: int
    gross_kg: str
    tracking_number: str
    created_at: datetime
    shipped_at: datetime | None

    @staticmethod
    def of(row) -> dict:
        return {
            "id": row.pk,
            "merchant_id": row.merchant_id,
            "merchant": row.merchant.name,
            "market": row.return_point.market_id,
            "return_point": row.return_point.name,
            "status": row.status,
            "items": row.items,
            "gross_kg": str(row.gross_kg),
            "tracking_number": row.tracking_number,
            "created_at": row.created_at,
            "shipped_at": row.shipped_at,
        }


class _Mapped:
    def __init__(self, queryset, mapper):
        self.queryset, self.mapper = queryset, mapper

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return [self.mapper(r) for r in self.queryset[item]]


def _settlement(request, return_id: int) -> dict:
    actor = current_actor(request)
    row = services.get_settlement(actor=actor, return_id=return_id)
    return SettlementOut.of(row, buyer=actor.kind == "buyer")


# --- operations -----------------------------------------------------------------------------


@router.get(
    "/ops/returns/inspection-queue",
    response={200: list[ReturnOut], **ERRORS},
    summary="Returns at the return point waiting for a grade, oldest first",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def inspection_queue(request):
    return _Mapped(services.inspection_queue(actor=current_actor(request)), ReturnOut.of)


@router.post(
    "/returns/{return_id}/inspection",
    response={200: InspectionOut, **ERRORS},
    summary="Grade a received return: each disposition costed, one proposed",
)
@allow(OPERATOR_MEMBER)
def inspect_return(request, payload: InspectionIn, return_id: int = RowId):
    """The request must be `received` (409 otherwise). `grade` is as_new, opened, damaged
    or defective (422 `unknown_grade`). Answers the options with cost, recovery and net
    (recovery − cost) in the order's currency, whether each is allowed and why, and the
    proposal (the allowed option with the best net) with its rule."""
    row = services.inspect_return(
        actor=current_actor(request), return_id=return_id, grade=payload.grade, notes=payload.notes
    )
    return InspectionOut.of(row)


@router.get(
    "/returns/{return_id}/inspection",
    response={200: InspectionOut, **ERRORS},
    summary="The grade, every disposition option with its numbers, the proposal and choice",
)
@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
def get_inspection(request, return_id: int = RowId):
    return InspectionOut.of(
        services.get_inspection(actor=current_actor(request), return_id=return_id)
    )


@router.post(
    "/returns/{return_id}/disposition",
    response={200: SettlementOut, **ERRORS},
    summary="Confirm the disposition of an inspected return; it completes and is refunded",
)
@allow(OPERATOR_MEMBER)
def confirm_disposition(request, payload: DispositionIn, return_id: int = RowId):
    """Without `disposition`, the proposed one. Another option must be allowed (422
    `disposition_not_allowed` with why); disposing of apparel or footwear in an EU market
    needs a `derogation`. Answers the settlement: the refund per component by rule, the
    cost bearers, and the refund status (the refund itself follows at once, outside this
    call)."""
    services.confirm_disposition(
        actor=current_actor(request),
        return_id=return_id,
        disposition=payload.disposition,
        derogation=payload.derogation,
    )
    return _settlement(request, return_id)


@router.get(
    "/returns/{return_id}/settlement",
    response={200: SettlementOut, **ERRORS},
    summary="The refund of a completed return per component, its bearers and status",
)
@allow(ANY_MEMBER)
def get_settlement(request, return_id: int = RowId):
    """Buyers see the refund (components, total, status); merchants and operators also
    the disposition's cost and recovery and the reason a refund failed."""
    return _settlement(request, return_id)


@router.post(
    "/returns/{return_id}/refund/retry",
    response={200: SettlementOut, **ERRORS},
    summary="Retry a failed refund (operator admins)",
)
@allow(OPERATOR_ADMIN)
def retry_refund(request, return_id: int = RowId):
    """Only a `failed` refund (409 `refund_not_failed` otherwise). Never above what is
    left of the captured payment: a refusal leaves it `failed` with the reason."""
    settlement.retry_refund(actor=current_actor(request), return_id=return_id)
    return _settlement(request, return_id)


@router.get(
    "/consolidations",
    response={200: list[ConsolidationOut], **ERRORS},
    summary="Consolidated parcels back to merchants (operators: all; merchants: theirs)",
)
@allow(OPERATOR_MEMBER, MERCHANT_MEMBER)
@paginate(Pagination)
def list_consolidations(
    request,
    status: str | None = Query(None, description="open or shipped"),
    merchant_id: int | None = Query(None, ge=1, le=ID_MAX),
):
    rows = services.list_consolidations(
        actor=current_actor(request), status=status, merchant_id=merchant_id
    )
    return _Mapped(rows, ConsolidationOut.of)


@router.post(
    "/consolidations/{consolidation_id}/ship",
    response={200: ConsolidationOut, **ERRORS},
    summary="Ship a merchant's open consolidation (it closes; the next item opens another)",
)
@allow(OPERATOR_MEMBER)
def ship_consolidation(request, consolidation_id: int = RowId):
    return ConsolidationOut.of(
        services.ship_consolidation(actor=current_actor(request), consolidation_id=consolidation_id)
    )
