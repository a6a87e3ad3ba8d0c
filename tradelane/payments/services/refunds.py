"""Refunds: never more than captured, even when many run at once.

1. Claim: one guarded UPDATE adds the amount to `refund_pending_amount` only while
   `refunded + pending + amount <= captured`, and inserts the pending Refund (its
   idempotency key unique per payment) — a short transaction, committed.
2. Call the provider outside any transaction, with a key derived from the refund.
3. Record: lock the payment, then the refund; on success move the amount from pending to
   refunded (and the payment to partially_refunded / refunded); on a decline give the claim
   back. A transport failure keeps the claim and the refund pending: calling again with the
   same idempotency key resumes it (the provider replays, so money moves at most once).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.utils import timezone

from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.money import Money
from tradelane.core.outbox import record_event

from ..errors import RefundExceedsCaptured
from ..models import EPSILON, Payment, Refund
from ..providers import get_provider
from ..states import REFUNDABLE, Operation, Outcome, PaymentStatus, RefundStatus
from .common import call_provider, log_operation, move, positive_amount, refuse_inside_transaction

# A fully refunded payment answers "refund_exceeds_captured" (nothing left), like a
# partially refunded one asked for too much; uncaptured payments are invalid transitions.
CAPTURED_ONCE = REFUNDABLE | {PaymentStatus.REFUNDED}


def refund_key(refund: Refund) -> str:
    return f"tradelane-refund-{refund.pk}"


def refund_payment(
    *,
    payment_id: int,
    amount: Money,
    reason: str,
    idempotency_key: str,
    actor=None,
) -> Refund:
    """Refund part or all of a captured payment; returns the Refund (`succeeded`, or
    `failed` when the provider declined it — the claimed amount is then available again).

    Outside any transaction (RuntimeError otherwise). The same `idempotency_key` again
    returns the same refund and moves money once (a pending one is resumed); with another
    amount or reason it is a 422 `idempotency_key_reused`. Raises InvalidTransition unless
    the payment is captured or partially refunded, RefundExceedsCaptured (409) beyond what
    is left, ProviderUnavailable when the provider does not answer (the refund stays
    pending, its amount claimed; retry with the same key). Emits
    `payments.refund_succeeded` / `payments.refund_failed`; audits when `actor` is given.
    """
    refuse_inside_transaction("refund_payment")
    key = (idempotency_key or "").strip()
    if not key or len(key) > 255 or not key.isprintable():
        raise InvalidInput(
            "The idempotency key must be 1 to 255 printable characters.", field="idempotency_key"
        )
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise InvalidInput("A reason of 1 to 300 characters is required.", field="reason")
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("No such payment.", field="payment_id")
    money = positive_amount(amount, currency=payment.currency)
    refund = _claim(payment, money, reason, key, actor)
    if refund.status != RefundStatus.PENDING:
        return refund
    return _settle(payment, refund, actor)


def resume_refund(*, refund_id: int) -> Refund:
    """Retry the provider call of a refund left pending by a transport failure."""
    refuse_inside_transaction("resume_refund")
    refund = Refund.objects.select_related("payment").filter(pk=refund_id).first()
    if refund is None:
        raise NotFound("No such refund.", field="refund_id")
    if refund.status != RefundStatus.PENDING:
        return refund
    return _settle(refund.payment, refund, None)


def _same_request(refund: Refund, money: Money, reason: str) -> Refund:
    if refund.amount != money.amount or refund.reason != reason:
        raise InvalidInput(
            "This idempotency key was used for a different refund.",
            field="idempotency_key",
            code="idempotency_key_reused",
        )
    return refund


def _claim(payment: Payment, money: Money, reason: str, key: str, actor) -> Refund:
    existing = Refund.objects.filter(payment_id=payment.pk, idempotency_key=key).first()
    if existing is not None:
        return _same_request(existing, money, reason)
    if payment.status not in CAPTURED_ONCE:
        raise InvalidTransition(
            f"A {payment.get_status_display().lower()} payment cannot be refunded.",
            field="status",
        )
    try:
        with transaction.atomic():
            claimed = (
                Payment.objects.filter(pk=payment.pk, status__in=REFUNDABLE)
                .filter(
                    captured_amount__gte=F("refunded_amount")
                    + F("refund_pending_amount")
                    + Value(money.amount - EPSILON)
                )
                .update(
                    refund_pending_amount=F("refund_pending_amount") + Value(money.amount),
                    updated_at=timezone.now(),
                )
            )
            if not claimed:
                current = Payment.objects.get(pk=payment.pk)
                if current.status not in CAPTURED_ONCE:
                    raise InvalidTransition(
                        f"A {current.get_status_display().lower()} payment cannot be refunded.",
                        field="status",
                    )
                raise RefundExceedsCaptured(
                    f"At most {current.refundable.rounded()} can still be refunded.",
                    field="amount",
                )
            refund = Refund.objects.create(
                payment_id=payment.pk,
                currency=payment.currency,
                amount=money.amount,
                reason=reason,
                idempotency_key=key,
                requested_by=getattr(actor, "user", None),
            )
            if actor is not None:
                record_audit(
                    actor=actor,
                    action="payments.refund_requested",
                    target=payment,
                    summary=f"refund {money.rounded()} of payment {payment.pk}: {reason}",
                    changes={"refund": [None, str(money.amount)]},
                )
    except IntegrityError:  # the same key, concurrently: the first claim stands alone
        existing = Refund.objects.get(payment_id=payment.pk, idempotency_key=key)
        return _same_request(existing, money, reason)
    return refund


def _settle(payment: Payment, refund: Refund, actor) -> Refund:
    key = refund_key(refund)
    money = refund.money().rounded()
    result, duration = call_provider(
        lambda: get_provider(payment.provider).refund(
            provider_ref=payment.provider_ref, amount=money, idempotency_key=key
        ),
        payment=payment,
        operation=Operation.REFUND,
        key=key,
        amount=money,
        refund=refund,
    )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.PENDING:  # a concurrent retry recorded it
            return refund
        now = timezone.now()
        pending = F("refund_pending_amount") - Value(money.amount)
        if result.ok:
            Payment.objects.filter(pk=payment.pk).update(
                refund_pending_amount=pending,
                refunded_amount=F("refunded_amount") + Value(money.amount),
                updated_at=now,
            )
            payment.refresh_from_db()
            full = payment.refunded_amount >= payment.captured_amount
            target = PaymentStatus.REFUNDED if full else PaymentStatus.PARTIALLY_REFUNDED
            if target != payment.status:
                move(
                    payment,
                    target,
                    expected=payment.status,
                    actor=actor,
                    note=f"refund {refund.pk}",
                )
            refund.status, refund.provider_ref = RefundStatus.SUCCEEDED, result.provider_ref
        else:
            Payment.objects.filter(pk=payment.pk).update(
                refund_pending_amount=pending, updated_at=now
            )
            refund.status = RefundStatus.FAILED
            refund.failure_code = (result.failure_code or "refund_declined")[:50]
            refund.failure_message = (result.failure_message or "Declined.")[:300]
        refund.completed_at = now
        refund.save(
            update_fields=[
                "status",
                "provider_ref",
                "failure_code",
                "failure_message",
                "completed_at",
            ]
        )
        log_operation(
            payment=payment,
            refund=refund,
            operation=Operation.REFUND,
            key=key,
            amount=money,
            outcome=Outcome.SUCCEEDED if result.ok else Outcome.DECLINED,
            result=result,
            duration_ms=duration,
        )
        record_event(
            "payments.refund_succeeded" if result.ok else "payments.refund_failed",
            {
                "payment_id": payment.pk,
                "refund_id": refund.pk,
                "reference": payment.reference,
                "payer_organisation_id": payment.payer_organisation_id,
                "payee_organisation_id": payment.payee_organisation_id,
                "amount": money.as_json(),
                "reason": refund.reason,
                "payment_status": payment.status,
            },
        )
    return refund
