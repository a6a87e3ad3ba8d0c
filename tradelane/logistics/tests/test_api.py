from copy import deepcopy
from decimal import Decimal

import pytest

from tradelane.core.models import AuditEntry
from tradelane.logistics.models import DutyRate, RateCard
from tradelane.logistics.schemas import LANDED_COST_EXAMPLE


def body(**changes):
    data = deepcopy(LANDED_COST_EXAMPLE)
    for key, value in changes.items():
        if key in ("market", "postal_code"):
            data["destination"][key] = value
        else:
            data[key] = value
    return data


def test_landed_cost_returns_three_tiers_with_breakdowns(fx, api, merchant_owner):
    response = api(merchant_owner).post("/landed-cost", body())
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["market"], data["currency"], data["rules_on"]) == ("DE", "EUR", "2026-07-06")
    assert [t["tier"] for t in data["tiers"]] == ["economy", "standard", "premium"]
    economy, standard, _ = data["tiers"]
    assert economy["available"] is False
    assert economy["unavailable"]["code"] == "over_max_weight"
    assert standard["total"] == {"amount": "165.70", "currency": "EUR"}
    assert standard["duties"] == {"amount": "3.00", "currency": "EUR"}
    assert standard["delivery"] == {
        "pickup": "2026-07-06",
        "earliest": "2026-07-13",
        "latest": "2026-07-17",
        "transit_business_days": [6, 10],
    }
    lines = standard["breakdown"]
    assert sum(Decimal(line["amount"]["amount"]) for line in lines) == Decimal("165.70")
    assert all(line["rule"] for line in lines)
    assert data["fx"][0]["currency"] == "USD"


@pytest.mark.parametrize("fixture", ["buyer_owner", "operator_admin"])
def test_buyers_and_operators_may_quote(fx, api, request, fixture):
    assert api(request.getfixturevalue(fixture)).post("/landed-cost", body()).status_code == 200


def test_anonymous_is_refused(fx, api):
    assert api().post("/landed-cost", body()).status_code == 401


@pytest.mark.parametrize(
    "changes, status, code, field",
    [
        ({"market": "ZZ"}, 422, "unknown_market", "destination.market"),
        ({"market": "SG", "postal_code": "018956"}, 422, "unsupported_lane", "destination.market"),
        ({"postal_code": "ABC"}, 422, "invalid_postal_code", "destination.postal_code"),
        ({"buyer_type": "b2b", "buyer_tax_id": "DE123"}, 422, "invalid_tax_id", "buyer_tax_id"),
        ({"incoterm": "EXW"}, 422, "invalid", "incoterm"),
        ({"lines": []}, 422, "invalid", "lines"),
    ],
)
def test_bad_input_is_refused_with_the_field(fx, api, merchant_owner, changes, status, code, field):
    response = api(merchant_owner).post("/landed-cost", body(**changes))
    assert response.status_code == status, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)


def test_strict_input_refuses_numbers_for_amounts(fx, api, merchant_owner):
    data = body()
    data["lines"][0]["quantity"] = "10"
    response = api(merchant_owner).post("/landed-cost", data)
    assert response.status_code == 422
    assert response.json()["field"] == "lines[0].quantity"


def test_over_every_limit_each_tier_says_why(fx, api, merchant_owner):
    data = body()
    data["lines"][0]["unit_gross_weight_kg"] = "90"
    data["lines"][0]["unit_net_weight_kg"] = "80"
    tiers = api(merchant_owner).post("/landed-cost", data).json()["tiers"]
    assert [t["unavailable"]["code"] for t in tiers] == ["over_max_weight"] * 3
    assert all(t["total"] is None for t in tiers)


def test_openapi_documents_the_landed_cost_example(client):
    doc = client.get("/api/v1/openapi.json").json()
    operation = doc["paths"]["/api/v1/landed-cost"]["post"]
    assert set(operation["responses"]) >= {"200", "401", "422"}
    schema = doc["components"]["schemas"]["LandedCostIn"]
    assert schema["examples"] == [LANDED_COST_EXAMPLE]


def test_operator_lists_and_revises_a_rate_card(fx, api, operator_admin):
    cards = (
        api(operator_admin)
        .get("/logistics/rate-cards", params={"market": "DE", "tier": "premium"})
        .json()
    )
    assert cards["count"] == 1
    card_id = cards["items"][0]["id"]
    response = api(operator_admin).post(
        f"/logistics/rate-cards/{card_id}/revisions",
        {"effective_from": "2099-01-01", "fuel_surcharge_rate": "0.25", "note": "Jan fuel"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["fuel_surcharge_rate"] == "0.25"
    assert RateCard.objects.get(pk=card_id).effective_to.isoformat() == "2099-01-01"
    assert AuditEntry.objects.filter(action="logistics.rate_card_revised").count() == 1


def test_revision_cannot_be_retroactive_and_nothing_changes(fx, api, operator_admin):
    card = RateCard.objects.filter(tier="premium").first()
    response = api(operator_admin).post(
        f"/logistics/rate-cards/{card.pk}/revisions",
        {"effective_from": "2020-01-01", "step_price": "1"},
    )
    assert (response.status_code, response.json()["code"]) == (422, "retroactive")
    assert RateCard.objects.count() == 18
    assert not AuditEntry.objects.filter(action__startswith="logistics.").exists()


def test_merchants_cannot_see_or_edit_the_network(fx, api, merchant_owner):
    assert api(merchant_owner).get("/logistics/rate-cards").status_code == 403
    assert api(merchant_owner).get("/logistics/duty-rates").status_code == 403


def test_operator_support_reads_but_cannot_edit(fx, api, operator_support):
    assert (
        api(operator_support).get("/logistics/duty-rates", params={"market": "US"}).status_code
        == 200
    )
    row = DutyRate.objects.first()
    assert (
        api(operator_support)
        .post(f"/logistics/duty-rates/{row.pk}/end", {"effective_to": "2099-01-01"})
        .status_code
        == 403
    )


def test_operator_adds_and_ends_duty_rates(fx, api, operator_admin):
    response = api(operator_admin).post(
        "/logistics/duty-rates",
        {
            "market": "US",
            "program": "section_122",
            "origin_country": "CN",
            "rate": "0.15",
            "description": "Section 122 at 15%",
            "effective_from": "2099-01-01",
        },
    )
    assert response.status_code == 201, response.content
    again = api(operator_admin).post(
        "/logistics/duty-rates",
        {
            "market": "US",
            "program": "section_122",
            "origin_country": "CN",
            "rate": "0.10",
            "description": "dup",
            "effective_from": "2099-06-01",
        },
    )
    assert (again.status_code, again.json()["code"]) == (409, "overlapping_rate")
    rate_id = response.json()["id"]
    ended = api(operator_admin).post(
        f"/logistics/duty-rates/{rate_id}/end", {"effective_to": "2099-03-01"}
    )
    assert ended.json()["effective_to"] == "2099-03-01"
    hs = (
        api(operator_admin)
        .get("/logistics/duty-rates", params={"market": "US", "hs": "4202.92"})
        .json()
    )
    assert {item["hs_prefix"] for item in hs["items"]} == {"", "4202"}
    assert api(operator_admin).get("/logistics/rate-cards/99999999999999999999").status_code == 422
