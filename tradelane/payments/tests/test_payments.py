"""Payments through the test provider: authorise, capture, void, and the failure modes."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.money import Money
from tradelane.payments import errors, services
from tradelane.payments.models import (
    Payment,
    PaymentStatusChange,
    ProviderOperation,
    SimulatedCharge,
    SimulatedRequest,
)
from tradelane.payments.providers import ProviderError, get_provider, simulator
from tradelane.payments.testing import authorised_payment, captured_payment, make_payment

pytestmark = pytest.mark.django_db


def history(payment):
    return list(
        PaymentStatusChange.objects.filter(subject_id=payment.pk).values_list(
            "from_status", "to_status"
        )
    )


def snapshot(payment):
    row = Payment.objects.get(pk=payment.pk)
    return (
        row.status,
        row.authorised_amount,
        row.captured_amount,
        row.refunded_amount,
        row.provider_ref,
        PaymentStatusChange.objects.filter(subject_id=payment.pk).count(),
    )


# --- create -------------------------------------------------------------------------------


def test_create_payment_writes_one_pending_row_rounded_to_minor_unit(
    buyer_owner, merchant_owner, django_assert_num_queries
):
    with django_assert_num_queries(1):
        payment = services.create_payment(
            payer_organisation_id=buyer_owner.organisation_id,
            payee_organisation_id=merchant_owner.organisation_id,
            amount=Money.of("12.345", "USD"),
            reference="checkout:42",
            method="test_ok",
        )
    payment.refresh_from_db()
    assert (payment.status, payment.amount, payment.currency) == (
        "pending",
        Decimal("12.35"),
        "USD",
    )
    assert (payment.provider, payment.method, payment.reference) == (
        "test",
        "test_ok",
        "checkout:42",
    )
    assert payment.captured_amount == 0 and history(payment) == []
    assert not SimulatedRequest.objects.exists()  # no provider call


def test_create_payment_rounds_yen_to_whole_units(buyer_owner):
    payment = make_payment(buyer_owner, amount="1500.6", currency="JPY")
    payment.refresh_from_db()
    assert payment.amount == Decimal("1501")


@pytest.mark.parametrize(
    ("amount", "method", "reference", "field", "code"),
    [
        (Money.of("0", "USD"), "test_ok", "r", "amount", "invalid"),
        (Money.of("-5", "USD"), "test_ok", "r", "amount", "invalid"),
        (Money.of("0.004", "USD"), "test_ok", "r", "amount", "invalid"),
        (Money.of("1", "USD"), "card_4242", "r", "method", "unknown_payment_method"),
        (Money.of("1", "USD"), "test_ok", "", "reference", "invalid"),
        (Money.of("1", "USD"), "test_ok", "x" * 101, "reference", "invalid"),
        (Decimal("5"), "test_ok", "r", "amount", "invalid"),
    ],
)
def test_create_payment_refuses_bad_input(buyer_owner, amount, method, reference, field, code):
    with pytest.raises(InvalidInput) as caught:
        services.create_payment(
            payer_organisation_id=buyer_owner.organisation_id,
            payee_organisation_id=None,
            amount=amount,
            reference=reference,
            method=method,
        )
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Payment.objects.exists()


# --- authorise ------------------------------------------------------------------------------


def test_authorise_approves_and_records_history_and_operation(buyer_owner, merchant_owner):
    payment = make_payment(buyer_owner, merchant_owner, amount="250.00")
    result = services.authorise_payment(payment_id=payment.pk)
    row = Payment.objects.get(pk=payment.pk)
    assert result.status == row.status == "authorised"
    assert row.authorised_amount == Decimal("250.00") and row.authorised_at is not None
    assert row.provider_ref.startswith("sim_ch_")
    assert history(row) == [("pending", "authorised")]
    op = ProviderOperation.objects.get(payment=row)
    assert (op.operation, op.outcome, op.idempotency_key, op.amount) == (
        "authorise",
        "succeeded",
        f"tradelane-payment-{row.pk}-authorise",
        Decimal("250.00"),
    )
    charge = SimulatedCharge.objects.get(ref=row.provider_ref)
    assert (charge.amount, charge.status) == (Decimal("250.00"), "authorised")


@pytest.mark.parametrize(
    ("method", "code"),
    [("test_decline", "payment_declined"), ("test_insufficient_funds", "insufficient_funds")],
)
def test_declined_authorisation_fails_the_payment_with_its_code(buyer_owner, method, code):
    payment = make_payment(buyer_owner, method=method)
    result = services.authorise_payment(payment_id=payment.pk)
    row = Payment.objects.get(pk=payment.pk)
    assert result.status == row.status == "failed"
    assert row.failure_code == code and row.failure_message
    assert row.authorised_amount == 0 and row.provider_ref == ""
    assert history(row) == [("pending", "failed")]
    assert not SimulatedCharge.objects.exists()
    error = errors.failure_error(row)
    assert (error.code, error.status) == (code, 402)


def test_authorise_of_a_decided_payment_returns_it_without_calling_the_provider(buyer_owner):
    payment = authorised_payment(buyer_owner)
    before = snapshot(payment)
    again = services.authorise_payment(payment_id=payment.pk)
    assert again.status == "authorised"
    assert snapshot(payment) == before
    assert ProviderOperation.objects.filter(payment=payment).count() == 1


def test_authorise_refuses_to_run_inside_a_transaction(buyer_owner):
    payment = make_payment(buyer_owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.authorise_payment(payment_id=payment.pk)
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    assert not SimulatedRequest.objects.exists()


def test_authorise_unknown_payment_is_not_found():
    with pytest.raises(NotFound):
        services.authorise_payment(payment_id=987654)


def test_provider_error_leaves_payment_pending_and_logged(buyer_owner):
    payment = make_payment(buyer_owner, method="test_error")
    with pytest.raises(errors.ProviderUnavailable) as caught:
        services.authorise_payment(payment_id=payment.pk)
    assert (caught.value.code, caught.value.status) == ("provider_unavailable", 409)
    row = Payment.objects.get(pk=payment.pk)
    assert row.status == "pending" and history(row) == []
    op = ProviderOperation.objects.get(payment=row)
    assert (op.operation, op.outcome) == ("authorise", "error")


def test_provider_error_then_retry_authorises_once(buyer_owner):
    payment = make_payment(buyer_owner, method="test_error_once")
    with pytest.raises(errors.ProviderUnavailable):
        services.authorise_payment(payment_id=payment.pk)
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    result = services.authorise_payment(payment_id=payment.pk)
    assert result.status == "authorised"
    assert SimulatedCharge.objects.count() == 1
    request = SimulatedRequest.objects.get()
    assert request.attempts == 2
    assert list(
        ProviderOperation.objects.filter(payment=payment).values_list("outcome", flat=True)
    ) == ["error", "succeeded"]


def test_slow_provider_answers_after_the_configured_bounded_delay(
    buyer_owner, settings, monkeypatch
):
    waited = []
    monkeypatch.setattr(simulator, "wait", waited.append)
    settings.PAYMENT_TEST_SLOW_SECONDS = 3
    payment = make_payment(buyer_owner, method="test_slow")
    assert services.authorise_payment(payment_id=payment.pk).status == "authorised"
    assert waited == [3.0]
    settings.PAYMENT_TEST_SLOW_SECONDS = 3600  # bounded
    assert simulator.slow_seconds() == simulator.MAX_SLOW_SECONDS


def test_slow_mode_really_waits_but_zero_in_tests(settings):
    assert simulator.slow_seconds() == 0.0  # the test default
    settings.PAYMENT_TEST_SLOW_SECONDS = 0.01
    assert simulator.slow_seconds() == 0.01


def test_slow_provider_past_the_timeout_is_a_provider_error_then_the_retry_replays(
    buyer_owner, settings, monkeypatch
):
    """The provider authorised but the answer was lost: the payment stays pending, and the
    retry (same key) gets the first answer — one charge, not two."""
    waited = []
    monkeypatch.setattr(simulator, "wait", waited.append)
    settings.PAYMENT_TEST_SLOW_SECONDS = 8
    settings.PAYMENT_PROVIDER_TIMEOUT_SECONDS = 5
    payment = make_payment(buyer_owner, method="test_slow")
    with pytest.raises(errors.ProviderUnavailable):
        services.authorise_payment(payment_id=payment.pk)
    assert waited == [5.0]
    assert Payment.objects.get(pk=payment.pk).status == "pending"
    assert SimulatedCharge.objects.count() == 1  # done on the provider's side
    settings.PAYMENT_TEST_SLOW_SECONDS = 0
    result = services.authorise_payment(payment_id=payment.pk)
    assert result.status == "authorised"
    assert result.provider_ref == SimulatedCharge.objects.get().ref
    assert SimulatedCharge.objects.count() == 1


# --- capture and void -----------------------------------------------------------------------


def test_capture_takes_the_authorised_amount(buyer_owner):
    payment = authorised_payment(buyer_owner, amount="80.00")
    result = services.capture_payment(payment_id=payment.pk)
    row = Payment.objects.get(pk=payment.pk)
    assert result.status == row.status == "captured"
    assert row.captured_amount == Decimal("80.00") and row.captured_at is not None
    assert history(row) == [("pending", "authorised"), ("authorised", "captured")]
    assert SimulatedCharge.objects.get().captured == Decimal("80.00")


def test_partial_capture(buyer_owner):
    payment = authorised_payment(buyer_owner, amount="80.00")
    services.capture_payment(payment_id=payment.pk, amount=Money.of("60.004", "USD"))
    assert Payment.objects.get(pk=payment.pk).captured_amount == Decimal("60.00")


@pytest.mark.parametrize(
    ("amount", "field", "code"),
    [
        (Money.of("80.01", "USD"), "amount", "invalid"),
        (Money.of("0", "USD"), "amount", "invalid"),
        (Money.of("10", "EUR"), "amount.currency", "currency_mismatch"),
    ],
)
def test_capture_refuses_bad_amounts_and_changes_nothing(buyer_owner, amount, field, code):
    payment = authorised_payment(buyer_owner, amount="80.00")
    before = snapshot(payment)
    with pytest.raises(InvalidInput) as caught:
        services.capture_payment(payment_id=payment.pk, amount=amount)
    assert (caught.value.field, caught.value.code) == (field, code)
    assert snapshot(payment) == before


def test_no_capture_of_a_failed_payment(buyer_owner):
    payment = make_payment(buyer_owner, method="test_decline")
    services.authorise_payment(payment_id=payment.pk)
    before = snapshot(payment)
    with pytest.raises(InvalidTransition):
        services.capture_payment(payment_id=payment.pk)
    assert snapshot(payment) == before
    assert not ProviderOperation.objects.filter(operation="capture").exists()


def test_no_capture_of_a_pending_payment(buyer_owner):
    payment = make_payment(buyer_owner)
    with pytest.raises(InvalidTransition):
        services.capture_payment(payment_id=payment.pk)
    assert Payment.objects.get(pk=payment.pk).status == "pending"


def test_no_double_capture(buyer_owner):
    payment = captured_payment(buyer_owner, amount="50.00")
    before = snapshot(payment)
    with pytest.raises(InvalidTransition) as caught:
        services.capture_payment(payment_id=payment.pk)
    assert caught.value.code == "invalid_transition"
    assert snapshot(payment) == before
    assert SimulatedCharge.objects.get().captured == Decimal("50.00")


def test_capture_retry_after_provider_error_captures_once(buyer_owner):
    payment = make_payment(buyer_owner, method="test_error_once")
    with pytest.raises(errors.ProviderUnavailable):  # every new request fails once
        services.authorise_payment(payment_id=payment.pk)
    services.authorise_payment(payment_id=payment.pk)
    with pytest.raises(errors.ProviderUnavailable):
        services.capture_payment(payment_id=payment.pk)
    assert Payment.objects.get(pk=payment.pk).status == "authorised"
    assert services.capture_payment(payment_id=payment.pk).status == "captured"
    assert SimulatedCharge.objects.get().captured == Decimal("100.00")


def test_void_releases_an_authorised_payment(buyer_owner):
    payment = authorised_payment(buyer_owner)
    result = services.void_payment(payment_id=payment.pk)
    row = Payment.objects.get(pk=payment.pk)
    assert result.status == row.status == "voided"
    assert history(row)[-1] == ("authorised", "voided")
    assert SimulatedCharge.objects.get().status == "voided"
    with pytest.raises(InvalidTransition):
        services.capture_payment(payment_id=payment.pk)
    with pytest.raises(InvalidTransition):
        services.void_payment(payment_id=payment.pk)


def test_no_void_of_a_captured_payment(buyer_owner):
    payment = captured_payment(buyer_owner)
    before = snapshot(payment)
    with pytest.raises(InvalidTransition):
        services.void_payment(payment_id=payment.pk)
    assert snapshot(payment) == before


def test_provider_refusing_a_capture_changes_nothing(buyer_owner):
    """The provider voided the charge on its side (say, it expired): capture is refused."""
    payment = authorised_payment(buyer_owner)
    SimulatedCharge.objects.update(status="voided")
    before = snapshot(payment)
    with pytest.raises(errors.ProviderRefused):
        services.capture_payment(payment_id=payment.pk)
    assert snapshot(payment) == before
    assert ProviderOperation.objects.filter(operation="capture").get().outcome == "declined"


# --- the simulator itself --------------------------------------------------------------------


def test_simulator_replays_a_key_and_refuses_it_for_another_request():
    provider = get_provider("test")
    first = provider.authorise(
        amount=Money.of("10", "USD"), method="test_ok", reference="r", idempotency_key="k1"
    )
    again = provider.authorise(
        amount=Money.of("10", "USD"), method="test_ok", reference="r", idempotency_key="k1"
    )
    assert first.ok and again.ok and again.replayed
    assert again.provider_ref == first.provider_ref
    assert SimulatedCharge.objects.count() == 1
    other = provider.authorise(
        amount=Money.of("11", "USD"), method="test_ok", reference="r", idempotency_key="k1"
    )
    assert (other.ok, other.failure_code) == (False, "idempotency_key_reused")


def test_simulator_never_refunds_more_than_captured():
    provider = get_provider("test")
    auth = provider.authorise(
        amount=Money.of("10", "USD"), method="test_ok", reference="r", idempotency_key="a"
    )
    provider.capture(
        provider_ref=auth.provider_ref, amount=Money.of("10", "USD"), idempotency_key="c"
    )
    ok = provider.refund(
        provider_ref=auth.provider_ref, amount=Money.of("7", "USD"), idempotency_key="r1"
    )
    too_much = provider.refund(
        provider_ref=auth.provider_ref, amount=Money.of("4", "USD"), idempotency_key="r2"
    )
    assert ok.ok and not too_much.ok and too_much.failure_code == "refund_exceeds_captured"
    assert SimulatedCharge.objects.get().refunded == Decimal("7")


def test_simulator_error_mode_raises_provider_error():
    with pytest.raises(ProviderError):
        get_provider("test").authorise(
            amount=Money.of("1", "USD"), method="test_error", reference="r", idempotency_key="e"
        )
    assert not SimulatedRequest.objects.exists()


def test_unknown_provider_name_is_refused(settings, buyer_owner):
    settings.PAYMENT_PROVIDER = "nope"
    with pytest.raises(LookupError):
        make_payment(buyer_owner)


def test_authorise_costs_six_statements(buyer_owner):
    """Checkout authorises once per order: the statement count is pinned — 1 read, the
    provider's 2 inserts, 1 guarded update, the history row, the operation log (plus the
    two short transactions' BEGIN/COMMIT, savepoints in a test)."""
    payment = make_payment(buyer_owner)
    with CaptureQueriesContext(connection) as ctx:
        services.authorise_payment(payment_id=payment.pk)
    statements = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) == 6, statements
    assert Payment.objects.get(pk=payment.pk).status == "authorised"


def test_authorise_a_payment_the_caller_holds_reads_nothing(buyer_owner):
    """Checkout passes the payment it has just created: five statements, no SELECT."""
    payment = make_payment(buyer_owner)
    with CaptureQueriesContext(connection) as ctx:
        result = services.authorise_payment(payment=payment)
    statements = [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(statements) == 5, statements
    assert not [sql for sql in statements if sql.startswith("SELECT")]
    assert result is payment and payment.status == "authorised"
    assert snapshot(payment)[0] == "authorised" and history(payment) == [("pending", "authorised")]


def test_an_out_of_date_copy_of_a_decided_payment_records_nothing_twice(buyer_owner):
    payment = make_payment(buyer_owner)
    stale = Payment.objects.get(pk=payment.pk)
    services.authorise_payment(payment_id=payment.pk)
    before = snapshot(payment)
    result = services.authorise_payment(payment=stale)  # the provider replays its answer
    assert result.status == "authorised" and result.provider_ref == before[4]
    assert snapshot(payment) == before
    assert SimulatedCharge.objects.count() == 1
    assert ProviderOperation.objects.filter(payment=payment).count() == 1


def test_authorise_takes_a_payment_or_its_id_not_both(buyer_owner):
    payment = make_payment(buyer_owner)
    for kwargs in ({}, {"payment": payment, "payment_id": payment.pk}):
        with pytest.raises(TypeError):
            services.authorise_payment(**kwargs)
    assert snapshot(payment)[0] == "pending" and not SimulatedRequest.objects.exists()
