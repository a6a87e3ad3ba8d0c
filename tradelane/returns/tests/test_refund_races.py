"""Refund races on PostgreSQL: returns of one order completed and refunded at once never
refund more than was captured; the same return confirmed twice at once completes and
refunds once; concurrent confirmations share one open consolidation per merchant."""

from decimal import Decimal

from django.db.models import Sum

from tradelane.core.errors import Conflict
from tradelane.core.money import Money
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.payments import services as payments
from tradelane.payments.models import Payment, Refund, SimulatedCharge
from tradelane.payments.selectors import payment_for_reference
from tradelane.returns import inspection, settlement
from tradelane.returns.models import Consolidation, ReturnSettlement

from ._inspection import at_point, delivered

pytestmark = [postgres_only, race]


def _inspected(buyer, merchant, operator, order, quantity):
    request = at_point(buyer, merchant, quantity=quantity, order=order)
    inspection.inspect_return(actor=operator, return_id=request.pk, grade="opened")
    return request


def test_concurrent_returns_of_one_order_never_refund_more_than_captured(
    buyer_owner, merchant_owner, operator_support
):
    order = delivered(buyer_owner, merchant_owner)
    requests = [
        _inspected(buyer_owner, merchant_owner, operator_support, order, 2) for _ in range(5)
    ]
    payment = payment_for_reference(f"order:{order.number}")
    # leave room for about two of the five refunds
    payments.refund_payment(
        payment_id=payment.pk,
        amount=Money(payment.captured_amount - Decimal("60.00"), payment.currency),
        reason="goodwill",
        idempotency_key="manual",
    )
    confirmed = run_together(
        *[
            (
                lambda r=r: inspection.confirm_disposition(
                    actor=operator_support, return_id=r.pk, disposition="return_to_merchant"
                )
            )
            for r in requests
        ]
    )
    assert [kind for kind, _ in confirmed] == ["ok"] * 5, confirmed
    # one open consolidation took all five (10 units)
    assert list(Consolidation.objects.values_list("status", "items")) == [("open", 10)]

    results = run_together(
        *[(lambda r=r: settlement.issue_refund(return_id=r.pk)) for r in requests for _ in (1, 2)]
    )
    assert all(kind == "ok" for kind, _ in results), results
    rows = list(ReturnSettlement.objects.filter(request__in=requests))
    succeeded = [r for r in rows if r.refund_status == "succeeded"]
    failed = [r for r in rows if r.refund_status == "failed"]
    assert len(succeeded) + len(failed) == 5 and succeeded and failed
    assert all("more than what is left of the captured payment" in r.refund_message for r in failed)
    row = Payment.objects.get(pk=payment.pk)
    assert row.refunded_amount <= row.captured_amount and row.refund_pending_amount == 0
    refunded = Refund.objects.filter(status="succeeded").aggregate(s=Sum("amount"))["s"]
    assert refunded == row.refunded_amount == SimulatedCharge.objects.get().refunded
    assert sum(r.total for r in succeeded) == refunded - (row.captured_amount - Decimal("60.00"))
    # each succeeded return refunded once, under its own key
    keys = list(
        Refund.objects.exclude(idempotency_key="manual").values_list("idempotency_key", flat=True)
    )
    assert sorted(keys) == sorted(f"return:{r.request_id}" for r in succeeded)


def test_the_same_return_confirmed_twice_at_once_refunds_once(
    buyer_owner, merchant_owner, operator_support
):
    order = delivered(buyer_owner, merchant_owner)
    request = _inspected(buyer_owner, merchant_owner, operator_support, order, 3)

    def confirm():
        row = inspection.confirm_disposition(actor=operator_support, return_id=request.pk)
        return settlement.issue_refund(return_id=row.request_id)

    results = run_together(confirm, confirm, confirm)
    ok = [value for kind, value in results if kind == "ok"]
    refused = [value for kind, value in results if kind == "error"]
    assert len(ok) == 1 and len(refused) == 2, results
    assert all(isinstance(e, Conflict) and e.code == "invalid_transition" for e in refused)
    again = run_together(*[lambda: settlement.issue_refund(return_id=request.pk)] * 4)
    assert all(kind == "ok" and value.refund_status == "succeeded" for kind, value in again)
    refund = Refund.objects.get()
    assert refund.idempotency_key == f"return:{request.pk}" and refund.amount == ok[0].total
    assert Payment.objects.get(pk=refund.payment_id).refunded_amount == ok[0].total
    assert SimulatedCharge.objects.get().refunded == ok[0].total
