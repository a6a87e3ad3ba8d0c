"""The payments API: tenancy, filters, pagination, operator refunds with Idempotency-Key."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.payments.models import Payment, Refund
from tradelane.payments.testing import captured_payment, make_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def payments(buyer_owner, other_buyer, merchant_owner, other_merchant):
    return {
        "mine": captured_payment(buyer_owner, merchant_owner, amount="100.00", reference="order:1"),
        "pending": make_payment(buyer_owner, other_merchant, amount="5.00", reference="order:2"),
        "theirs": captured_payment(other_buyer, other_merchant, reference="order:3"),
    }


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_buyer_lists_its_own_payments_newest_first(api, buyer_owner, payments):
    assert ids(api(buyer_owner).get("/payments")) == [payments["pending"].pk, payments["mine"].pk]


def test_payee_merchant_sees_payments_to_it_only(api, merchant_owner, other_merchant, payments):
    assert ids(api(merchant_owner).get("/payments")) == [payments["mine"].pk]
    assert ids(api(other_merchant).get("/payments")) == [
        payments["theirs"].pk,
        payments["pending"].pk,
    ]


def test_operator_sees_every_payment(api, operator_support, payments):
    assert len(ids(api(operator_support).get("/payments"))) == 3


def test_filters_by_status_and_reference(api, buyer_owner, payments):
    client = api(buyer_owner)
    assert ids(client.get("/payments", {"status": "pending"})) == [payments["pending"].pk]
    assert ids(client.get("/payments", {"reference": "order:1"})) == [payments["mine"].pk]
    assert ids(client.get("/payments", {"reference": "order:3"})) == []  # another buyer's
    bad = client.get("/payments", {"status": "paid"})
    assert bad.status_code == 422 and bad.json()["field"] == "status"


def test_list_shape(api, buyer_owner, payments):
    row = api(buyer_owner).get("/payments", {"reference": "order:1"}).json()["items"][0]
    assert row["amount"] == {"amount": "100.00", "currency": "USD"}
    assert row["captured"] == {"amount": "100.00", "currency": "USD"}
    assert row["refundable"] == {"amount": "100.00", "currency": "USD"}
    assert row["status"] == "captured" and row["reference"] == "order:1"


def test_list_costs_a_constant_number_of_queries(api, buyer_owner, merchant_owner):
    client = api(buyer_owner)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/payments").status_code == 200
        return len(ctx.captured_queries)

    make_payment(buyer_owner, merchant_owner)
    count()  # the token's first use records last_used_at
    few = count()
    for _ in range(15):
        make_payment(buyer_owner, merchant_owner)
    assert count() == few


def test_detail_has_history_and_refunds(api, buyer_owner, operator_admin, payments):
    payment = payments["mine"]
    response = api(operator_admin).post(
        f"/payments/{payment.pk}/refunds",
        {"amount": {"amount": "10.00", "currency": "USD"}, "reason": "damaged"},
    )
    assert response.status_code == 201, response.content
    body = api(buyer_owner).get(f"/payments/{payment.pk}").json()
    assert [h["to_status"] for h in body["history"]] == [
        "authorised",
        "captured",
        "partially_refunded",
    ]
    assert [(r["amount"]["amount"], r["status"]) for r in body["refunds"]] == [
        ("10.00", "succeeded")
    ]
    assert body["refunded"]["amount"] == "10.00" and body["refundable"]["amount"] == "90.00"


@pytest.mark.parametrize("who", ["other_buyer", "other_merchant"])
def test_another_tenants_payment_is_not_found(api, request, payments, who):
    response = api(request.getfixturevalue(who)).get(f"/payments/{payments['mine'].pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_is_refused(api, payments):
    assert api().get("/payments").status_code == 401


def test_huge_id_is_a_422_not_a_500(api, buyer_owner):
    assert api(buyer_owner).get(f"/payments/{2**63}").status_code == 422


# --- refunds ------------------------------------------------------------------------------


def refund_body(amount="10.00", currency="USD", reason="damaged in transit"):
    return {"amount": {"amount": amount, "currency": currency}, "reason": reason}


@pytest.mark.parametrize("who", ["buyer_owner", "merchant_owner", "operator_support"])
def test_only_operator_admins_refund(api, request, payments, who):
    response = api(request.getfixturevalue(who)).post(
        f"/payments/{payments['mine'].pk}/refunds", refund_body()
    )
    assert response.status_code == 403
    assert not Refund.objects.exists()


def test_refund_replays_with_the_same_idempotency_key(api, operator_admin, payments):
    payment = payments["mine"]
    client = api(operator_admin)
    headers = {"Idempotency-Key": "refund-1"}
    first = client.post(f"/payments/{payment.pk}/refunds", refund_body(), headers=headers)
    again = client.post(f"/payments/{payment.pk}/refunds", refund_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Refund.objects.count() == 1
    assert Payment.objects.get(pk=payment.pk).refunded_amount == Decimal("10.00")
    other = client.post(f"/payments/{payment.pk}/refunds", refund_body("11.00"), headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    fresh = client.post(f"/payments/{payment.pk}/refunds", refund_body())
    assert fresh.status_code == 201 and Refund.objects.count() == 2


def test_refund_beyond_captured_is_409(api, operator_admin, payments):
    response = api(operator_admin).post(
        f"/payments/{payments['mine'].pk}/refunds", refund_body("100.01")
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "refund_exceeds_captured",
        "message": "At most 100.00 USD can still be refunded.",
        "field": "amount",
    }


def test_refund_of_an_uncaptured_payment_is_409(api, operator_admin, payments):
    response = api(operator_admin).post(
        f"/payments/{payments['pending'].pk}/refunds", refund_body("1.00")
    )
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (refund_body(amount="0"), "amount"),
        (refund_body(amount="-1"), "amount.amount"),
        (refund_body(amount="1e5"), "amount.amount"),
        (refund_body(amount=10), "amount.amount"),
        (refund_body(currency="EUR"), "amount.currency"),
        (refund_body(currency="usd"), "amount.currency"),
        (refund_body(reason=""), "reason"),
        ({"amount": {"amount": "1", "currency": "USD"}}, "reason"),
        (refund_body() | {"status": "refunded"}, "status"),
    ],
)
def test_refund_bad_input_names_the_field(api, operator_admin, payments, body, field):
    response = api(operator_admin).post(f"/payments/{payments['mine'].pk}/refunds", body)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert not Refund.objects.exists()


def test_declined_refund_is_402_and_recorded(api, operator_admin, buyer_owner):
    payment = captured_payment(buyer_owner, method="test_refund_decline")
    response = api(operator_admin).post(f"/payments/{payment.pk}/refunds", refund_body())
    assert response.status_code == 402 and response.json()["code"] == "refund_declined"
    assert Refund.objects.get().status == "failed"
    assert Payment.objects.get(pk=payment.pk).refund_pending_amount == 0


def test_provider_unavailable_is_409_and_the_same_key_resumes(api, operator_admin, buyer_owner):
    payment = make_payment(buyer_owner, method="test_error_once")
    from tradelane.payments import services
    from tradelane.payments.errors import ProviderUnavailable

    for call in (services.authorise_payment, services.capture_payment):
        with pytest.raises(ProviderUnavailable):
            call(payment_id=payment.pk)
        call(payment_id=payment.pk)
    client = api(operator_admin)
    headers = {"Idempotency-Key": "k-1"}
    first = client.post(f"/payments/{payment.pk}/refunds", refund_body(), headers=headers)
    assert first.status_code == 409 and first.json()["code"] == "provider_unavailable"
    again = client.post(f"/payments/{payment.pk}/refunds", refund_body(), headers=headers)
    assert again.status_code == 201 and again.json()["status"] == "succeeded"
    assert Refund.objects.count() == 1


def test_refund_of_an_unknown_payment_is_404(api, operator_admin):
    response = api(operator_admin).post("/payments/999999/refunds", refund_body())
    assert response.status_code == 404


def test_openapi_documents_the_operations(client):
    doc = client.get("/api/v1/openapi.json").json()
    refunds = doc["paths"]["/api/v1/payments/{payment_id}/refunds"]["post"]
    assert {"201", "402", "404", "409", "422"} <= set(refunds["responses"])
    listing = doc["paths"]["/api/v1/payments"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "reference", "page"}
    assert "refundable" in doc["components"]["schemas"]["PaymentOut"]["properties"]
