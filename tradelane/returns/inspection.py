"""Inspection and disposition at the return point (operators), consolidations back to
merchants, and the reads of the inspection pages.

    received ─(grade: options costed, a disposition proposed)─► inspected
    inspected ─(confirm: the proposal or another allowed option)─► completed

Writes lock the request (then the merchant's open consolidation), re-check the status
under the lock and move it through `lifecycle.move`. The rules are in `disposition.py`
(options, proposal) and `settlement.py` (refund components, bearers, the refund).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tradelane.core.money import Money
from tradelane.core.outbox import record_event
from tradelane.logistics.fulfilment import tracking

from . import disposition as rules
from . import lifecycle, points, selectors, settlement
from .models import Consolidation, Inspection, ReturnPoint, ReturnRequest, ReturnSettlement
from .states import Disposition, Grade, ReturnStatus

MAX_NOTES = 500
MAX_DEROGATION = 200
CONSOLIDATION_SERVICE = "RC"  # S10 service code of consolidated parcels back to merchants


def _operator(actor: Actor | None) -> None:
    if actor is None or not actor.is_operator:
        raise Forbidden("Only platform operators inspect returns.")


def _locked(actor: Actor, return_id: int) -> ReturnRequest:
    request = selectors.scoped_returns(actor=actor).select_for_update().filter(pk=return_id).first()
    if request is None:
        raise NotFound("No such return request.", field="return_id")
    return request


def _point(request: ReturnRequest) -> ReturnPoint:
    shipment = getattr(request, "reverse_shipment", None)
    if shipment is not None:
        return shipment.return_point
    return points.return_point_for(request.market_id)


def _options(request, point, grade, *, waiting: int, today: date | None):
    item = rules.item_of(request)
    if item.currency != point.currency:
        raise Conflict(
            f"The return point's tariff is in {point.currency}, the order in {item.currency}.",
            field="return_id",
            code="currency_mismatch",
        )
    opts = rules.options(
        grade=grade,
        item=item,
        tariff=rules.Tariff.of(point),
        waiting_items=waiting,
        today=today or timezone.localdate(),
    )
    return item, opts


def _waiting(merchant_id: int, point: ReturnPoint) -> int:
    row = Consolidation.objects.filter(
        merchant_id=merchant_id, return_point=point, status=Consolidation.Status.OPEN
    ).first()
    return row.items if row is not None else 0


# --- grade ----------------------------------------------------------------------------------


@transaction.atomic
def inspect_return(
    *, actor: Actor, return_id: int, grade: str, notes: str = "", today: date | None = None
) -> Inspection:
    """The operator grades a received return: each disposition option is costed and the
    best allowed one proposed (`disposition.options` / `propose`). Locks the request.

    Refuses (nothing written): not an operator 403; unknown return 404; unknown grade 422
    `unknown_grade` (field `grade`); notes over 500 characters 422 (field `notes`); a
    request not `received` 409 `invalid_transition`. Audited; emits
    `returns.return_inspected`."""
    _operator(actor)
    if grade not in Grade.values:
        raise InvalidInput(
            f"Unknown grade; one of {', '.join(Grade.values)}.", field="grade", code="unknown_grade"
        )
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise InvalidInput(f"At most {MAX_NOTES} characters.", field="notes")
    request = _locked(actor, return_id)
    if request.status != ReturnStatus.RECEIVED:
        raise Conflict(
            "Only a return at the return point is graded.",
            field="status",
            code="invalid_transition",
        )
    point = _point(request)
    item, opts = _options(
        request, point, grade, waiting=_waiting(request.merchant_id, point), today=today
    )
    proposed, rule = rules.propose(opts, item.currency)
    now = timezone.now()
    inspection, _ = Inspection.objects.update_or_create(
        request=request,
        defaults={
            "grade": grade,
            "notes": notes,
            "options": [o.as_json() for o in opts],
            "proposed": proposed,
            "rule": rule,
            "inspected_by": actor.user,
            "inspected_at": now,
        },
    )
    note = f"graded {rules.GRADE_NAMES[grade]}; proposed {rules.NAMES[proposed]}"
    lifecycle.move(request, ReturnStatus.INSPECTED, actor=actor, note=note)
    record_audit(
        actor=actor,
        action="returns.inspected",
        target=request,
        summary=f"{request.number}: {note}",
        changes={"grade": [None, grade], "proposed": [None, proposed]},
    )
    record_event(
        "returns.return_inspected",
        {**lifecycle.payload(request), "grade": grade, "proposed": proposed},
    )
    return inspection


# --- confirm --------------------------------------------------------------------------------


def _open_consolidation(merchant_id: int, point: ReturnPoint) -> Consolidation:
    """The merchant's open consolidation at the point, locked; created when there is none
    (one open per merchant and point: a concurrent creator's row is taken instead)."""
    open_rows = Consolidation.objects.select_for_update().filter(
        merchant_id=merchant_id, return_point=point, status=Consolidation.Status.OPEN
    )
    row = open_rows.first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            Consolidation.objects.create(merchant_id=merchant_id, return_point=point)
    except IntegrityError:  # consolidation_one_open_per_merchant: another created it
        pass
    return open_rows.get()


@transaction.atomic
def confirm_disposition(
    *,
    actor: Actor,
    return_id: int,
    disposition: str | None = None,
    derogation: str = "",
    today: date | None = None,
) -> ReturnSettlement:
    """The operator confirms the proposed disposition or chooses another allowed one, and
    the return completes with its settlement (refund components and cost bearers, see
    `settlement.py`); the refund follows the `returns.return_completed` event.

    The options are costed again under the lock (the consolidation may have grown since
    grading). `return_to_merchant` adds the item to the merchant's open consolidation at the
    point (created when there is none). Disposing of an item the EU forbids destroying needs
    a `derogation` text.

    Locks the request, then the consolidation. Refuses (nothing written): not an operator
    403; unknown return 404; unknown disposition 422 `unknown_disposition`; an option not
    allowed 422 `disposition_not_allowed` saying why (field `derogation` when only a
    derogation is missing); derogation over 200 characters 422; a request not `inspected`
    409 `invalid_transition`. Audited."""
    _operator(actor)
    if disposition is not None and disposition not in Disposition.values:
        raise InvalidInput(
            f"Unknown disposition; one of {', '.join(rules.PREFERENCE)}.",
            field="disposition",
            code="unknown_disposition",
        )
    derogation = (derogation or "").strip()
    if len(derogation) > MAX_DEROGATION:
        raise InvalidInput(f"At most {MAX_DEROGATION} characters.", field="derogation")
    request = _locked(actor, return_id)
    if request.status != ReturnStatus.INSPECTED:
        raise Conflict(
            "Only an inspected return is confirmed.", field="status", code="invalid_transition"
        )
    inspection = Inspection.objects.select_for_update().get(request=request)
    chosen = disposition or inspection.proposed
    if chosen not in rules.PHYSICAL:
        raise InvalidInput(
            "A returnless refund is decided at approval; choose what happens to the item.",
            field="disposition",
            code="disposition_not_allowed",
        )
    point = _point(request)
    consolidation = None
    if chosen == Disposition.RETURN_TO_MERCHANT:
        consolidation = _open_consolidation(request.merchant_id, point)
        waiting = consolidation.items
    else:
        waiting = _waiting(request.merchant_id, point)
    item, opts = _options(request, point, inspection.grade, waiting=waiting, today=today)
    option = rules.find(opts, chosen)
    if not option.allowed and not (option.needs_derogation and derogation):
        raise InvalidInput(
            f"{rules.NAMES[chosen].capitalize()} is not allowed: {option.explanation}",
            field="derogation" if option.needs_derogation else "disposition",
            code="disposition_not_allowed",
        )
    proposed, rule = rules.propose(opts, item.currency)
    if consolidation is not None:
        Consolidation.objects.filter(pk=consolidation.pk, status=Consolidation.Status.OPEN).update(
            items=F("items") + request.quantity, gross_kg=F("gross_kg") + item.kg
        )
    now = timezone.now()
    inspection.options = [o.as_json() for o in opts]
    inspection.proposed, inspection.rule = proposed, rule
    inspection.chosen = chosen
    inspection.derogation = derogation if option.needs_derogation else ""
    inspection.consolidation = consolidation
    inspection.confirmed_by, inspection.confirmed_at = actor.user, now
    inspection.save()
    row = settlement.record(
        request,
        reverse_shipping=settlement.reverse_shipping_cost(request, point),
        disposition_cost=option.cost,
        disposition_recovery=option.recovery,
    )
    note = f"{rules.NAMES[chosen]}; refund {rules.money_text(row.total, row.currency)}"
    lifecycle.move(request, ReturnStatus.COMPLETED, actor=actor, note=note)
    record_audit(
        actor=actor,
        action="returns.disposition_confirmed",
        target=request,
        summary=f"{request.number}: {note}"
        + (f" (derogation: {inspection.derogation})" if inspection.derogation else ""),
        changes={"disposition": [proposed, chosen], "refund": [None, str(row.total)]},
    )
    record_event("returns.return_completed", settlement.completed_payload(request, row))
    return row


# --- consolidations -------------------------------------------------------------------------


def list_consolidations(
    *, actor: Actor, status: str | None = None, merchant_id: int | None = None
) -> QuerySet[Consolidation]:
    """Operators see every consolidation, a merchant its own; newest first."""
    if actor is None or actor.organisation is None:
        return Consolidation.objects.none()
    rows = Consolidation.objects.select_related("merchant", "return_point")
    if actor.kind == "merchant":
        rows = rows.filter(merchant_id=actor.organisation_id)
    elif not actor.is_operator:
        return Consolidation.objects.none()
    if status:
        if status not in Consolidation.Status.values:
            raise InvalidInput("Unknown status; open or shipped.", field="status")
        rows = rows.filter(status=status)
    if merchant_id is not None:
        rows = rows.filter(merchant_id=merchant_id)
    return rows.order_by("-created_at", "-id")


@transaction.atomic
def ship_consolidation(*, actor: Actor, consolidation_id: int) -> Consolidation:
    """The operator ships a merchant's open consolidation: it closes (the next item starts
    a new one) and gets a tracking number. Locks it. Refuses: not an operator 403; unknown
    404; not open 409 `invalid_transition`; empty 409 `empty_consolidation`. Audited;
    emits `returns.consolidation_shipped`."""
    _operator(actor)
    row = (
        Consolidation.objects.select_for_update()
        .select_related("return_point")
        .filter(pk=consolidation_id)
        .first()
    )
    if row is None:
        raise NotFound("No such consolidation.", field="consolidation_id")
    if row.status != Consolidation.Status.OPEN:
        raise Conflict(
            "This consolidation has already shipped.", field="status", code="invalid_transition"
        )
    if row.items < 1:
        raise Conflict("Nothing to ship.", field="consolidation_id", code="empty_consolidation")
    row.status = Consolidation.Status.SHIPPED
    row.shipped_at = timezone.now()
    row.tracking_number = tracking.tracking_number(
        (row.pk - 1) % tracking.SERIAL_MAX + 1,
        row.return_point.market_id,
        service=CONSOLIDATION_SERVICE,
    )
    row.save(update_fields=["status", "shipped_at", "tracking_number"])
    record_audit(
        actor=actor,
        action="returns.consolidation_shipped",
        target=row,
        summary=f"consolidation {row.pk}: {row.items} items, {row.tracking_number}",
        changes={"status": ["open", "shipped"]},
    )
    record_event(
        "returns.consolidation_shipped",
        {
            "consolidation_id": row.pk,
            "merchant_id": row.merchant_id,
            "market": row.return_point.market_id,
            "items": row.items,
            "gross_kg": str(row.gross_kg),
            "tracking_number": row.tracking_number,
        },
    )
    return row


# --- reads ----------------------------------------------------------------------------------


def inspection_queue(*, actor: Actor) -> QuerySet[ReturnRequest]:
    """Returns at the return point waiting for a grade, oldest arrival first (operators)."""
    if actor is None or not actor.is_operator:
        return ReturnRequest.objects.none()
    return selectors.list_returns(actor=actor, status=ReturnStatus.RECEIVED).order_by(
        "updated_at", "id"
    )


def awaiting_confirmation(*, actor: Actor) -> QuerySet[ReturnRequest]:
    if actor is None or not actor.is_operator:
        return ReturnRequest.objects.none()
    return selectors.list_returns(actor=actor, status=ReturnStatus.INSPECTED).order_by(
        "updated_at", "id"
    )


def failed_refunds(*, actor: Actor) -> QuerySet[ReturnSettlement]:
    if actor is None or not actor.is_operator:
        return ReturnSettlement.objects.none()
    return (
        ReturnSettlement.objects.filter(refund_status=settlement.RefundState.FAILED)
        .select_related("request__order", "request__merchant")
        .order_by("created_at", "id")
    )


def get_inspection(*, actor: Actor, return_id: int) -> Inspection:
    """The inspection of a return the actor sees (merchant or operator); 404 otherwise."""
    request = selectors.get_return(actor=actor, return_id=return_id)
    if actor.kind == "buyer":
        raise NotFound("No such return request.", field="return_id")
    row = Inspection.objects.filter(request=request).select_related("consolidation").first()
    if row is None:
        raise NotFound("This return has not been inspected yet.", field="inspection")
    return row


def get_settlement(*, actor: Actor, return_id: int) -> ReturnSettlement:
    request = selectors.get_return(actor=actor, return_id=return_id)
    row = ReturnSettlement.objects.filter(request=request).select_related("refund").first()
    if row is None:
        raise NotFound("This return has no settlement yet.", field="settlement")
    return row


@dataclass
class OptionView:
    disposition: str
    label: str
    cost: Money
    recovery: Money
    net: Money
    allowed: bool
    needs_derogation: bool
    explanation: str
    proposed: bool
    chosen: bool


def option_views(inspection: Inspection, currency: str) -> list[OptionView]:
    out = []
    for o in inspection.options or []:
        out.append(
            OptionView(
                disposition=o["disposition"],
                label=Disposition(o["disposition"]).label,
                cost=Money(Decimal(o["cost"]), currency),
                recovery=Money(Decimal(o["recovery"]), currency),
                net=Money(Decimal(o["net"]), currency),
                allowed=o["allowed"],
                needs_derogation=o.get("needs_derogation", False),
                explanation=o["explanation"],
                proposed=o["disposition"] == inspection.proposed,
                chosen=o["disposition"] == inspection.chosen,
            )
        )
    return out


def panel(*, actor: Actor | None, request: ReturnRequest) -> dict:
    """What the return detail shows of inspection and settlement to this actor: the buyer
    the refund per component and its status; the merchant and operators the grade, every
    option with its numbers, the choice, the settlement lines and bearers."""
    kind = getattr(actor, "kind", None)
    inspection = Inspection.objects.filter(request=request).select_related("consolidation").first()
    row = ReturnSettlement.objects.filter(request=request).select_related("refund").first()
    currency = row.currency if row is not None else request.order.currency
    return {
        "r": request,
        "kind": kind,
        "inspection": inspection,
        "options": option_views(inspection, currency) if inspection and kind != "buyer" else [],
        "settlement": row,
        "money": _money_of(row) if row is not None else None,
        "refund_label": settlement.RefundState.LABELS.get(row.refund_status) if row else "",
        "can_retry": bool(
            row is not None
            and kind == "operator"
            and getattr(actor, "role", "") == "admin"
            and row.refund_status == settlement.RefundState.FAILED
        ),
        "show": inspection is not None or row is not None or kind == "operator",
    }


def _money_of(row: ReturnSettlement) -> dict:
    c = row.currency
    deduction = row.goods + row.shipping + row.duties + row.taxes - row.total
    return {
        "goods": Money(row.goods, c),
        "shipping": Money(row.shipping, c),
        "duties": Money(row.duties, c),
        "taxes": Money(row.taxes, c),
        "deduction": Money(deduction, c),
        "total": Money(row.total, c),
        "reverse_shipping_cost": Money(row.reverse_shipping_cost, c),
        "disposition_cost": Money(row.disposition_cost, c),
        "disposition_recovery": Money(row.disposition_recovery, c),
    }
