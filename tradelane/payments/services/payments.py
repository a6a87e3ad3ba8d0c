"""Payments: create (inside the caller's transaction), then authorise, capture or void
through the provider — each provider call outside any transaction, its result recorded in
a short transaction of its own with a guarded UPDATE that re-checks the status."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.money import Money, validate_currency
from tradelane.core.outbox import record_event

from ..errors import ProviderRefused
from ..models import Payment
from ..providers import default_name, get_provider
from ..states import Operation, Outcome, PaymentStatus
from .common import call_provider, log_operation, move, positive_amount, refuse_inside_transaction

S = PaymentStatus


def provider_key(payment: Payment, operation: str) -> str:
    """The provider idempotency key of an operation on a payment: a retry reuses it."""
    return f"tradelane-payment-{payment.pk}-{operation}"


def create_payment(
    *,
    payer_organisation_id: int,
    payee_organisation_id: int | None,
    amount: Money,
    reference: str,
    method: str,
) -> Payment:
    """A `pending` payment row, written in the caller's transaction (one INSERT); no
    provider call. The amount is rounded to the currency's minor unit.

    The caller vouches for the organisation ids. Raises InvalidInput (`amount`,
    `reference`, `unknown_payment_method` on `method`).
    """
    if not isinstance(amount, Money):
        raise InvalidInput("An amount with a currency is required.", field="amount")
    currency = validate_currency(amount.currency, field="amount.currency")
    amount = positive_amount(amount, currency=currency)
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise InvalidInput("A reference of 1 to 100 characters is required.", field="reference")
    provider_name = default_name()
    get_provider(provider_name).check_method(method)
    now = timezone.now()
    return Payment.objects.create(
        payer_organisation_id=payer_organisation_id,
        payee_organisation_id=payee_organisation_id,
        reference=reference,
        currency=currency,
        amount=amount.amount,
        provider=provider_name,
        method=method,
        created_at=now,
        updated_at=now,
    )


def _get(payment_id: int) -> Payment:
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("No such payment.", field="payment_id")
    return payment


def authorise_payment(
    *,
    payment_id: int | None = None,
    payment: Payment | None = None,
    then: Callable[[Payment], None] | None = None,
) -> Payment:
    """Ask the provider to authorise a pending payment; record authorised or failed.

    Give `payment_id`, or the `payment` the caller already holds (e.g. just created): then
    it is not read again. A copy that is out of date costs nothing but a replayed provider
    call: the provider key is derived from the payment, and the outcome is recorded by an
    UPDATE guarded on `pending`, so retries and concurrent calls authorise at most once.

    Must run outside any transaction (RuntimeError otherwise). Returns the payment:
    `authorised`, or `failed` with `failure_code` / `failure_message` (use
    `errors.failure_error(payment)` to raise it). A payment already decided is returned
    as it is. A transport failure raises ProviderUnavailable and leaves it `pending`
    (call again later). Writes: the status change, its history row, the operation log.
    `then(payment)`, if given, runs in the same transaction once the outcome is recorded
    (the caller's own bookkeeping commits with it, or not at all).
    """
    refuse_inside_transaction("authorise_payment")
    if (payment is None) == (payment_id is None):
        raise TypeError("authorise_payment() takes one of payment_id and payment")
    if payment is None:
        payment = _get(payment_id)
    if payment.status != S.PENDING:
        return payment
    provider = get_provider(payment.provider)
    key = provider_key(payment, Operation.AUTHORISE)
    money = payment.money()
    result, duration = call_provider(
        lambda: provider.authorise(
            amount=money, method=payment.method, reference=payment.reference, idempotency_key=key
        ),
        payment=payment,
        operation=Operation.AUTHORISE,
        key=key,
        amount=money,
    )
    with transaction.atomic():
        if result.ok:
            moved = move(
                payment,
                S.AUTHORISED,
                expected=S.PENDING,
                provider_ref=result.provider_ref,
                authorised_amount=payment.amount,
                authorised_at=timezone.now(),
            )
        else:
            moved = move(
                payment,
                S.FAILED,
                expected=S.PENDING,
                note=result.failure_code,
                provider_ref=result.provider_ref,
                failure_code=(result.failure_code or "payment_declined")[:50],
                failure_message=(result.failure_message or "Declined.")[:300],
            )
        if not moved:  # a concurrent call recorded the same answer first
            return _get(payment.pk)
        log_operation(
            payment=payment,
            operation=Operation.AUTHORISE,
            key=key,
            amount=money,
            outcome=Outcome.SUCCEEDED if result.ok else Outcome.DECLINED,
            result=result,
            duration_ms=duration,
        )
        if then is not None:
            then(payment)
    return payment


def capture_payment(*, payment_id: int, amount: Money | None = None, actor=None) -> Payment:
    """Capture an authorised payment (all of it, or `amount` up to the authorised amount).

    Outside any transaction (RuntimeError otherwise). Raises InvalidTransition (409) unless
    `authorised` (no capture of a failed payment, no second capture), InvalidInput for a
    bad amount, ProviderRefused (409) when the provider refuses, ProviderUnavailable when
    it does not answer (the payment stays authorised; retry). Emits
    `payments.payment_captured`.
    """
    refuse_inside_transaction("capture_payment")
    payment = _get(payment_id)
    _require(payment, S.AUTHORISED, "captured")
    authorised = payment.money("authorised_amount")
    money = authorised if amount is None else positive_amount(amount, currency=payment.currency)
    if money > authorised:
        raise InvalidInput(f"At most {authorised} can be captured.", field="amount")
    key = provider_key(payment, Operation.CAPTURE)
    result, duration = call_provider(
        lambda: get_provider(payment.provider).capture(
            provider_ref=payment.provider_ref, amount=money, idempotency_key=key
        ),
        payment=payment,
        operation=Operation.CAPTURE,
        key=key,
        amount=money,
    )
    outcome = Outcome.SUCCEEDED if result.ok else Outcome.DECLINED
    with transaction.atomic():
        moved = result.ok and move(
            payment,
            S.CAPTURED,
            expected=S.AUTHORISED,
            actor=actor,
            captured_amount=money.amount,
            captured_at=timezone.now(),
        )
        log_operation(
            payment=payment,
            operation=Operation.CAPTURE,
            key=key,
            amount=money,
            outcome=outcome,
            result=result,
            duration_ms=duration,
        )
        if moved:
            record_event("payments.payment_captured", _event(payment, amount=money))
    if not result.ok:
        raise ProviderRefused(result.failure_message or "The provider refused the capture.")
    if not moved:
        _require(_get(payment_id), S.AUTHORISED, "captured")
    return payment


def void_payment(*, payment_id: int, actor=None) -> Payment:
    """Release an authorised, uncaptured payment. Outside any transaction. Raises
    InvalidTransition unless `authorised`, ProviderRefused / ProviderUnavailable as
    capture does. Emits `payments.payment_voided`."""
    refuse_inside_transaction("void_payment")
    payment = _get(payment_id)
    _require(payment, S.AUTHORISED, "voided")
    key = provider_key(payment, Operation.VOID)
    result, duration = call_provider(
        lambda: get_provider(payment.provider).void(
            provider_ref=payment.provider_ref, idempotency_key=key
        ),
        payment=payment,
        operation=Operation.VOID,
        key=key,
    )
    with transaction.atomic():
        moved = result.ok and move(payment, S.VOIDED, expected=S.AUTHORISED, actor=actor)
        log_operation(
            payment=payment,
            operation=Operation.VOID,
            key=key,
            outcome=Outcome.SUCCEEDED if result.ok else Outcome.DECLINED,
            result=result,
            duration_ms=duration,
        )
        if moved:
            record_event("payments.payment_voided", _event(payment))
    if not result.ok:
        raise ProviderRefused(result.failure_message or "The provider refused the void.")
    if not moved:
        _require(_get(payment_id), S.AUTHORISED, "voided")
    return payment


def _require(payment: Payment, status: str, verb: str) -> None:
    if payment.status != status:
        raise InvalidTransition(
            f"A {payment.get_status_display().lower()} payment cannot be {verb}.",
            field="status",
        )


def _event(payment: Payment, **extra) -> dict:
    data = {
        "payment_id": payment.pk,
        "reference": payment.reference,
        "payer_organisation_id": payment.payer_organisation_id,
        "payee_organisation_id": payment.payee_organisation_id,
        "status": payment.status,
    }
    data.update({k: v.as_json() if isinstance(v, Money) else v for k, v in extra.items()})
    return data
