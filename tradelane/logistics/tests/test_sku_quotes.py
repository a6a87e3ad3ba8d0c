"""Quotes for catalog SKUs: POST /quotes and the product page's delivered-cost panel."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.catalog import selectors as catalog
from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields, stock
from tradelane.merchants.testing import make_warehouse


@pytest.fixture
def sku(fx, merchant_owner):
    admit(merchant_owner, ["DE", "US"])
    return listed(merchant_owner, code="VOLT-DE", markets=("DE",), unit_price="10.00")


def body(*lines, market="DE", postal_code="10115", **extra):
    return {
        "lines": [{"sku_id": s, "quantity": q} for s, q in lines],
        "destination": {"market": market, "postal_code": postal_code},
        **extra,
    }


def explicit(unit_value, quantity, warehouse):
    """The same goods as `listed`'s SKU, spelled out for POST /landed-cost."""
    return {
        "lines": [
            {
                "hs_code": "85044095",  # as the catalog stores "8504.40.95"
                "origin_country": "CN",
                "unit_customs_value": {"amount": unit_value, "currency": "EUR"},
                "quantity": quantity,
                "unit_net_weight_kg": "0.180",
                "unit_gross_weight_kg": "0.240",
                "carton_dimensions_cm": {"length": "12", "width": "8", "height": "5"},
                "units_per_carton": 50,
            }
        ],
        "destination": {"market": "DE", "postal_code": "10115"},
        "origin_warehouse": {
            "country": warehouse.country,
            "time_zone": warehouse.time_zone,
            "opening_weekdays": sorted(d - 1 for d in warehouse.opening_days),
            "pickup_cutoff": warehouse.pickup_cutoff.strftime("%H:%M"),
        },
    }


def _goods(data, tier="standard"):
    return next(t for t in data["tiers"] if t["tier"] == tier)["goods"]


def test_quote_for_a_sku_equals_landed_cost_of_the_same_explicit_goods(
    sku, api, buyer_owner, merchant_owner
):
    (level,) = catalog.list_stock(actor=merchant_owner, sku_id=sku.pk)
    client = api(buyer_owner)
    quoted = client.post("/quotes", body((sku.pk, 120)))
    assert quoted.status_code == 200, quoted.content
    expected = client.post("/landed-cost", explicit("10.00", 120, level.warehouse))
    assert expected.status_code == 200, expected.content
    assert quoted.json() == expected.json()
    data = quoted.json()
    assert (data["market"], data["currency"]) == ("DE", "EUR")
    assert [t["tier"] for t in data["tiers"]] == ["economy", "standard", "premium"]
    assert _goods(data) == {"amount": "1200.00", "currency": "EUR"}
    standard = next(t for t in data["tiers"] if t["tier"] == "standard")
    assert standard["cartons"] == 3
    assert sum(Decimal(line["amount"]["amount"]) for line in standard["breakdown"]) == Decimal(
        standard["total"]["amount"]
    )


def test_a_price_break_changes_the_customs_value(fx, api, buyer_owner, merchant_owner):
    admit(merchant_owner, ["DE"])
    product = make_product(merchant_owner, skus=[sku_fields("BRK-1")])
    item = product.skus.get()
    price(
        merchant_owner,
        item,
        "DE",
        "EUR",
        "10.00",
        breaks=[{"min_quantity": 100, "unit_price": "8.00"}],
    )
    stock(merchant_owner, item, make_warehouse(merchant_owner), 500)
    client = api(buyer_owner)
    below = client.post("/quotes", body((item.pk, 99))).json()
    above = client.post("/quotes", body((item.pk, 100))).json()
    assert _goods(below) == {"amount": "990.00", "currency": "EUR"}
    assert _goods(above) == {"amount": "800.00", "currency": "EUR"}


def test_prices_in_the_body_are_refused(sku, api, buyer_owner):
    data = body((sku.pk, 10))
    data["lines"][0]["unit_price"] = {"amount": "0.01", "currency": "EUR"}
    response = api(buyer_owner).post("/quotes", data)
    assert response.status_code == 422
    assert response.json()["field"] == "lines[0].unit_price"


def test_a_sku_not_sold_in_the_market_is_not_found_with_its_line(
    sku, api, buyer_owner, other_merchant
):
    not_admitted = listed(other_merchant, code="OTHER-DE", markets=("DE",))
    # the other merchant is not admitted in DE: nothing of it is visible there
    client = api(buyer_owner)
    response = client.post("/quotes", body((sku.pk, 10), (not_admitted.pk, 10)))
    assert response.status_code == 404, response.content
    assert (response.json()["code"], response.json()["field"]) == ("not_found", "lines[1].sku_id")
    unpriced = client.post("/quotes", body((sku.pk, 10), market="US", postal_code="10001"))
    assert unpriced.status_code == 404
    assert unpriced.json()["field"] == "lines[0].sku_id"
    missing = client.post("/quotes", body((2**62, 1)))
    assert (missing.status_code, missing.json()["field"]) == (404, "lines[0].sku_id")


def test_skus_of_two_merchants_are_refused(sku, api, buyer_owner, other_merchant):
    admit(other_merchant, ["DE"])
    theirs = listed(other_merchant, code="THEIRS", markets=("DE",))
    response = api(buyer_owner).post("/quotes", body((sku.pk, 10), (theirs.pk, 10)))
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (
        "mixed_origins",
        "lines[1].sku_id",
    )


def test_skus_in_two_warehouses_of_one_merchant_are_refused(sku, api, buyer_owner, merchant_owner):
    elsewhere = listed(
        merchant_owner,
        code="ELSEWHERE",
        markets=("DE",),
        warehouse=make_warehouse(merchant_owner, name="ZZ second warehouse"),
    )
    response = api(buyer_owner).post("/quotes", body((sku.pk, 10), (elsewhere.pk, 10)))
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (
        "mixed_origins",
        "lines[1].sku_id",
    )


def test_quantity_below_the_moq_is_refused(fx, api, buyer_owner, merchant_owner):
    admit(merchant_owner, ["DE"])
    item = make_product(merchant_owner, skus=[sku_fields("MOQ-1")]).skus.get()
    price(merchant_owner, item, "DE", "EUR", "5.00", moq=20, increment=10)
    stock(merchant_owner, item, make_warehouse(merchant_owner), 500)
    client = api(buyer_owner)
    low = client.post("/quotes", body((item.pk, 19))).json()
    assert (low["code"], low["field"]) == ("below_moq", "lines[0].quantity")
    step = client.post("/quotes", body((item.pk, 25))).json()
    assert (step["code"], step["field"]) == ("invalid_increment", "lines[0].quantity")


def test_bad_destination_is_refused_with_the_field(sku, api, buyer_owner):
    client = api(buyer_owner)
    bad_postal = client.post("/quotes", body((sku.pk, 10), postal_code="ABC")).json()
    assert (bad_postal["code"], bad_postal["field"]) == (
        "invalid_postal_code",
        "destination.postal_code",
    )
    unknown = client.post("/quotes", body((sku.pk, 10), market="ZZ")).json()
    assert (unknown["code"], unknown["field"]) == ("unknown_market", "destination.market")


def test_anonymous_may_not_quote(sku, api):
    assert api().post("/quotes", body((sku.pk, 10))).status_code == 401


def test_near_ready_lead_time_moves_the_pickup(fx, api, buyer_owner, merchant_owner):
    admit(merchant_owner, ["DE"])
    make_warehouse(merchant_owner)
    fields = sku_fields("NR-1", readiness="near_ready", lead_days=10)
    item = make_product(merchant_owner, skus=[fields]).skus.get()
    price(merchant_owner, item, "DE", "EUR", "10.00")
    ready = listed(merchant_owner, code="READY-1", markets=("DE",))
    client = api(buyer_owner)
    later = client.post("/quotes", body((item.pk, 10))).json()
    now = client.post("/quotes", body((ready.pk, 10))).json()
    standard = [next(t for t in d["tiers"] if t["tier"] == "standard") for d in (later, now)]
    assert standard[0]["delivery"]["pickup"] > standard[1]["delivery"]["pickup"]


# --- the product page ---------------------------------------------------------------------


def test_product_page_loads_the_delivered_cost_panel(sku, page_client, buyer_owner):
    html = page_client(buyer_owner).get(f"/store/DE/products/{sku.pk}/").content.decode()
    assert f'hx-get="/store/DE/products/{sku.pk}/delivered-cost/"' in html


def test_panel_defaults_quantity_to_the_moq(fx, page_client, buyer_owner, merchant_owner):
    admit(merchant_owner, ["DE"])
    item = make_product(merchant_owner, skus=[sku_fields("MOQ-2")]).skus.get()
    price(merchant_owner, item, "DE", "EUR", "5.00", moq=30)
    stock(merchant_owner, item, make_warehouse(merchant_owner), 500)
    response = page_client(buyer_owner).get(
        f"/store/DE/products/{item.pk}/delivered-cost/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="delivered-cost"') and "<html" not in html
    assert 'name="quantity" value="30"' in html


def test_panel_shows_three_tiers_with_totals_and_dates(sku, api, page_client, buyer_owner):
    expected = api(buyer_owner).post("/quotes", body((sku.pk, 120))).json()
    response = page_client(buyer_owner).get(
        f"/store/DE/products/{sku.pk}/delivered-cost/",
        {"quantity": "120", "postal_code": "10115"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    for t in expected["tiers"]:
        assert f'data-tier="{t["tier"]}"' in html
        if t["available"]:
            amount = Decimal(t["total"]["amount"])
            assert f'data-testid="delivered-total-{t["tier"]}">€{amount:,.2f}' in html
            assert t["delivery"]["earliest"] in html
        else:
            assert f'data-testid="delivered-unavailable-{t["tier"]}"' in html


def test_panel_shows_field_errors_inline(sku, page_client, buyer_owner):
    url = f"/store/DE/products/{sku.pk}/delivered-cost/"
    client = page_client(buyer_owner)
    response = client.get(url, {"quantity": "10", "postal_code": "XYZ"})
    assert response.status_code == 422
    assert "is not a postal code of DE" in response.content.decode()
    swapped = client.get(url, {"quantity": "0", "postal_code": "10115"}, HTTP_HX_REQUEST="true")
    assert swapped.status_code == 200  # HTMX swaps 2xx only
    assert 'class="field has-error"' in swapped.content.decode()


def test_panel_of_a_sku_not_sold_in_the_market_is_not_found(sku, page_client, buyer_owner):
    response = page_client(buyer_owner).get(f"/store/US/products/{sku.pk}/delivered-cost/")
    assert response.status_code == 404


def test_query_count_does_not_grow_with_the_lines(fx, api, buyer_owner, merchant_owner):
    admit(merchant_owner, ["DE"])
    warehouse = make_warehouse(merchant_owner)
    skus = [
        listed(merchant_owner, code=f"Q-{n}", markets=("DE",), warehouse=warehouse)
        for n in range(3)
    ]
    client = api(buyer_owner)
    client.post("/quotes", body((skus[0].pk, 10)))  # warm the per-process caches
    counts = []
    for lines in ([(skus[0].pk, 10)], [(s.pk, 10) for s in skus]):
        with CaptureQueriesContext(connection) as queries:
            assert client.post("/quotes", body(*lines)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_openapi_documents_quotes_with_an_example(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/quotes"]["post"]
    assert {"200", "404", "422"} <= set(operation["responses"])
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "$ref" in schema or "examples" in schema
