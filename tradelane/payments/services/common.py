"""Pieces shared by the payment and refund services."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.utils import timezone

from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money
from tradelane.core.states import check_transition
from tradelane.core.transactions import in_business_transaction

from ..errors import ProviderUnavailable
from ..models import Payment, PaymentStatusChange, ProviderOperation
from ..providers import ProviderError, ProviderResult
from ..states import TRANSITIONS, Outcome

MAX_AMOUNT = 10**13  # fits amount_field (18 digits, 4 decimals)


def refuse_inside_transaction(name: str) -> None:
    """Provider calls never run while the caller holds row locks."""
    if in_business_transaction():
        raise RuntimeError(
            f"{name}() calls the payment provider: call it outside transaction.atomic"
        )


def positive_amount(value: Money, *, currency: str, field: str = "amount") -> Money:
    """`value` in `currency`, rounded to the minor unit, strictly positive and bounded."""
    if not isinstance(value, Money):
        raise InvalidInput("An amount with a currency is required.", field=field)
    if value.currency != currency:
        raise InvalidInput(
            f"The amount must be in {currency}, not {value.currency}.",
            field=f"{field}.currency",
            code="currency_mismatch",
        )
    rounded = value.rounded()
    if rounded.amount <= 0:
        raise InvalidInput("The amount must be greater than zero.", field=field)
    if rounded.amount >= MAX_AMOUNT:
        raise InvalidInput("The amount is too large.", field=field)
    return rounded


def call_provider(
    call: Callable[[], ProviderResult],
    *,
    payment: Payment,
    operation: str,
    key: str,
    amount: Money | None = None,
    refund=None,
) -> tuple[ProviderResult, int]:
    """Run one provider call; on a transport failure log it and raise ProviderUnavailable."""
    started = time.monotonic()
    try:
        result = call()
    except ProviderError as exc:
        log_operation(
            payment=payment,
            refund=refund,
            operation=operation,
            key=key,
            amount=amount,
            outcome=Outcome.ERROR,
            message=str(exc),
            duration_ms=_ms(started),
        )
        raise ProviderUnavailable(
            "The payment provider did not answer; nothing was charged twice. Retry shortly.",
            field=None,
        ) from exc
    return result, _ms(started)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def log_operation(
    *,
    payment: Payment,
    operation: str,
    key: str,
    outcome: str,
    amount: Money | None = None,
    refund=None,
    result: ProviderResult | None = None,
    message: str = "",
    duration_ms: int = 0,
) -> ProviderOperation:
    return ProviderOperation.objects.create(
        payment_id=payment.pk,
        refund=refund,
        provider=payment.provider,
        operation=operation,
        idempotency_key=key,
        outcome=outcome,
        currency=amount.currency if amount is not None else "",
        amount=amount.amount if amount is not None else None,
        provider_ref=result.provider_ref if result else "",
        failure_code=result.failure_code[:50] if result else "",
        message=(message or (result.failure_message if result else ""))[:300],
        duration_ms=duration_ms,
    )


def move(
    payment: Payment,
    target: str,
    *,
    expected: str | frozenset[str],
    actor=None,
    note: str = "",
    **fields,
) -> bool:
    """Guarded status change: one UPDATE that only matches while the payment is still in
    `expected` (the re-check under the row lock), plus the history row. False when a
    concurrent call moved it first; then nothing is written."""
    current = payment.status
    check_transition(TRANSITIONS, current, target)
    expected_set = {expected} if isinstance(expected, str) else set(expected)
    now = timezone.now()
    updated = Payment.objects.filter(pk=payment.pk, status__in=expected_set).update(
        status=target, updated_at=now, **fields
    )
    if not updated:
        return False
    for name, value in fields.items():
        setattr(payment, name, value)
    payment.status, payment.updated_at = target, now
    PaymentStatusChange.objects.create(
        subject_id=payment.pk,
        from_status=current,
        to_status=target,
        actor=getattr(actor, "user", actor),
        note=note[:500],
    )
    return True
