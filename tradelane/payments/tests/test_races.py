"""Threaded races on PostgreSQL: money moves once and never beyond what was captured."""

from decimal import Decimal

from django.db.models import Sum

from tradelane.core.errors import InvalidTransition
from tradelane.core.money import Money
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.payments import errors, services
from tradelane.payments.models import (
    Payment,
    PaymentStatusChange,
    ProviderOperation,
    Refund,
    SimulatedCharge,
)
from tradelane.payments.testing import authorised_payment, captured_payment, make_payment

pytestmark = postgres_only


def _refund(payment, amount, key):
    return lambda: services.refund_payment(
        payment_id=payment.pk, amount=Money.of(amount, "USD"), reason="race", idempotency_key=key
    )


@race
def test_twenty_concurrent_ten_percent_refunds_never_exceed_captured(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    results = run_together(*[_refund(payment, "10.00", f"k{i}") for i in range(20)])
    oks = [value for kind, value in results if kind == "ok"]
    refused = [value for kind, value in results if kind == "error"]
    assert len(oks) == 10 and len(refused) == 10
    assert all(r.status == "succeeded" for r in oks)
    assert all(isinstance(e, errors.RefundExceedsCaptured) for e in refused), refused
    row = Payment.objects.get(pk=payment.pk)
    assert (row.status, row.refunded_amount, row.refund_pending_amount) == (
        "refunded",
        Decimal("100.00"),
        Decimal("0"),
    )
    assert Refund.objects.filter(status="succeeded").aggregate(s=Sum("amount"))["s"] == Decimal(
        "100.00"
    )
    assert SimulatedCharge.objects.get().refunded == Decimal("100.00")
    assert ProviderOperation.objects.filter(operation="refund").count() == 10
    assert list(
        PaymentStatusChange.objects.filter(subject_id=payment.pk).values_list(
            "to_status", flat=True
        )
    ) == ["authorised", "captured", "partially_refunded", "refunded"]


@race
def test_uneven_concurrent_refunds_stop_exactly_at_captured(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    amounts = ["30.00", "30.00", "30.00", "15.00", "15.00", "9.99", "0.01", "45.00"]
    results = run_together(*[_refund(payment, a, f"u{i}") for i, a in enumerate(amounts)])
    succeeded = sum(
        (v.amount for k, v in results if k == "ok" and v.status == "succeeded"), Decimal(0)
    )
    row = Payment.objects.get(pk=payment.pk)
    assert succeeded == row.refunded_amount <= row.captured_amount
    assert row.refund_pending_amount == 0
    assert SimulatedCharge.objects.get().refunded == succeeded


@race
def test_same_refund_key_twenty_times_concurrently_refunds_once(buyer_owner):
    payment = captured_payment(buyer_owner, amount="100.00")
    results = run_together(*[_refund(payment, "25.00", "one") for _ in range(20)])
    assert [kind for kind, _ in results] == ["ok"] * 20, results
    assert {value.pk for _, value in results} == {Refund.objects.get().pk}
    row = Payment.objects.get(pk=payment.pk)
    assert (row.refunded_amount, row.refund_pending_amount) == (Decimal("25.00"), Decimal("0"))
    assert SimulatedCharge.objects.get().refunded == Decimal("25.00")


@race
def test_concurrent_authorisations_charge_once(buyer_owner):
    payment = make_payment(buyer_owner)
    results = run_together(*[lambda: services.authorise_payment(payment_id=payment.pk)] * 10)
    assert [kind for kind, _ in results] == ["ok"] * 10, results
    assert {value.status for _, value in results} == {"authorised"}
    assert SimulatedCharge.objects.count() == 1
    assert PaymentStatusChange.objects.filter(subject_id=payment.pk).count() == 1
    assert Payment.objects.get(pk=payment.pk).provider_ref == SimulatedCharge.objects.get().ref


@race
def test_concurrent_captures_capture_once(buyer_owner):
    payment = authorised_payment(buyer_owner, amount="40.00")
    results = run_together(*[lambda: services.capture_payment(payment_id=payment.pk)] * 8)
    oks = [v for k, v in results if k == "ok"]
    refused = [v for k, v in results if k == "error"]
    assert len(oks) == 1 and all(isinstance(e, InvalidTransition) for e in refused), results
    row = Payment.objects.get(pk=payment.pk)
    assert (row.status, row.captured_amount) == ("captured", Decimal("40.00"))
    assert SimulatedCharge.objects.get().captured == Decimal("40.00")


@race
def test_capture_racing_void_one_wins(buyer_owner):
    payment = authorised_payment(buyer_owner)
    results = run_together(
        lambda: services.capture_payment(payment_id=payment.pk),
        lambda: services.void_payment(payment_id=payment.pk),
    )
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    row = Payment.objects.get(pk=payment.pk)
    charge = SimulatedCharge.objects.get()
    assert row.status in {"captured", "voided"}
    assert charge.status == row.status
