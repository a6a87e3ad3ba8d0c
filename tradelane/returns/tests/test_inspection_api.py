"""Inspection and disposition over the API: grading costs every option and proposes one,
confirming completes the return with its settlement and refunds it once; consolidations;
clear refusals that change nothing.

Figures: 3 × $10.00 returned (value $30.00), 0.4 kg a unit (1.2 kg), US tariff: handling
$2.50, consolidated parcel $45.00 + $6.50/kg, liquidation 20%, disposal $1.50."""

from decimal import Decimal as D

import pytest

from tradelane.accounts.models import Notification
from tradelane.core.audit import AuditEntry
from tradelane.core.outbox import relay_pending
from tradelane.payments.models import Payment, Refund
from tradelane.returns import services as returns
from tradelane.returns.models import Consolidation, Inspection, ReturnRequest, ReturnSettlement

from ._inspection import at_point, delivered, share

pytestmark = pytest.mark.django_db


def usd(amount):
    return {"amount": amount, "currency": "USD"}


def _state():
    return (
        list(ReturnRequest.objects.order_by("pk").values_list("pk", "status")),
        list(Inspection.objects.order_by("pk").values_list("pk", "grade", "chosen")),
        ReturnSettlement.objects.count(),
        list(Consolidation.objects.order_by("pk").values_list("pk", "status", "items")),
        Refund.objects.count(),
    )


def test_grading_costs_every_option_and_proposes_the_best(
    api, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    response = api(operator_support).post(
        f"/returns/{request.pk}/inspection", {"grade": "as_new", "notes": "sealed box"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["grade"], body["notes"]) == ("inspected", "as_new", "sealed box")
    options = {o["disposition"]: o for o in body["options"]}
    # handling 2.50 + parcel 45.00 (alone: 3 of 3 items) + 1.2 kg × 6.50 = 7.80
    assert options["return_to_merchant"] == {
        "disposition": "return_to_merchant",
        "cost": usd("55.30"),
        "recovery": usd("30.00"),
        "net": usd("-25.30"),
        "allowed": True,
        "needs_derogation": False,
        "explanation": (
            "Handling $2.50 + $45.00 share of the $45.00 consolidated parcel (3 of 3 items) + "
            "1.2 kg × $6.50/kg = $7.80; the merchant restocks it for 100% of its $30.00 value "
            "(as new): $30.00."
        ),
    }
    assert [options["resell_locally"][k] for k in ("cost", "recovery", "net")] == [
        usd("2.50"),
        usd("27.00"),  # 90% of 30.00
        usd("24.50"),
    ]
    assert options["liquidate"]["net"] == usd("3.50")  # 20% of 30.00 − 2.50
    assert options["dispose"]["net"] == usd("-4.00")  # − (2.50 + 1.50)
    assert body["proposed"] == "resell_locally"
    assert body["rule"].startswith("Proposed: resell locally, the best net of the allowed options")
    assert body["chosen"] == "" and body["confirmed_at"] is None
    # the merchant sees the same numbers; the history says what happened
    seen = api(merchant_owner).get(f"/returns/{request.pk}/inspection").json()
    assert seen["options"] == body["options"] and seen["proposed"] == "resell_locally"
    history = api(merchant_owner).get(f"/returns/{request.pk}").json()["history"]
    assert history[-1]["to_status"] == "inspected"
    assert history[-1]["note"] == "graded as new; proposed resell locally"
    assert AuditEntry.objects.filter(action="returns.inspected").count() == 1


def test_confirming_the_proposal_settles_and_refunds_once(
    api, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    order = request.order
    ops = api(operator_support)
    ops.post(f"/returns/{request.pk}/inspection", {"grade": "as_new"})
    response = ops.post(f"/returns/{request.pk}/disposition", {})
    assert response.status_code == 200, response.content
    body = response.json()
    shipping, duties, taxes = (
        share(order, f, 3) for f in ("shipping_total", "duties_total", "taxes_total")
    )
    total = D("30.00") + shipping + duties + taxes
    assert body["goods"] == usd("30.00")
    assert (body["shipping"], body["duties"], body["taxes"]) == (
        usd(str(shipping)),
        usd(str(duties)),
        usd(str(taxes)),
    )
    assert body["total"] == usd(str(total)) and body["deducted_reverse_shipping"] == usd("0.00")
    assert body["bearers"] == {
        "refund": "merchant",
        "reverse_shipping": "merchant",
        "disposition": "merchant",
    }
    assert (body["disposition"], body["disposition_cost"], body["disposition_recovery"]) == (
        "resell_locally",
        usd("2.50"),
        usd("27.00"),
    )
    assert body["reverse_shipping_cost"] == usd("7.50")  # no parcel recorded: the tariff's label
    assert body["refund_status"] == "pending" and body["refund_id"] is None
    assert body["rule"].startswith("Defective (the merchant's fault): goods $30.00 (3 × $10.00)")
    assert ReturnRequest.objects.get(pk=request.pk).status == "completed"

    relay_pending()  # returns.return_completed → the refund, then the notices
    relay_pending()  # a second delivery changes nothing
    settled = api(buyer_owner).get(f"/returns/{request.pk}/settlement").json()
    assert settled["refund_status"] == "succeeded" and settled["refunded_at"]
    assert settled["total"] == usd(str(total))
    assert settled["disposition_cost"] is None and settled["refund_message"] == ""  # buyer
    refund = Refund.objects.get()
    assert (refund.pk, refund.amount, refund.idempotency_key, refund.status) == (
        settled["refund_id"],
        total,
        f"return:{request.pk}",
        "succeeded",
    )
    payment = Payment.objects.get(pk=refund.payment_id)
    assert payment.refunded_amount == total and payment.status == "partially_refunded"
    assert (
        Notification.objects.filter(
            organisation_id=buyer_owner.organisation_id, kind="returns.return_completed"
        ).count()
        == 1
    )


def test_returning_to_the_merchant_fills_one_open_consolidation_until_it_ships(
    api, buyer_owner, merchant_owner, other_merchant, operator_support
):
    ops = api(operator_support)
    first = at_point(buyer_owner, merchant_owner)
    second = at_point(buyer_owner, merchant_owner)
    for request in (first, second):
        ops.post(f"/returns/{request.pk}/inspection", {"grade": "opened"})
        response = ops.post(
            f"/returns/{request.pk}/disposition", {"disposition": "return_to_merchant"}
        )
        assert response.status_code == 200, response.content
    consolidation = Consolidation.objects.get()
    assert (consolidation.status, consolidation.items, consolidation.gross_kg) == (
        "open",
        6,
        D("2.400"),
    )
    # the second shared the parcel with the first: 45.00 × 3 / 6 = 22.50 + 2.50 + 7.80
    assert ReturnSettlement.objects.get(request=second).disposition_cost == D("32.80")
    assert ReturnSettlement.objects.get(request=first).disposition_cost == D("55.30")
    mine = api(merchant_owner).get("/consolidations").json()
    assert [(c["id"], c["items"], c["status"]) for c in mine["items"]] == [
        (consolidation.pk, 6, "open")
    ]
    assert api(other_merchant).get("/consolidations").json()["items"] == []

    shipped = ops.post(f"/consolidations/{consolidation.pk}/ship")
    assert shipped.status_code == 200, shipped.content
    body = shipped.json()
    assert body["status"] == "shipped" and body["shipped_at"]
    assert body["tracking_number"].startswith("RC") and body["tracking_number"].endswith("US")
    again = ops.post(f"/consolidations/{consolidation.pk}/ship")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")
    third = at_point(buyer_owner, merchant_owner)
    ops.post(f"/returns/{third.pk}/inspection", {"grade": "opened"})
    ops.post(f"/returns/{third.pk}/disposition", {"disposition": "return_to_merchant"})
    assert list(Consolidation.objects.order_by("pk").values_list("status", "items")) == [
        ("shipped", 6),
        ("open", 3),
    ]
    assert ops.get("/consolidations", {"status": "open"}).json()["count"] == 1


def test_changed_mind_refunds_goods_and_taxes_less_the_buyers_reverse_shipping(
    api, buyer_owner, merchant_owner, operator_support
):
    returns.set_merchant_terms(
        actor=merchant_owner, market="US", window_days=30, accepts_changed_mind=True
    )
    request = at_point(buyer_owner, merchant_owner, reason="changed_mind")
    ops = api(operator_support)
    ops.post(f"/returns/{request.pk}/inspection", {"grade": "opened"})
    body = ops.post(f"/returns/{request.pk}/disposition", {"disposition": "resell_locally"}).json()
    taxes = share(request.order, "taxes_total", 3)
    assert (body["shipping"], body["duties"]) == (usd("0.00"), usd("0.00"))
    assert body["taxes"] == usd(str(taxes))
    assert body["deducted_reverse_shipping"] == usd("7.50")
    assert body["total"] == usd(str(D("30.00") + taxes - D("7.50")))
    assert body["bearers"] == {
        "refund": "merchant",
        "reverse_shipping": "buyer",
        "disposition": "merchant",
    }
    assert body["disposition_recovery"] == usd("21.00")  # opened: 70% of 30.00


def test_transit_damage_is_claimed_from_the_carrier(
    api, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner, reason="damaged_in_transit")
    ops = api(operator_support)
    ops.post(f"/returns/{request.pk}/inspection", {"grade": "damaged"})
    body = ops.post(f"/returns/{request.pk}/disposition", {}).json()
    assert body["disposition"] == "liquidate"  # damaged: not resold; 6.00 − 2.50 is the best
    assert body["bearers"] == {
        "refund": "carrier",
        "reverse_shipping": "carrier",
        "disposition": "carrier",
    }
    assert body["shipping"] == usd(str(share(request.order, "shipping_total", 3)))


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"grade": "shiny"}, 422, "unknown_grade", "grade"),
        ({"grade": "as_new", "notes": "x" * 501}, 422, "invalid", "notes"),
        ({"grade": "as_new", "extra": 1}, 422, "invalid", "extra"),
        ({}, 422, "invalid", "grade"),
    ],
)
def test_bad_grades_are_refused_and_change_nothing(
    api, buyer_owner, merchant_owner, operator_support, body, status, code, field
):
    request = at_point(buyer_owner, merchant_owner)
    before = _state()
    response = api(operator_support).post(f"/returns/{request.pk}/inspection", body)
    assert response.status_code == status, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert _state() == before


def test_bad_dispositions_are_refused_with_why_and_change_nothing(
    api, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    ops = api(operator_support)
    ops.post(f"/returns/{request.pk}/inspection", {"grade": "defective"})
    before = _state()
    cases = [
        ({"disposition": "burn"}, "unknown_disposition", "disposition"),
        ({"disposition": "returnless"}, "disposition_not_allowed", "disposition"),
        ({"disposition": "resell_locally"}, "disposition_not_allowed", "disposition"),
        ({"disposition": "liquidate"}, "disposition_not_allowed", "disposition"),
        ({"derogation": "x" * 201}, "invalid", "derogation"),
    ]
    for body, code, field in cases:
        response = ops.post(f"/returns/{request.pk}/disposition", body)
        assert response.status_code == 422, (body, response.content)
        assert (response.json()["code"], response.json()["field"]) == (code, field), body
    why = ops.post(f"/returns/{request.pk}/disposition", {"disposition": "resell_locally"})
    assert why.json()["message"] == (
        "Resell locally is not allowed: Only items graded as new or opened are resold (defective)."
    )
    assert _state() == before


def test_wrong_status_is_a_conflict(api, buyer_owner, merchant_owner, operator_support):
    request = at_point(buyer_owner, merchant_owner)
    ops = api(operator_support)
    early = ops.post(f"/returns/{request.pk}/disposition", {})
    assert (early.status_code, early.json()["code"]) == (409, "invalid_transition")
    ops.post(f"/returns/{request.pk}/inspection", {"grade": "as_new"})
    before = _state()
    twice = ops.post(f"/returns/{request.pk}/inspection", {"grade": "damaged"})
    assert (twice.status_code, twice.json()["field"]) == (409, "status")
    assert _state() == before
    ops.post(f"/returns/{request.pk}/disposition", {})
    again = ops.post(f"/returns/{request.pk}/disposition", {})
    assert again.status_code == 409
    requested = returns.request_return(
        actor=buyer_owner,
        order_line_id=request.order_line_id,
        quantity=1,
        reason="defective",
    )
    assert ops.post(f"/returns/{requested.pk}/inspection", {"grade": "as_new"}).status_code == 409


def test_merchants_and_buyers_cannot_inspect(api, buyer_owner, merchant_owner, operator_support):
    request = at_point(buyer_owner, merchant_owner)
    before = _state()
    for actor in (merchant_owner, buyer_owner):
        client = api(actor)
        assert (
            client.post(f"/returns/{request.pk}/inspection", {"grade": "as_new"}).status_code == 403
        )
        assert client.post(f"/returns/{request.pk}/disposition", {}).status_code == 403
        assert client.post(f"/returns/{request.pk}/refund/retry").status_code == 403
    assert api(buyer_owner).get(f"/returns/{request.pk}/inspection").status_code == 403
    assert api(buyer_owner).get("/consolidations").status_code == 403
    assert _state() == before
    # nothing to read before it is inspected and settled
    none = api(merchant_owner).get(f"/returns/{request.pk}/inspection")
    assert (none.status_code, none.json()["field"]) == (404, "inspection")
    assert api(buyer_owner).get(f"/returns/{request.pk}/settlement").status_code == 404


def test_other_tenants_get_404(
    api, buyer_owner, merchant_owner, other_merchant, other_buyer, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    api(operator_support).post(f"/returns/{request.pk}/inspection", {"grade": "as_new"})
    api(operator_support).post(f"/returns/{request.pk}/disposition", {})
    assert api(other_merchant).get(f"/returns/{request.pk}/inspection").status_code == 404
    assert api(other_merchant).get(f"/returns/{request.pk}/settlement").status_code == 404
    assert api(other_buyer).get(f"/returns/{request.pk}/settlement").status_code == 404
    assert api(merchant_owner).get(f"/returns/{request.pk}/settlement").status_code == 200


def test_the_inspection_queue_lists_received_returns_oldest_first(
    api, buyer_owner, merchant_owner, operator_support
):
    order = delivered(buyer_owner, merchant_owner)
    first = at_point(buyer_owner, merchant_owner, quantity=2, order=order)
    second = at_point(buyer_owner, merchant_owner, quantity=2, order=order)
    api(operator_support).post(f"/returns/{first.pk}/inspection", {"grade": "as_new"})
    third = at_point(buyer_owner, merchant_owner, quantity=2, order=order)
    body = api(operator_support).get("/ops/returns/inspection-queue", {"page_size": 1}).json()
    assert body["count"] == 2 and [r["id"] for r in body["items"]] == [second.pk]
    page2 = api(operator_support).get("/ops/returns/inspection-queue", {"page_size": 1, "page": 2})
    assert [r["id"] for r in page2.json()["items"]] == [third.pk]
    assert api(merchant_owner).get("/ops/returns/inspection-queue").status_code == 403
