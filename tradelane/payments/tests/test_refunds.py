"""Refunds: partial and full, never more than captured, idempotent, failures give back."""

from decimal import Decimal

import pytest
from django.db import transaction

from tradelane.core.errors import InvalidInput, InvalidTransition
from tradelane.core.models import AuditEntry, OutboxEvent
from tradelane.core.money import Money
from tradelane.payments import errors, services
from tradelane.payments.models import (
    Payment,
    PaymentStatusChange,
    ProviderOperation,
    Refund,
    SimulatedCharge,
)
from tradelane.payments.testing import authorised_payment, captured_payment, make_payment

pytestmark = pytest.mark.django_db


def refund(payment, amount, key, reason="damaged in transit", currency="USD", **kwargs):
    return services.refund_payment(
        payment_id=payment.pk,
        amount=Money.of(amount, currency),
        reason=reason,
        idempotency_key=key,
        **kwargs,
    )


def amounts(payment):
    row = Payment.objects.get(pk=payment.pk)
    return row.status, row.captured_amount, row.refunded_amount, row.refund_pending_amount


def test_partial_then_full_refund(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    first = refund(payment, "30.00", "r1")
    assert (first.status, first.amount, first.provider_ref[:7]) == (
        "succeeded",
        Decimal("30.00"),
        "sim_re_",
    )
    assert amounts(payment) == (
        "partially_refunded",
        Decimal("100.00"),
        Decimal("30.00"),
        Decimal("0"),
    )
    second = refund(payment, "70.00", "r2")
    assert second.status == "succeeded"
    assert amounts(payment) == ("refunded", Decimal("100.00"), Decimal("100.00"), Decimal("0"))
    assert list(
        PaymentStatusChange.objects.filter(subject_id=payment.pk).values_list(
            "to_status", flat=True
        )
    ) == ["authorised", "captured", "partially_refunded", "refunded"]
    assert SimulatedCharge.objects.get().refunded == Decimal("100.00")
    topics = list(OutboxEvent.objects.values_list("topic", flat=True))
    assert topics.count("payments.refund_succeeded") == 2


def test_full_refund_in_one_go(buyer_owner):
    payment = captured_payment(buyer_owner, amount="59.99")
    assert refund(payment, "59.99", "all").status == "succeeded"
    assert amounts(payment)[0] == "refunded"


def test_refunds_in_cents_that_add_up_exactly(buyer_owner):
    """0.10 + 0.20 = 0.30 exactly (SQLite stores decimals as binary floats)."""
    payment = captured_payment(buyer_owner, amount="0.30")
    refund(payment, "0.10", "a")
    refund(payment, "0.20", "b")
    assert amounts(payment) == ("refunded", Decimal("0.30"), Decimal("0.30"), Decimal("0"))
    with pytest.raises(errors.RefundExceedsCaptured):
        refund(payment, "0.01", "c")


def test_refund_beyond_captured_is_refused_and_changes_nothing(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    refund(payment, "60.00", "r1")
    before = amounts(payment)
    with pytest.raises(errors.RefundExceedsCaptured) as caught:
        refund(payment, "40.01", "r2")
    assert (caught.value.code, caught.value.status, caught.value.field) == (
        "refund_exceeds_captured",
        409,
        "amount",
    )
    assert "40.00" in caught.value.message
    assert amounts(payment) == before
    assert Refund.objects.count() == 1


def test_refund_only_against_what_was_captured_after_a_partial_capture(buyer_owner):
    payment = authorised_payment(buyer_owner, amount="100.00")
    services.capture_payment(payment_id=payment.pk, amount=Money.of("40", "USD"))
    with pytest.raises(errors.RefundExceedsCaptured):
        refund(payment, "40.01", "r1")
    assert refund(payment, "40", "r2").status == "succeeded"
    assert amounts(payment)[0] == "refunded"


@pytest.mark.parametrize("method", ["test_ok", "test_decline"])
def test_no_refund_before_capture(buyer_owner, method):
    payment = make_payment(buyer_owner, method=method)
    services.authorise_payment(payment_id=payment.pk)
    with pytest.raises(InvalidTransition):
        refund(payment, "1.00", "r1")
    assert not Refund.objects.exists()


def test_same_key_twice_is_the_same_refund_once(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    first = refund(payment, "25.00", "same")
    again = refund(payment, "25.00", "same")
    assert again.pk == first.pk and again.status == "succeeded"
    assert amounts(payment)[2] == Decimal("25.00")
    assert ProviderOperation.objects.filter(operation="refund").count() == 1
    assert SimulatedCharge.objects.get().refunded == Decimal("25.00")


def test_same_key_with_another_amount_is_refused(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    refund(payment, "25.00", "same")
    with pytest.raises(InvalidInput) as caught:
        refund(payment, "26.00", "same")
    assert (caught.value.code, caught.value.field) == ("idempotency_key_reused", "idempotency_key")
    assert amounts(payment)[2] == Decimal("25.00")


def test_declined_refund_is_recorded_and_gives_the_claim_back(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00", method="test_refund_decline")
    result = refund(payment, "100.00", "r1")
    assert (result.status, result.failure_code) == ("failed", "refund_declined")
    assert amounts(payment) == ("captured", Decimal("100.00"), Decimal("0"), Decimal("0"))
    assert Payment.objects.get(pk=payment.pk).refundable == Money.of("100.00", "USD")
    assert OutboxEvent.objects.filter(topic="payments.refund_failed").count() == 1
    # the failed refund replays as failed; a new key may try again
    assert refund(payment, "100.00", "r1").pk == result.pk


def test_provider_error_keeps_the_claim_and_the_retry_resumes(buyer_owner):
    payment = make_payment(buyer_owner, method="test_error_once", amount="100.00")
    for call in (services.authorise_payment, services.capture_payment):
        with pytest.raises(errors.ProviderUnavailable):
            call(payment_id=payment.pk)
        call(payment_id=payment.pk)
    with pytest.raises(errors.ProviderUnavailable):
        refund(payment, "60.00", "r1")
    pending = Refund.objects.get()
    assert pending.status == "pending"
    assert amounts(payment) == ("captured", Decimal("100.00"), Decimal("0"), Decimal("60.00"))
    # the claim holds: nobody else can refund it meanwhile
    with pytest.raises(errors.RefundExceedsCaptured):
        refund(payment, "40.01", "r2")
    resumed = refund(payment, "60.00", "r1")
    assert (resumed.pk, resumed.status, resumed.failure_code) == (pending.pk, "succeeded", "")
    assert amounts(payment) == (
        "partially_refunded",
        Decimal("100.00"),
        Decimal("60.00"),
        Decimal("0"),
    )
    assert SimulatedCharge.objects.get().refunded == Decimal("60.00")


def test_refund_that_never_answers_stays_pending(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00", method="test_refund_error")
    with pytest.raises(errors.ProviderUnavailable):
        refund(payment, "10.00", "r1")
    with pytest.raises(errors.ProviderUnavailable):
        services.resume_refund(refund_id=Refund.objects.get().pk)
    assert amounts(payment)[2:] == (Decimal("0"), Decimal("10.00"))
    assert list(
        ProviderOperation.objects.filter(operation="refund").values_list("outcome", flat=True)
    ) == ["error", "error"]


@pytest.mark.parametrize(
    ("amount", "currency", "reason", "key", "field"),
    [
        ("0", "USD", "r", "k", "amount"),
        ("-1", "USD", "r", "k", "amount"),
        ("0.001", "USD", "r", "k", "amount"),
        ("1", "EUR", "r", "k", "amount.currency"),
        ("1", "USD", "", "k", "reason"),
        ("1", "USD", "x" * 301, "k", "reason"),
        ("1", "USD", "r", "", "idempotency_key"),
        ("1", "USD", "r", "k" * 256, "idempotency_key"),
    ],
)
def test_refund_refuses_bad_input(buyer_owner, amount, currency, reason, key, field):
    payment = captured_payment(buyer_owner)
    before = amounts(payment)
    with pytest.raises(InvalidInput) as caught:
        refund(payment, amount, key, reason=reason, currency=currency)
    assert caught.value.field == field
    assert amounts(payment) == before and not Refund.objects.exists()


def test_refund_refuses_to_run_inside_a_transaction(buyer_owner):
    payment = captured_payment(buyer_owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        refund(payment, "1.00", "k")
    assert not Refund.objects.exists()


def test_operator_refund_is_audited_with_who_asked(buyer_owner, operator_admin):
    payment = captured_payment(buyer_owner)
    result = refund(payment, "5.00", "k", actor=operator_admin)
    assert result.requested_by == operator_admin.user
    entry = AuditEntry.objects.get(action="payments.refund_requested")
    assert entry.actor_user == operator_admin.user and entry.target_id == str(payment.pk)
    change = PaymentStatusChange.objects.filter(subject_id=payment.pk).last()
    assert change.actor == operator_admin.user


def test_sweep_settles_stale_pending_refunds(buyer_owner):
    from datetime import timedelta

    from django.utils import timezone

    from tradelane.payments import tasks

    payment = captured_payment(buyer_owner, amount="100.00", method="test_refund_error")
    with pytest.raises(errors.ProviderUnavailable):
        refund(payment, "10.00", "r1")
    assert tasks.resume_pending_refunds() == 0  # not stale yet
    Refund.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert tasks.resume_pending_refunds() == 0  # the provider still does not answer
    SimulatedCharge.objects.update(method="test_ok")  # the provider is back
    assert tasks.resume_pending_refunds() == 1
    assert Refund.objects.get().status == "succeeded"
    assert amounts(payment) == (
        "partially_refunded",
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("0"),
    )
