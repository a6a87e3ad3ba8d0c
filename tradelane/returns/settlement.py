"""Settlement of a return: the refund per component by rule, who bears each cost, and the
refund through the payments context (idempotent, never above what was captured).

Refund components (order currency; pro-rata shares are rounded DOWN to the currency's minor
unit so that the returns of one order never add up to more than it charged; the goods are
exact: unit price × quantity):

    share     = line_total / goods_total × returned quantity / line quantity
    merchant fault (defective, not as described, wrong or missing item) and transit
    damage:     goods + share × (shipping + duties + taxes) of the order
    changed mind: goods + share × taxes; no shipping, no duties; the reverse shipping is
                the buyer's and is deducted from the refund (never below zero)

Cost bearers (`states.BEARER` by reason): the party at fault bears the reverse shipping and
the disposition (handling, parcel, disposal); transit damage is claimed from the carrier.
For "changed mind" the buyer bears the reverse shipping (deducted), while the refund and
the disposition stay with the merchant (it opted in to changed-mind returns and gets the
sale back).

The refund itself: `issue_refund` (the `returns.return_completed` handler, and the
operators' retry) calls payments `refund_payment` outside any transaction with the
idempotency key `return:<id>` (`return:<id>:retry-<n>` after a declined attempt), and
records the Refund and its status on the settlement. A refund the payments context refuses
(more than what is left of the captured payment, or no captured payment) leaves the
settlement `failed` with the reason, for operators to see and retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import Conflict, DomainError, Forbidden, NotFound
from tradelane.core.money import Money, minor_units
from tradelane.core.outbox import record_event
from tradelane.core.transactions import in_business_transaction

from . import disposition as rules
from . import lifecycle
from .models import Inspection, ReturnRequest, ReturnSettlement
from .states import BEARER, Disposition, Party, Reason, ReturnStatus

MERCHANT_FAULT = frozenset(
    {Reason.DEFECTIVE, Reason.NOT_AS_DESCRIBED, Reason.WRONG_ITEM, Reason.MISSING_ITEM}
)
FULL_REFUND = MERCHANT_FAULT | {Reason.DAMAGED_IN_TRANSIT}


class RefundState:
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    NOT_DUE = "not_due"  # nothing to refund (the deduction ate it)

    LABELS = {
        "pending": "Pending",
        "succeeded": "Refunded",
        "failed": "Failed",
        "not_due": "Nothing to refund",
    }


# --- the rule (pure) ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFigures:
    currency: str
    goods_total: Decimal
    shipping_total: Decimal
    duties_total: Decimal
    taxes_total: Decimal
    line_total: Decimal
    line_quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Components:
    currency: str
    goods: Decimal
    shipping: Decimal
    duties: Decimal
    taxes: Decimal
    deduction: Decimal
    total: Decimal
    rule: str
    refund_bearer: str
    reverse_shipping_bearer: str
    disposition_bearer: str


def bearers(reason: str) -> tuple[str, str, str]:
    """(refund, reverse shipping, disposition) bearers for a reason."""
    fault = BEARER[reason]
    if fault == Party.BUYER:
        return Party.MERCHANT, Party.BUYER, Party.MERCHANT
    return fault, fault, fault


def _down(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_DOWN)


def components(
    *, reason: str, quantity: int, order: OrderFigures, reverse_shipping: Decimal
) -> Components:
    c = order.currency
    m = lambda amount: rules.money_text(amount, c)  # noqa: E731
    goods = rules.rounded(order.unit_price * quantity, c)
    share = Decimal(0)
    if order.goods_total > 0 and order.line_quantity > 0:
        share = order.line_total / order.goods_total * quantity / order.line_quantity
    taxes = _down(order.taxes_total * share, c)
    share_text = (
        f"this line's share {rules.pct(share)} = line {m(order.line_total)} of goods "
        f"{m(order.goods_total)} × {quantity} of {order.line_quantity} units"
    )
    refund_bearer, reverse_bearer, disposition_bearer = bearers(reason)
    if reason in FULL_REFUND:
        shipping = _down(order.shipping_total * share, c)
        duties = _down(order.duties_total * share, c)
        deduction = Decimal(0)
        why = "transit damage" if reason == Reason.DAMAGED_IN_TRANSIT else "the merchant's fault"
        gross = goods + shipping + duties + taxes
        rule = (
            f"{Reason(reason).name.replace('_', ' ').capitalize()} ({why}): goods {m(goods)} "
            f"({quantity} × {m(order.unit_price)}) + shipping {m(shipping)} + duties "
            f"{m(duties)} + taxes {m(taxes)} ({share_text}) = {m(gross)}."
        )
    else:
        shipping = duties = Decimal(0)
        gross = goods + taxes
        deduction = min(rules.rounded(reverse_shipping, c), gross)
        rule = (
            f"Changed mind: goods {m(goods)} ({quantity} × {m(order.unit_price)}) + taxes "
            f"{m(taxes)} ({share_text}); shipping and duties are not refunded; the reverse "
            f"shipping {m(reverse_shipping)} is the buyer's and is deducted: "
            f"{m(gross - deduction)}."
        )
    labels = {Party.MERCHANT: "merchant", Party.BUYER: "buyer", Party.CARRIER: "carrier (claim)"}
    rule += (
        f" Refund borne by the {labels[refund_bearer]}, reverse shipping by the "
        f"{labels[reverse_bearer]}, disposition by the {labels[disposition_bearer]}."
    )
    return Components(
        currency=c,
        goods=goods,
        shipping=shipping,
        duties=duties,
        taxes=taxes,
        deduction=deduction,
        total=gross - deduction,
        rule=rule[: rules.MAX_RULE],
        refund_bearer=refund_bearer,
        reverse_shipping_bearer=reverse_bearer,
        disposition_bearer=disposition_bearer,
    )


# --- recording (inside the caller's transaction, the request locked) ------------------------


def _figures(request: ReturnRequest) -> OrderFigures:
    from tradelane.orders.models import OrderLine

    line = OrderLine.objects.select_related("order").get(pk=request.order_line_id)
    order = line.order
    return OrderFigures(
        currency=order.currency,
        goods_total=order.goods_total,
        shipping_total=order.shipping_total,
        duties_total=order.duties_total,
        taxes_total=order.taxes_total,
        line_total=line.line_total,
        line_quantity=line.quantity,
        unit_price=line.unit_price,
    )


def reverse_shipping_cost(request: ReturnRequest, point) -> Decimal:
    """What the reverse parcel cost: its recorded cost, else the tariff's label (plus the
    pickup surcharge for a pickup); 0 when there is no point."""
    shipment = getattr(request, "reverse_shipment", None)  # None when it has none
    if shipment is not None:
        return shipment.cost
    return point.reverse_label_cost if point is not None else Decimal(0)


def record(
    request: ReturnRequest,
    *,
    reverse_shipping: Decimal,
    disposition_cost: Decimal,
    disposition_recovery: Decimal,
) -> ReturnSettlement:
    """Write the settlement of a request being completed (caller holds its lock)."""
    parts = components(
        reason=request.reason,
        quantity=request.quantity,
        order=_figures(request),
        reverse_shipping=reverse_shipping,
    )
    return ReturnSettlement.objects.create(
        request=request,
        currency=parts.currency,
        goods=parts.goods,
        shipping=parts.shipping,
        duties=parts.duties,
        taxes=parts.taxes,
        total=parts.total,
        rule=parts.rule,
        refund_bearer=parts.refund_bearer,
        reverse_shipping_cost=rules.rounded(reverse_shipping, parts.currency),
        reverse_shipping_bearer=parts.reverse_shipping_bearer,
        disposition_cost=disposition_cost,
        disposition_recovery=disposition_recovery,
        disposition_bearer=parts.disposition_bearer,
        refund_status=RefundState.PENDING if parts.total > 0 else RefundState.NOT_DUE,
        refund_message="" if parts.total > 0 else "Nothing to refund.",
    )


def completed_payload(request: ReturnRequest, row: ReturnSettlement) -> dict:
    return {
        **lifecycle.payload(request),
        "refund_total": str(row.total),
        "currency": row.currency,
    }


def complete_returnless(request: ReturnRequest, *, why: str) -> None:
    """Inside the approval's transaction, the request locked: complete it without a
    return (disposition `returnless`), record the settlement; the refund follows the
    `returns.return_completed` event. No reverse parcel: nothing to deduct, no handling."""
    now = timezone.now()
    Inspection.objects.create(
        request=request,
        options=[],
        proposed=Disposition.RETURNLESS,
        rule=why[: rules.MAX_RULE],
        chosen=Disposition.RETURNLESS,
        confirmed_at=now,
    )
    row = record(
        request,
        reverse_shipping=Decimal(0),
        disposition_cost=Decimal(0),
        disposition_recovery=Decimal(0),
    )
    lifecycle.move(request, ReturnStatus.COMPLETED, actor=None, note=why[:500])
    record_audit(
        actor=None,
        action="returns.returnless_refund",
        target=request,
        summary=f"{request.number}: returnless refund {row.total} {row.currency}",
        changes={"status": [ReturnStatus.APPROVED, ReturnStatus.COMPLETED]},
    )
    record_event("returns.return_completed", completed_payload(request, row))


# --- the refund (outside any transaction) ---------------------------------------------------


def _refund_key(row: ReturnSettlement, payment) -> str:
    """`return:<id>`; after a declined attempt `return:<id>:retry-<n>`. A pending refund is
    resumed and a succeeded one replayed with its own key."""
    from tradelane.payments.models import Refund

    base = f"return:{row.request_id}"
    attempts = list(
        Refund.objects.filter(payment_id=payment.pk)
        .filter(Q(idempotency_key=base) | Q(idempotency_key__startswith=f"{base}:"))
        .order_by("id")
    )
    if not attempts:
        return base
    last = attempts[-1]
    if last.status == "failed":
        return f"{base}:retry-{len(attempts)}"
    return last.idempotency_key


@transaction.atomic
def _store(row_id: int, *, status: str, message: str, refund=None) -> ReturnSettlement:
    row = ReturnSettlement.objects.select_for_update().get(pk=row_id)
    if row.refund_status == RefundState.SUCCEEDED:  # a concurrent attempt recorded it
        return row
    before = row.refund_status
    row.refund_status = status
    row.refund_message = message[:300]
    if refund is not None:
        row.refund = refund
    if status == RefundState.SUCCEEDED:
        row.refunded_at = timezone.now()
    row.save(update_fields=["refund_status", "refund_message", "refund", "refunded_at"])
    if before != status:
        record_event(
            f"returns.refund_{status}",
            {
                "return_id": row.request_id,
                "settlement_id": row.pk,
                "refund_id": row.refund_id,
                "amount": str(row.total),
                "currency": row.currency,
                "status": status,
                "message": row.refund_message,
            },
        )
    return row


def issue_refund(*, return_id: int, actor: Actor | None = None) -> ReturnSettlement:
    """Refund a completed return's settlement total to the order's payment; idempotent
    (a succeeded or not-due settlement is returned as it is). Outside any transaction
    (RuntimeError otherwise). Records `succeeded`, `failed` (declined, more than what is
    left of the captured payment, no captured payment: with the reason) or `pending` (the
    provider did not answer: ProviderUnavailable is raised again so the caller retries)."""
    from tradelane.payments import errors as payment_errors
    from tradelane.payments import selectors as payment_selectors
    from tradelane.payments import services as payments
    from tradelane.payments.models import Refund

    if in_business_transaction():
        raise RuntimeError("issue_refund() calls the payment provider: outside transactions")
    row = (
        ReturnSettlement.objects.select_related("request__order")
        .filter(request_id=return_id)
        .first()
    )
    if row is None:
        raise NotFound("This return has no settlement yet.", field="return_id")
    if row.refund_status in (RefundState.SUCCEEDED, RefundState.NOT_DUE):
        return row
    if row.total <= 0:
        return _store(row.pk, status=RefundState.NOT_DUE, message="Nothing to refund.")
    order = row.request.order
    payment = payment_selectors.payment_for_reference(f"order:{order.number}")
    if payment is None:
        return _store(
            row.pk,
            status=RefundState.FAILED,
            message=f"No payment was found for order {order.number}.",
        )
    key = _refund_key(row, payment)
    try:
        refund = payments.refund_payment(
            payment_id=payment.pk,
            amount=Money(row.total, row.currency),
            reason=f"return {row.request.number}",
            idempotency_key=key,
            actor=actor,
        )
    except payment_errors.RefundExceedsCaptured as error:
        return _store(
            row.pk,
            status=RefundState.FAILED,
            message=(
                f"Refused: {rules.money_text(row.total, row.currency)} is more than what is "
                f"left of the captured payment. {error.message}"
            ),
        )
    except payment_errors.ProviderUnavailable:
        pending = Refund.objects.filter(payment_id=payment.pk, idempotency_key=key).first()
        _store(
            row.pk,
            status=RefundState.PENDING,
            message="The payment provider did not answer; the refund is retried.",
            refund=pending,
        )
        raise
    except DomainError as error:  # not captured, another currency, …
        return _store(row.pk, status=RefundState.FAILED, message=f"Refused: {error.message}")
    message = ""
    if refund.status == "failed":
        message = f"Declined by the payment provider: {refund.failure_message}"
    elif refund.status == "pending":
        message = "The refund is pending at the payment provider."
    return _store(row.pk, status=refund.status, message=message, refund=refund)


def retry_refund(*, actor: Actor, return_id: int) -> ReturnSettlement:
    """An operator admin retries a failed refund (another idempotency key after a
    declined attempt, the same one after a refusal). Refuses: not an operator admin 403,
    another tenant's or unknown return 404, a refund that did not fail 409
    `refund_not_failed`. Audited."""
    if actor is None or not actor.is_operator or actor.role != "admin":
        raise Forbidden("Only operator admins retry refunds.")
    with transaction.atomic():
        row = (
            ReturnSettlement.objects.select_for_update()
            .filter(request_id=return_id)
            .select_related("request")
            .first()
        )
        if row is None:
            if not ReturnRequest.objects.filter(pk=return_id).exists():
                raise NotFound("No such return request.", field="return_id")
            raise Conflict(
                "This return has no settlement yet.", field="return_id", code="not_settled"
            )
        if row.refund_status != RefundState.FAILED:
            raise Conflict(
                f"Only a failed refund is retried; this one is {row.refund_status}.",
                field="refund_status",
                code="refund_not_failed",
            )
        record_audit(
            actor=actor,
            action="returns.refund_retried",
            target=row.request,
            summary=f"{row.request.number}: refund retried ({row.refund_message})",
            changes={"refund_status": [row.refund_status, "retry"]},
        )
    return issue_refund(return_id=return_id, actor=actor)
