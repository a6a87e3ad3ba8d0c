"""Return writes: merchant terms, return requests, decisions, disputes, escalation.

Each public service is one transaction. A request takes its quantity from the line's
guarded counter (`ReturnableLine`: one UPDATE guarded by `held + q <= delivered`, backed by
a CHECK constraint), so concurrent requests never exceed what was delivered. Decisions
lock the request row, check the transition table and write a history row.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tradelane.core.outbox import record_event
from tradelane.markets.models import Market

from . import disposition, evidence, lifecycle, reverse, selectors, settlement
from .models import (
    MarketReturnPolicy,
    MerchantReturnTerms,
    ReturnableLine,
    ReturnEvidence,
    ReturnRequest,
    ReturnStatusChange,
)
from .states import (
    AWAITING_MERCHANT,
    BUYER_CANCELLABLE,
    OPERATOR_QUEUE,
    Reason,
    ReturnStatus,
)

MAX_QUANTITY = 1_000_000
MAX_TEXT = 2000
MAX_NOTE = 500


def _note(value: str, field: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput("Say why.", field=field, code="required")
    if len(value) > MAX_NOTE:
        raise InvalidInput(f"At most {MAX_NOTE} characters.", field=field)
    return value


# --- merchant terms -------------------------------------------------------------------------


@transaction.atomic
def set_merchant_terms(
    *, actor: Actor, market: str, window_days: int, accepts_changed_mind: bool
) -> MerchantReturnTerms:
    """The merchant's terms in a market: a window at least the market's (at most 365
    days) and the "changed mind" opt-in. Locks the merchant's row; audited."""
    if actor is None or actor.kind != "merchant":
        raise Forbidden()
    market_obj = Market.objects.filter(code=(market or "").upper()).first()
    if market_obj is None:
        raise NotFound("No such market.", field="market")
    base = selectors.effective_policy(market=market_obj.code, merchant_id=None)
    if not isinstance(window_days, int) or not base.window_days <= window_days <= 365:
        raise InvalidInput(
            f"Between {base.window_days} (the market's window) and 365 days.",
            field="window_days",
        )
    terms = (
        MerchantReturnTerms.objects.select_for_update()
        .filter(merchant_id=actor.organisation_id, market=market_obj)
        .first()
    )
    before = {}
    if terms is None:
        terms = MerchantReturnTerms(merchant_id=actor.organisation_id, market=market_obj)
    else:
        before = {
            "window_days": terms.window_days,
            "accepts_changed_mind": terms.accepts_changed_mind,
        }
    terms.window_days = window_days
    terms.accepts_changed_mind = bool(accepts_changed_mind)
    terms.updated_at = timezone.now()
    terms.save()
    after = {"window_days": window_days, "accepts_changed_mind": terms.accepts_changed_mind}
    record_audit(
        actor=actor,
        action="returns.terms_set",
        target=terms,
        summary=f"return terms in {market_obj.code}",
        changes=diff(before, after),
    )
    return terms


POLICY_FIELDS = {  # field: (lowest, highest)
    "window_days": (1, 365),
    "changed_mind_days": (1, 90),
    "decision_days": (1, 30),
    "auto_approve_days": (0, 90),
}


@transaction.atomic
def set_market_policy(*, actor: Actor, market: str, changes: dict) -> MarketReturnPolicy:
    """An operator edits a market's default terms (windows, decision deadline, the
    auto-approval window). Locks the row; audited. Unknown fields or out-of-range values
    are 422 naming the field."""
    if actor is None or not actor.is_operator:
        raise Forbidden()
    policy = (
        MarketReturnPolicy.objects.select_for_update()
        .filter(market_id=(market or "").upper())
        .first()
    )
    if policy is None:
        raise NotFound("No such market.", field="market")
    before, after = {}, {}
    for field, value in changes.items():
        if field == "changed_mind_business_days":
            if not isinstance(value, bool):
                raise InvalidInput("true or false.", field=field)
        elif field in POLICY_FIELDS:
            low, high = POLICY_FIELDS[field]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise InvalidInput(f"Between {low} and {high}.", field=field)
        else:
            raise InvalidInput("Unknown field.", field=field)
        before[field], after[field] = getattr(policy, field), value
        setattr(policy, field, value)
    policy.updated_at = timezone.now()
    policy.save()
    record_audit(
        actor=actor,
        action="returns.policy_changed",
        target=policy,
        summary=f"return policy of {policy.market_id}",
        changes=diff(before, after),
    )
    return policy


# --- requests -------------------------------------------------------------------------------


def _check_request(
    *, actor: Actor, order_line_id: int, quantity, reason: str, description: str, now: datetime
):
    if actor is None or actor.kind != "buyer":
        raise NotFound("No such order line.", field="order_line_id")
    if reason not in Reason.values:
        raise InvalidInput("Unknown reason.", field="reason")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise InvalidInput("A whole number of at least 1.", field="quantity")
    if quantity > MAX_QUANTITY:
        raise InvalidInput("Too many.", field="quantity", code="exceeds_returnable")
    if len(description or "") > MAX_TEXT:
        raise InvalidInput(f"At most {MAX_TEXT} characters.", field="description")
    line = selectors.get_buyer_line(actor=actor, order_line_id=order_line_id)
    order = line.order
    if order.status not in selectors.DELIVERED or order.delivered_at is None:
        raise Conflict(
            "This order has not been delivered yet: returns open on delivery.",
            field="order_line_id",
            code="not_delivered",
        )
    policy = selectors.effective_policy(market=order.market_id, merchant_id=order.merchant_id)
    if not policy.covers(reason):
        raise InvalidInput(
            "The merchant's return policy does not cover this reason.",
            field="reason",
            code="reason_not_covered",
        )
    window_ends = policy.window_end(reason, order.delivered_at)
    if now > window_ends:
        raise InvalidInput(
            f"The return window for this reason closed on {window_ends:%Y-%m-%d}.",
            field="order_line_id",
            code="outside_return_window",
        )
    return line, order, policy, window_ends


def _take_quantity(line, quantity: int) -> None:
    """One guarded UPDATE on the line's counter (created on first use)."""
    ReturnableLine.objects.bulk_create(
        [ReturnableLine(order_line_id=line.pk, delivered=line.quantity)], ignore_conflicts=True
    )
    taken = ReturnableLine.objects.filter(
        order_line_id=line.pk, held__lte=F("delivered") - quantity
    ).update(held=F("held") + quantity)
    if not taken:
        counter = ReturnableLine.objects.get(order_line_id=line.pk)
        left = max(counter.delivered - counter.held, 0)
        raise InvalidInput(
            f"At most {left} of this line can still be returned.",
            field="quantity",
            code="exceeds_returnable",
        )


def request_return(
    *,
    actor: Actor,
    order_line_id: int,
    quantity: int,
    reason: str,
    description: str = "",
    photos: list[bytes] | None = None,
    now: datetime | None = None,
) -> ReturnRequest:
    """The buyer asks to return `quantity` of a delivered order line.

    Refuses (nothing written): another buyer's line 404; undelivered order 409
    `not_delivered`; reason not covered 422 `reason_not_covered`; past the window 422
    `outside_return_window`; more than delivered minus already requested 422
    `exceeds_returnable` (field `quantity`); a photo that is not an image 422
    `not_an_image` (field `evidence[i]`). Photos are re-encoded and written before the
    transaction and deleted if it fails. Approved at once when the auto-approval rule
    applies. Emits `returns.return_requested` (and `returns.return_approved`)."""
    now = now or timezone.now()
    line, order, policy, window_ends = _check_request(
        actor=actor,
        order_line_id=order_line_id,
        quantity=quantity,
        reason=reason,
        description=description,
        now=now,
    )
    prepared = evidence.prepare(list(photos or []))
    names = evidence.store(prepared)
    try:
        with transaction.atomic():
            _take_quantity(line, quantity)
            request = ReturnRequest.objects.create(
                number=f"RT-{uuid.uuid4().hex[:10].upper()}",
                order=order,
                order_line=line,
                buyer_id=order.buyer_id,
                merchant_id=order.merchant_id,
                market_id=order.market_id,
                quantity=quantity,
                reason=reason,
                description=(description or "").strip(),
                delivered_at=order.delivered_at,
                window_ends_at=window_ends,
                decision_due_at=now + timedelta(days=policy.decision_days),
                created_by=actor.user,
                created_at=now,
                updated_at=now,
            )
            ReturnStatusChange.objects.create(
                subject=request, from_status="", to_status=ReturnStatus.REQUESTED, actor=actor.user
            )
            ReturnEvidence.objects.bulk_create(
                [
                    ReturnEvidence(
                        request=request,
                        image=name,
                        content_type=photo.content_type,
                        width=photo.width,
                        height=photo.height,
                        size_bytes=len(photo.data),
                    )
                    for name, photo in zip(names, prepared, strict=True)
                ]
            )
            record_event("returns.return_requested", lifecycle.payload(request))
            why = policy.auto_approval(
                reason=reason, photos=len(prepared), delivered_at=order.delivered_at, now=now
            )
            if why:
                request.auto_approved = True
                request.decision_note = why
                lifecycle.move(
                    request,
                    ReturnStatus.APPROVED,
                    actor=None,
                    note=why,
                    fields=("auto_approved", "decision_note"),
                )
                record_event("returns.return_approved", lifecycle.payload(request))
                _after_approval(request)
    except BaseException:
        evidence.discard(names)
        raise
    return request


def _after_approval(request: ReturnRequest) -> None:
    """An approved return gets a returnless refund when sending it back would cost more
    than the market's share of its value, else a reverse label to the return point."""
    why = disposition.returnless_reason(request)
    if why:
        settlement.complete_returnless(request, why=why)
    else:
        reverse.create_label(request)


# --- decisions ------------------------------------------------------------------------------


def _locked(actor: Actor, return_id: int) -> ReturnRequest:
    request = selectors.scoped_returns(actor=actor).select_for_update().filter(pk=return_id).first()
    if request is None:
        raise NotFound("No such return request.", field="return_id")
    return request


def _require(request, allowed, message: str) -> None:
    if request.status not in allowed:
        raise Conflict(message, field="status", code="invalid_transition")


@transaction.atomic
def approve_return(*, actor: Actor, return_id: int, note: str = "") -> ReturnRequest:
    """The merchant approves a requested return (locks it). Emits `returns.return_approved`."""
    if actor is None or actor.kind != "merchant":
        raise NotFound("No such return request.", field="return_id")
    request = _locked(actor, return_id)
    note = _note(note, "note", required=False)
    _require(request, AWAITING_MERCHANT, "Only a requested return can be approved.")
    request.decision_note = note
    lifecycle.move(
        request, ReturnStatus.APPROVED, actor=actor, note=note, fields=("decision_note",)
    )
    record_event("returns.return_approved", lifecycle.payload(request))
    _after_approval(request)
    return request


@transaction.atomic
def reject_return(*, actor: Actor, return_id: int, reason: str) -> ReturnRequest:
    """The merchant rejects a requested return, saying why; the buyer may dispute.
    The quantity stays held while it may be disputed. Emits `returns.return_rejected`."""
    if actor is None or actor.kind != "merchant":
        raise NotFound("No such return request.", field="return_id")
    request = _locked(actor, return_id)
    reason = _note(reason, "reason", required=True)
    _require(request, AWAITING_MERCHANT, "Only a requested return can be rejected.")
    request.decision_note = reason
    lifecycle.move(
        request, ReturnStatus.REJECTED, actor=actor, note=reason, fields=("decision_note",)
    )
    record_event("returns.return_rejected", lifecycle.payload(request))
    return request


@transaction.atomic
def cancel_return(*, actor: Actor, return_id: int) -> ReturnRequest:
    """The buyer withdraws a requested or rejected return; the quantity is given back."""
    if actor is None or actor.kind != "buyer":
        raise NotFound("No such return request.", field="return_id")
    request = _locked(actor, return_id)
    _require(request, BUYER_CANCELLABLE, "This return can no longer be withdrawn.")
    lifecycle.move(request, ReturnStatus.CANCELLED, actor=actor)
    record_event("returns.return_cancelled", lifecycle.payload(request))
    return request


@transaction.atomic
def dispute_return(*, actor: Actor, return_id: int, note: str) -> ReturnRequest:
    """The buyer disputes the merchant's rejection: the operator queue decides."""
    if actor is None or actor.kind != "buyer":
        raise NotFound("No such return request.", field="return_id")
    request = _locked(actor, return_id)
    note = _note(note, "note", required=True)
    _require(request, {ReturnStatus.REJECTED}, "Only a rejected return can be disputed.")
    request.dispute_note = note
    lifecycle.move(request, ReturnStatus.DISPUTED, actor=actor, note=note, fields=("dispute_note",))
    record_event("returns.return_disputed", lifecycle.payload(request))
    return request


@transaction.atomic
def resolve_return(*, actor: Actor, return_id: int, decision: str, note: str) -> ReturnRequest:
    """The operator decides a disputed or escalated return: `approve` or `deny` (the
    quantity is given back). Audited. Emits `returns.return_approved` / `_denied`."""
    if actor is None or not actor.is_operator:
        raise Forbidden()
    if decision not in ("approve", "deny"):
        raise InvalidInput("approve or deny.", field="decision")
    request = _locked(actor, return_id)
    note = _note(note, "note", required=True)
    _require(request, OPERATOR_QUEUE, "Only a disputed or escalated return is decided here.")
    target = ReturnStatus.APPROVED if decision == "approve" else ReturnStatus.DENIED
    before = request.status
    request.resolution_note = note
    lifecycle.move(request, target, actor=actor, note=note, fields=("resolution_note",))
    record_audit(
        actor=actor,
        action=f"returns.{decision}",
        target=request,
        summary=f"{request.number}: {decision}",
        changes={"status": [before, target]},
    )
    record_event(f"returns.return_{target}", lifecycle.payload(request))
    if target == ReturnStatus.APPROVED:
        _after_approval(request)
    return request


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Requests the merchant did not decide by their deadline go to the operator queue.
    One short transaction per request (locked, re-checked); returns how many moved."""
    now = now or timezone.now()
    due = list(
        ReturnRequest.objects.filter(
            status=ReturnStatus.REQUESTED, decision_due_at__lt=now
        ).values_list("pk", flat=True)[:500]
    )
    moved = 0
    for pk in due:
        with transaction.atomic():
            request = (
                ReturnRequest.objects.select_for_update()
                .filter(pk=pk, status=ReturnStatus.REQUESTED, decision_due_at__lt=now)
                .first()
            )
            if request is None:
                continue
            lifecycle.move(
                request, ReturnStatus.ESCALATED, actor=None, note="decision deadline passed"
            )
            record_event("returns.return_escalated", lifecycle.payload(request))
            moved += 1
    return moved
