"""Operators add and end tax regimes and fees through the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tradelane.core.models import AuditEntry
from tradelane.markets.models import Fee, TaxRegime


def regime_body(**overrides):
    body = {
        "effective_from": "2030-01-01",
        "effective_to": None,
        "tax_name": "VAT",
        "standard_rate": "0.22",
        "b2b_rule": "importer_pays_at_border",
        "collect_at_sale_threshold": {"amount": "150.00", "currency": "EUR"},
        "confidence": "uncertain",
        "source_note": "Budget law 2030",
        "close_open": True,
    }
    return {**body, **overrides}


def fee_body(**overrides):
    body = {
        "name": "Dutch parcel fee",
        "amount": {"amount": "2.50", "currency": "EUR"},
        "basis": "per_parcel",
        "max_consignment": {"amount": "150", "currency": "EUR"},
        "effective_from": "2030-01-01",
        "effective_to": "2031-01-01",
    }
    return {**body, **overrides}


def rows(model, code):
    return list(
        model.objects.filter(market_id=code)
        .order_by("pk")
        .values_list("pk", "effective_from", "effective_to")
    )


def test_admin_adds_a_regime_that_closes_the_open_one(db, api, operator_admin):
    response = api(operator_admin).post("/markets/nl/tax-regimes", regime_body())
    assert response.status_code == 201
    body = response.json()
    assert (body["standard_rate"], body["effective_from"], body["effective_to"]) == (
        "0.22",
        "2030-01-01",
        None,
    )
    assert body["collect_at_sale_threshold"] == {"amount": "150.00", "currency": "EUR"}
    assert body["duty_de_minimis"] is None
    regime = TaxRegime.objects.get(pk=body["id"])
    assert (regime.market_id, regime.standard_rate) == ("NL", Decimal("0.22"))
    previous = TaxRegime.objects.get(market_id="NL", effective_from=date(2026, 7, 1))
    assert previous.effective_to == date(2030, 1, 1)
    actions = sorted(AuditEntry.objects.filter(target_id="NL").values_list("action", flat=True))
    assert actions == ["markets.tax_regime_added", "markets.tax_regime_closed"]


def test_overlapping_regime_is_422_and_writes_nothing(db, api, operator_admin):
    before = rows(TaxRegime, "NL")
    response = api(operator_admin).post("/markets/NL/tax-regimes", regime_body(close_open=False))
    assert response.status_code == 422
    assert response.json()["code"] == "overlapping_period"
    assert response.json()["field"] == "effective_from"
    assert rows(TaxRegime, "NL") == before
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"standard_rate": "19"}, "standard_rate"),
        ({"standard_rate": 0.19}, "standard_rate"),
        ({"standard_rate": "1.5"}, "standard_rate"),
        ({"effective_from": "2030-02-30"}, "effective_from"),
        ({"effective_to": "2029-01-01"}, "effective_to"),
        ({"b2b_rule": "whatever"}, "b2b_rule"),
        ({"duty_de_minimis": {"amount": "-1", "currency": "EUR"}}, "duty_de_minimis.amount"),
        ({"duty_de_minimis": {"amount": 150, "currency": "EUR"}}, "duty_de_minimis.amount"),
        ({"tax_de_minimis": {"amount": "1", "currency": "XXY"}}, "tax_de_minimis.currency"),
        ({"tax_name": ""}, "tax_name"),
        ({"vat": "0.2"}, "vat"),
        ({"close_open": "yes"}, "close_open"),
    ],
)
def test_bad_regime_input_names_the_field(db, api, operator_admin, patch, field):
    before = rows(TaxRegime, "NL")
    response = api(operator_admin).post("/markets/NL/tax-regimes", regime_body(**patch))
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert rows(TaxRegime, "NL") == before


def test_add_regime_is_idempotent(db, api, operator_admin):
    client = api(operator_admin)
    first = client.post("/markets/NL/tax-regimes", regime_body(), headers={"Idempotency-Key": "r1"})
    replay = client.post(
        "/markets/NL/tax-regimes", regime_body(), headers={"Idempotency-Key": "r1"}
    )
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert TaxRegime.objects.filter(market_id="NL", effective_from=date(2030, 1, 1)).count() == 1
    other = client.post(
        "/markets/NL/tax-regimes", regime_body(tax_name="BTW"), headers={"Idempotency-Key": "r1"}
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    elsewhere = client.post(
        "/markets/BE/tax-regimes", regime_body(), headers={"Idempotency-Key": "r1"}
    )
    assert elsewhere.status_code in (404, 422)


def test_admin_adds_a_fee_and_its_overlap_is_refused(db, api, operator_admin):
    client = api(operator_admin)
    response = client.post("/markets/NL/fees", fee_body(), headers={"Idempotency-Key": "f1"})
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["amount"], body["basis"], body["effective_to"]) == (
        "Dutch parcel fee",
        {"amount": "2.50", "currency": "EUR"},
        "per_parcel",
        "2031-01-01",
    )
    assert body["max_consignment"] == {"amount": "150.00", "currency": "EUR"}
    again = client.post("/markets/NL/fees", fee_body(), headers={"Idempotency-Key": "f1"})
    assert again.json() == body
    clash = client.post(
        "/markets/NL/fees", fee_body(effective_from="2030-06-01", effective_to=None)
    )
    assert (clash.status_code, clash.json()["code"]) == (422, "overlapping_period")
    assert Fee.objects.filter(market_id="NL", name="Dutch parcel fee").count() == 1
    assert AuditEntry.objects.filter(action="markets.fee_added").count() == 1


@pytest.mark.parametrize(
    "patch, field",
    [
        ({"amount": {"amount": "2.5", "currency": "eur"}}, "amount.currency"),
        ({"amount": {"amount": "abc", "currency": "EUR"}}, "amount.amount"),
        ({"basis": "per_kilo"}, "basis"),
        ({"max_consignment": {"amount": "0", "currency": "EUR"}}, "max_consignment"),
        ({"name": " "}, "name"),
        ({"applies_to_b2b": "true"}, "applies_to_b2b"),
    ],
)
def test_bad_fee_input_names_the_field(db, api, operator_admin, patch, field):
    count = Fee.objects.count()
    response = api(operator_admin).post("/markets/NL/fees", fee_body(**patch))
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert Fee.objects.count() == count


@pytest.mark.parametrize("who", ["operator_support", "merchant_owner", "buyer_owner"])
def test_only_operator_admins_add_or_end_rules(db, api, request, who):
    client = api(request.getfixturevalue(who))
    regime = TaxRegime.objects.filter(market_id="NL").first()
    assert client.post("/markets/NL/tax-regimes", regime_body()).status_code == 403
    assert client.post("/markets/NL/fees", fee_body()).status_code == 403
    end = {"effective_to": "2031-01-01"}
    assert client.post(f"/markets/NL/tax-regimes/{regime.pk}/end", end).status_code == 403
    assert api().post("/markets/NL/fees", fee_body()).status_code == 401
    assert not AuditEntry.objects.exists()


def test_admin_ends_an_open_regime_from_a_future_day(db, api, operator_admin):
    regime = TaxRegime.objects.get(market_id="DE", effective_to__isnull=True)
    response = api(operator_admin).post(
        f"/markets/DE/tax-regimes/{regime.pk}/end", {"effective_to": "2031-01-01"}
    )
    assert response.status_code == 200
    assert response.json()["effective_to"] == "2031-01-01"
    regime.refresh_from_db()
    assert regime.effective_to == date(2031, 1, 1)
    entry = AuditEntry.objects.get(action="markets.tax_regime_ended")
    assert entry.changes == {"effective_to": [None, "2031-01-01"]}


def test_ending_refuses_the_past_a_later_end_and_another_markets_row(db, api, operator_admin):
    client = api(operator_admin)
    open_de = TaxRegime.objects.get(market_id="DE", effective_to__isnull=True)
    today = timezone.localdate().isoformat()
    past = client.post(f"/markets/DE/tax-regimes/{open_de.pk}/end", {"effective_to": today})
    assert (past.status_code, past.json()["code"]) == (422, "end_in_past")
    fee = Fee.objects.get(market_id="DE", name__startswith="EU flat")
    later = (fee.effective_to + timedelta(days=1)).isoformat()
    longer = client.post(f"/markets/DE/fees/{fee.pk}/end", {"effective_to": later})
    assert (longer.status_code, longer.json()["code"]) == (422, "end_not_earlier")
    other = client.post(f"/markets/FR/tax-regimes/{open_de.pk}/end", {"effective_to": "2031-01-01"})
    assert (other.status_code, other.json()["code"]) == (404, "unknown_tax_regime")
    huge = client.post(f"/markets/DE/fees/{2**63}/end", {"effective_to": "2031-01-01"})
    assert huge.status_code == 422
    open_de.refresh_from_db()
    fee.refresh_from_db()
    assert (open_de.effective_to, fee.effective_to) == (None, date(2028, 7, 1))
    assert not AuditEntry.objects.exists()


def test_new_operations_are_in_the_openapi_document(db, api):
    paths = api().get("/openapi.json").json()["paths"]
    assert "/api/v1/markets/{code}/tax-regimes" in paths
    responses = paths["/api/v1/markets/{code}/fees"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(responses)
