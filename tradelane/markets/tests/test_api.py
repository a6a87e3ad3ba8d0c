from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradelane.core.models import AuditEntry
from tradelane.markets import services
from tradelane.markets.models import FxRate, Market, MarketStatusChange

SAMPLE = (Path(__file__).parent / "data" / "eurofxref-hist-small.xml").read_bytes()


def test_list_markets_is_public_with_todays_tax(db, api):
    response = api().get("/markets")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 20
    gb = next(m for m in body if m["code"] == "GB")
    assert gb["currency"] == "GBP" and gb["minor_units"] == 2 and gb["status"] == "live"
    assert gb["tax"]["standard_rate"] == "0.2"
    assert gb["tax"]["collect_at_sale_threshold"] == {"amount": "135.00", "currency": "GBP"}
    assert gb["tax"]["duty_de_minimis"] == {"amount": "135.00", "currency": "GBP"}
    assert gb["tax"]["tax_de_minimis"] is None
    assert gb["tax"]["b2b_rule"] == "reverse_charge"
    jp = next(m for m in body if m["code"] == "JP")
    assert jp["tax"]["duty_de_minimis"] == {"amount": "10000", "currency": "JPY"}


def test_list_markets_filters_by_status(db, api):
    body = api().get("/markets", {"status": "live"}).json()
    assert [m["code"] for m in body] == ["CA", "DE", "FR", "GB", "MX", "US"]
    assert api().get("/markets", {"status": "closed"}).status_code == 422


def test_market_detail_has_regimes_and_fees_with_dates(db, api):
    body = api().get("/markets/de").json()
    assert body["code"] == "DE"
    assert [(r["effective_from"], r["effective_to"]) for r in body["tax_regimes"]] == [
        ("2021-07-01", "2026-07-01"),
        ("2026-07-01", None),
    ]
    assert body["tax_regimes"][0]["duty_de_minimis"] == {"amount": "150.00", "currency": "EUR"}
    assert body["tax_regimes"][0]["confidence"] == "verified"
    assert body["tax_regimes"][0]["as_of"] == "2026-11-25"
    fee = body["fees"][0]
    assert (fee["amount"], fee["basis"], fee["effective_from"], fee["effective_to"]) == (
        {"amount": "3.00", "currency": "EUR"},
        "per_tariff_line",
        "2026-07-01",
        "2028-07-01",
    )
    assert fee["source_note"].startswith("Council")


def test_unknown_market_is_404(db, api):
    response = api().get("/markets/ZZ")
    assert response.status_code == 404
    assert response.json() == {
        "code": "unknown_market",
        "message": "No market 'ZZ'.",
        "field": "code",
    }


def test_bad_market_code_is_422(db, api):
    assert api().get("/markets/DEU").status_code == 422
    assert api().get("/markets/1A").status_code == 422


def test_operator_admin_edits_a_market(db, api, operator_admin):
    response = api(operator_admin).patch(
        "/markets/NL", {"name": "The Netherlands", "display_decimals": 2}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "The Netherlands"
    assert Market.objects.get(pk="NL").display_decimals == 2


def test_patch_with_bad_value_is_422_and_changes_nothing(db, api, operator_admin):
    response = api(operator_admin).patch("/markets/NL", {"postal_code_regex": "(["})
    assert response.status_code == 422
    assert response.json()["field"] == "postal_code_regex"
    response = api(operator_admin).patch("/markets/NL", {"display_decimals": "2"})
    assert response.status_code == 422
    response = api(operator_admin).patch("/markets/NL", {"currency": "USD"})
    assert response.status_code == 422
    response = api(operator_admin).patch("/markets/NL", {"postal_code_regex": None})
    assert (response.status_code, response.json()["field"]) == (422, "postal_code_regex")
    assert Market.objects.get(pk="NL").display_decimals is None
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("who", ["merchant_owner", "buyer_owner", "operator_support"])
def test_non_admins_cannot_edit_or_launch(db, api, request, who):
    client = api(request.getfixturevalue(who))
    assert client.patch("/markets/NL", {"name": "X"}).status_code == 403
    assert client.post("/markets/NL/launch", {}).status_code == 403
    assert (
        client.post(
            "/fx-rates",
            {
                "base": "EUR",
                "quote": "USD",
                "rate": "1.1",
                "as_of": "2026-11-20",
                "source": "manual",
            },
        ).status_code
        == 403
    )
    assert Market.objects.get(pk="NL").name == "Netherlands"
    assert not MarketStatusChange.objects.exists()
    assert not FxRate.objects.exists()


def test_anonymous_cannot_edit(db, api):
    assert api().patch("/markets/NL", {"name": "X"}).status_code == 401
    assert api().post("/markets/NL/status", {"status": "recruiting"}).status_code == 401
    assert Market.objects.get(pk="NL").name == "Netherlands"


def test_status_and_launch_write_history(db, api, operator_admin):
    client = api(operator_admin)
    assert (
        client.post("/markets/es/status", {"status": "recruiting", "note": "go"}).json()["status"]
        == "recruiting"
    )
    launched = client.post("/markets/ES/launch", {})
    assert launched.status_code == 200
    assert launched.json()["status"] == "live"
    assert MarketStatusChange.objects.filter(subject_id="ES").count() == 2
    again = client.post("/markets/ES/launch", {})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_fx_rates_list_filters_and_paginates(db, api, buyer_owner):
    services.import_ecb_rates(SAMPLE)
    assert api().get("/fx-rates").status_code == 401
    body = api(buyer_owner).get("/fx-rates", {"quote": "USD"}).json()
    assert body["count"] == 2
    assert [(r["as_of"], r["rate"]) for r in body["items"]] == [
        ("2026-07-01", "1.08"),
        ("2026-06-30", "1.075"),
    ]
    page = api(buyer_owner).get("/fx-rates", {"page_size": 4, "page": 2}).json()
    assert (page["count"], len(page["items"])) == (6, 2)
    assert api(buyer_owner).get("/fx-rates", {"base": "eur"}).status_code == 422


def test_post_fx_rate_is_idempotent(db, api, operator_admin):
    client = api(operator_admin)
    body = {
        "base": "USD",
        "quote": "CNY",
        "rate": "7.1234",
        "as_of": "2026-11-20",
        "source": "manual",
    }
    first = client.post("/fx-rates", body, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201
    replay = client.post("/fx-rates", body, headers={"Idempotency-Key": "k1"})
    assert (replay.status_code, replay.json()) == (201, first.json())
    assert first.json()["rate"] == "7.1234"
    reused = client.post("/fx-rates", {**body, "rate": "7.2"}, headers={"Idempotency-Key": "k1"})
    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert FxRate.objects.count() == 1
    replaced = client.post("/fx-rates", {**body, "rate": "7.2"})
    assert replaced.status_code == 200
    assert FxRate.objects.get().rate == Decimal("7.2")


@pytest.mark.parametrize(
    "patch",
    [
        {"rate": "0"},
        {"rate": 7.1},
        {"rate": "1e5"},
        {"as_of": "2026-02-30"},
        {"base": "usd"},
        {"extra": 1},
    ],
)
def test_post_fx_rate_refuses_bad_input(db, api, operator_admin, patch):
    body = {
        "base": "USD",
        "quote": "CNY",
        "rate": "7.1",
        "as_of": "2026-11-20",
        "source": "manual",
        **patch,
    }
    assert api(operator_admin).post("/fx-rates", body).status_code == 422
    assert not FxRate.objects.exists()


def test_convert_returns_the_rate_used(db, api, merchant_owner):
    services.import_ecb_rates(SAMPLE)
    row = FxRate.objects.get(quote="USD", as_of=date(2026, 7, 1))
    body = (
        api(merchant_owner)
        .get("/fx/convert", {"amount": "100", "from": "EUR", "to": "USD", "on": "2026-07-05"})
        .json()
    )
    assert body["converted"] == {"amount": "108.00", "currency": "USD"}
    assert body["rate"] == {
        "base": "EUR",
        "quote": "USD",
        "rate": "1.08",
        "as_of": "2026-07-01",
        "source": "ECB",
        "method": "direct",
        "rate_id": row.pk,
        "rate_ids": [row.pk],
    }


def test_convert_without_a_rate_is_404(db, api, merchant_owner):
    response = api(merchant_owner).get("/fx/convert", {"amount": "1", "from": "EUR", "to": "USD"})
    assert response.status_code == 404
    assert response.json()["code"] == "no_fx_rate"
    assert (
        api(merchant_owner)
        .get("/fx/convert", {"amount": "abc", "from": "EUR", "to": "USD"})
        .status_code
        == 422
    )


def test_fx_dates_must_be_iso_days_not_numbers(db, api, merchant_owner):
    client = api(merchant_owner)
    assert client.get("/fx-rates", {"as_of": "0"}).status_code == 422
    assert client.get("/fx-rates", {"as_of": "2026-02-30"}).json()["field"] == "as_of"
    assert client.get("/fx-rates", {"as_of": "2026-07-01"}).status_code == 200
    convert = {"amount": "1", "from": "EUR", "to": "USD", "on": "1"}
    assert client.get("/fx/convert", convert).status_code == 422
