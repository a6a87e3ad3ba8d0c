"""Settlement: refund components by rule, cost bearers, the returnless refund at approval,
and the refund through payments — refused or declined refunds stay `failed` with the
reason, operator admins retry them, the same return never refunds twice."""

from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone

from tradelane.catalog.models import Category, Product
from tradelane.core.audit import AuditEntry
from tradelane.core.errors import Conflict, Forbidden, InvalidInput
from tradelane.core.models import OutboxEvent
from tradelane.core.money import Money
from tradelane.core.outbox import relay_pending
from tradelane.markets.models import FxRate
from tradelane.payments import services as payments
from tradelane.payments.models import Payment, Refund, SimulatedCharge
from tradelane.payments.selectors import payment_for_reference
from tradelane.returns import disposition, inspection, services, settlement
from tradelane.returns.models import Inspection, ReturnRequest, ReturnSettlement
from tradelane.returns.settlement import OrderFigures, components
from tradelane.returns.testing import make_return, received_return

from ._inspection import at_point, delivered, return_point

pytestmark = pytest.mark.django_db

# A DE order: 5 × €20.00, shipping €11.67, duties €3.00, taxes €21.22
DE = OrderFigures(
    currency="EUR",
    goods_total=D("100.00"),
    shipping_total=D("11.67"),
    duties_total=D("3.00"),
    taxes_total=D("21.22"),
    line_total=D("100.00"),
    line_quantity=5,
    unit_price=D("20.00"),
)


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["defective", "not_as_described", "wrong_item", "missing_item"])
def test_merchant_fault_refunds_goods_and_the_lines_share_of_shipping_duties_taxes(reason):
    parts = components(reason=reason, quantity=2, order=DE, reverse_shipping=D("5.50"))
    # share = 100/100 × 2/5 = 40%: shipping 4.668 → 4.66, duties 1.20, taxes 8.488 → 8.48
    assert (parts.goods, parts.shipping, parts.duties, parts.taxes) == (
        D("40.00"),
        D("4.66"),
        D("1.20"),
        D("8.48"),
    )
    assert (parts.deduction, parts.total) == (D("0"), D("54.34"))
    assert (parts.refund_bearer, parts.reverse_shipping_bearer, parts.disposition_bearer) == (
        "merchant",
        "merchant",
        "merchant",
    )


def test_the_rule_text_explains_every_figure():
    parts = components(reason="defective", quantity=2, order=DE, reverse_shipping=D("5.50"))
    assert parts.rule == (
        "Defective (the merchant's fault): goods €40.00 (2 × €20.00) + shipping €4.66 + "
        "duties €1.20 + taxes €8.48 (this line's share 40% = line €100.00 of goods €100.00 "
        "× 2 of 5 units) = €54.34. Refund borne by the merchant, reverse shipping by the "
        "merchant, disposition by the merchant."
    )


def test_changed_mind_refunds_goods_and_taxes_and_deducts_the_reverse_shipping():
    parts = components(reason="changed_mind", quantity=2, order=DE, reverse_shipping=D("5.50"))
    assert (parts.goods, parts.shipping, parts.duties, parts.taxes, parts.deduction) == (
        D("40.00"),
        D("0"),
        D("0"),
        D("8.48"),
        D("5.50"),
    )
    assert parts.total == D("42.98")
    assert (parts.refund_bearer, parts.reverse_shipping_bearer, parts.disposition_bearer) == (
        "merchant",
        "buyer",
        "merchant",
    )


def test_the_deduction_never_makes_a_refund_negative():
    cheap = OrderFigures(**{**DE.__dict__, "taxes_total": D("0"), "unit_price": D("2.00")})
    parts = components(reason="changed_mind", quantity=1, order=cheap, reverse_shipping=D("5.50"))
    assert (parts.deduction, parts.total) == (D("2.00"), D("0.00"))


def test_transit_damage_is_refunded_in_full_and_claimed_from_the_carrier():
    parts = components(reason="damaged_in_transit", quantity=5, order=DE, reverse_shipping=D("0"))
    assert parts.total == D("100.00") + D("11.67") + D("3.00") + D("21.22")
    assert {parts.refund_bearer, parts.reverse_shipping_bearer, parts.disposition_bearer} == {
        "carrier"
    }


def test_pro_rata_shares_never_add_up_to_more_than_the_order():
    # three returns of one unit each: shipping 11.67 / 5 = 2.334 → 2.33 each
    one = components(reason="defective", quantity=1, order=DE, reverse_shipping=D("0"))
    four = components(reason="defective", quantity=4, order=DE, reverse_shipping=D("0"))
    assert one.shipping + four.shipping <= DE.shipping_total
    assert one.taxes + four.taxes <= DE.taxes_total


def test_zero_decimal_currencies_round_to_whole_units():
    yen = OrderFigures(
        currency="JPY",
        goods_total=D("3000"),
        shipping_total=D("1000"),
        duties_total=D("0"),
        taxes_total=D("301"),
        line_total=D("3000"),
        line_quantity=3,
        unit_price=D("1000"),
    )
    parts = components(reason="defective", quantity=1, order=yen, reverse_shipping=D("0"))
    assert (parts.shipping, parts.taxes, parts.total) == (D("333"), D("100"), D("1433"))


# --- returnless at approval -----------------------------------------------------------------


def test_a_cheap_return_is_refunded_without_coming_back(buyer_owner, merchant_owner):
    return_point()
    order = delivered(buyer_owner, merchant_owner)
    relay_pending()  # the payment is captured
    request = make_return(buyer_owner, merchant_owner, quantity=1, order=order)
    approved = services.approve_return(actor=merchant_owner, return_id=request.pk)
    why = (
        "Returning costs $10.00 (label $7.50 + handling $2.50), more than 50% of its $10.00 "
        "value ($5.00): refund without return."
    )
    assert approved.status == "completed"
    row = Inspection.objects.get(request=request)
    assert (row.grade, row.proposed, row.chosen, row.rule, row.options) == (
        "",
        "returnless",
        "returnless",
        why,
        [],
    )
    assert list(approved.history.values_list("to_status", "note")) == [
        ("requested", ""),
        ("approved", ""),
        ("completed", why),
    ]
    s = ReturnSettlement.objects.get(request=request)
    assert (s.reverse_shipping_cost, s.disposition_cost, s.disposition_recovery) == (0, 0, 0)
    assert s.goods == D("10.00") and s.refund_status == "pending"
    assert not hasattr(ReturnRequest.objects.get(pk=request.pk), "reverse_shipment")
    relay_pending()
    s.refresh_from_db()
    assert s.refund_status == "succeeded" and s.refund.amount == s.total
    assert AuditEntry.objects.filter(action="returns.returnless_refund").count() == 1


def test_changed_mind_is_never_returnless(buyer_owner, merchant_owner):
    return_point()
    services.set_merchant_terms(
        actor=merchant_owner, market="US", window_days=30, accepts_changed_mind=True
    )
    order = delivered(buyer_owner, merchant_owner)
    request = make_return(
        buyer_owner, merchant_owner, quantity=1, order=order, reason="changed_mind"
    )
    assert disposition.returnless_reason(request) is None
    defective = make_return(buyer_owner, merchant_owner, quantity=1, order=order)
    assert disposition.returnless_reason(defective).startswith("Returning costs $10.00")


def test_a_return_worth_more_than_twice_its_return_cost_comes_back(buyer_owner, merchant_owner):
    return_point()
    order = delivered(buyer_owner, merchant_owner)
    # 2 × $10.00: half is $10.00, not less than the $10.00 it costs to return
    request = make_return(buyer_owner, merchant_owner, quantity=2, order=order)
    assert disposition.returnless_reason(request) is None


# --- the refund -----------------------------------------------------------------------------


def _complete(request, operator, grade="as_new", **kwargs):
    inspection.inspect_return(actor=operator, return_id=request.pk, grade=grade)
    return inspection.confirm_disposition(actor=operator, return_id=request.pk, **kwargs)


def test_a_refund_above_what_is_left_fails_clearly_and_can_be_retried(
    buyer_owner, merchant_owner, operator_support, operator_admin
):
    request = at_point(buyer_owner, merchant_owner)
    payment = payment_for_reference(f"order:{request.order.number}")
    left = D("20.00")
    payments.refund_payment(
        payment_id=payment.pk,
        amount=Money(payment.captured_amount - left, "USD"),
        reason="goodwill",
        idempotency_key="manual",
    )
    row = _complete(request, operator_support)
    assert row.total > left
    relay_pending()
    row.refresh_from_db()
    assert row.refund_status == "failed" and row.refund_id is None
    assert row.refund_message == (
        f"Refused: ${row.total:.2f} is more than what is left of the captured payment. "
        "At most 20.00 USD can still be refunded."
    )
    assert Payment.objects.get(pk=payment.pk).refunded_amount == payment.captured_amount - left
    with pytest.raises(Forbidden):
        settlement.retry_refund(actor=operator_support, return_id=request.pk)
    again = settlement.retry_refund(actor=operator_admin, return_id=request.pk)
    assert again.refund_status == "failed" and Refund.objects.count() == 1  # still refused
    assert AuditEntry.objects.filter(action="returns.refund_retried").count() == 1


def test_a_declined_refund_is_retried_under_a_new_key_and_succeeds_once(
    buyer_owner, merchant_owner, operator_support, operator_admin
):
    request = at_point(buyer_owner, merchant_owner, method="test_refund_decline")
    row = _complete(request, operator_support)
    settlement.issue_refund(return_id=request.pk)
    row.refresh_from_db()
    assert row.refund_status == "failed"
    assert row.refund_message == (
        "Declined by the payment provider: The provider declined the refund."
    )
    assert OutboxEvent.objects.filter(topic="returns.refund_failed").count() == 1
    SimulatedCharge.objects.update(method="test_ok")  # the provider accepts refunds again
    again = settlement.retry_refund(actor=operator_admin, return_id=request.pk)
    assert (again.refund_status, again.refund_message) == ("succeeded", "")
    assert list(Refund.objects.order_by("id").values_list("idempotency_key", "status")) == [
        (f"return:{request.pk}", "failed"),
        (f"return:{request.pk}:retry-1", "succeeded"),
    ]
    with pytest.raises(Conflict) as refused:
        settlement.retry_refund(actor=operator_admin, return_id=request.pk)
    assert refused.value.code == "refund_not_failed"
    settlement.issue_refund(return_id=request.pk)  # a redelivered event: nothing more
    assert Refund.objects.filter(status="succeeded").count() == 1


def test_an_unanswered_refund_stays_pending_and_the_event_is_retried(
    buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner, method="test_refund_error")
    _complete(request, operator_support)
    relay_pending()
    row = ReturnSettlement.objects.get(request=request)
    assert row.refund_status == "pending" and row.refund.status == "pending"
    assert "did not answer" in row.refund_message
    event = OutboxEvent.objects.get(topic="returns.return_completed")
    assert event.delivered_at is None and "ProviderUnavailable" in event.last_error


def test_issuing_a_refund_inside_a_transaction_is_refused(
    buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    _complete(request, operator_support)
    with pytest.raises(RuntimeError), transaction.atomic():
        settlement.issue_refund(return_id=request.pk)


# --- ESPR: EU apparel and footwear are not destroyed ------------------------------------------


def test_disposing_of_eu_apparel_needs_a_derogation(other_buyer, merchant_owner, operator_support):
    FxRate.objects.create(
        base="USD", quote="EUR", rate="0.92", as_of=timezone.localdate(), source="test"
    )
    return_point("DE", currency="EUR")
    order = delivered(other_buyer, merchant_owner, market="DE", quantity=5)
    product = Product.objects.get(skus__pk=order.lines.get().sku_id)
    product.category = Category.objects.create(name="Workwear apparel", slug="workwear-apparel")
    product.save(update_fields=["category"])
    request = received_return(other_buyer, merchant_owner, quantity=1, order=order)
    row = inspection.inspect_return(actor=operator_support, return_id=request.pk, grade="defective")
    options = {o["disposition"]: o for o in row.options}
    assert (options["dispose"]["allowed"], options["dispose"]["needs_derogation"]) == (False, True)
    assert row.proposed == "return_to_merchant"
    with pytest.raises(InvalidInput) as refused:
        inspection.confirm_disposition(
            actor=operator_support, return_id=request.pk, disposition="dispose"
        )
    assert (refused.value.code, refused.value.field) == ("disposition_not_allowed", "derogation")
    assert ReturnRequest.objects.get(pk=request.pk).status == "inspected"
    done = inspection.confirm_disposition(
        actor=operator_support,
        return_id=request.pk,
        disposition="dispose",
        derogation="Mould contamination: unsafe to wear (ESPR art. 25(2)(a))",
    )
    assert done.currency == "EUR" and done.disposition_cost == D("4.00")  # 2.50 + 1.50
    assert Inspection.objects.get(request=request).derogation.startswith("Mould")
    entry = AuditEntry.objects.get(action="returns.disposition_confirmed")
    assert "derogation: Mould contamination" in entry.summary
