from tradelane.core.models import AuditEntry
from tradelane.logistics.models import DutyRate, RateCard

LINE = {
    "lines-TOTAL_FORMS": "1",
    "lines-INITIAL_FORMS": "0",
    "lines-MIN_NUM_FORMS": "1",
    "lines-MAX_NUM_FORMS": "10",
    "lines-0-hs_code": "420292",
    "lines-0-origin_country": "CN",
    "lines-0-unit_value": "25",
    "lines-0-currency": "EUR",
    "lines-0-quantity": "4",
    "lines-0-unit_gross_weight_kg": "0.5",
    "lines-0-length_cm": "30",
    "lines-0-width_cm": "20",
    "lines-0-height_cm": "10",
    "lines-0-units_per_carton": "4",
    "lines-0-lead_time_days": "0",
}
FORM = {
    "market": "DE",
    "postal_code": "10115",
    "buyer_type": "b2c",
    "incoterm": "DDP",
    "quote_date": "2026-07-01",
    **LINE,
}


def test_merchant_calculator_shows_three_tiers(fx, page_client, merchant_owner):
    client = page_client(merchant_owner)
    assert client.get("/merchant/landed-cost/").status_code == 200
    response = client.post("/merchant/landed-cost/", FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="total-standard">€140.09' in html
    assert "EU flat customs duty" in html
    assert 'data-testid="unavailable-economy"' not in html or "Unavailable" in html


def test_calculator_htmx_returns_the_partial(fx, page_client, merchant_owner):
    response = page_client(merchant_owner).post(
        "/merchant/landed-cost/", FORM, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<div id="calculator">') and "<html" not in html


def test_calculator_shows_field_errors(fx, page_client, merchant_owner):
    response = page_client(merchant_owner).post(
        "/merchant/landed-cost/",
        {**FORM, "postal_code": "XYZ", "buyer_type": "b2b", "buyer_tax_id": ""},
    )
    assert response.status_code == 422
    assert "is not a postal code of DE" in response.content.decode()
    bad_id = page_client(merchant_owner).post(
        "/merchant/landed-cost/", {**FORM, "buyer_type": "b2b", "buyer_tax_id": "DE1"}
    )
    assert "is not a valid EU VAT id" in bad_id.content.decode()


def test_buyers_cannot_open_the_merchant_calculator(page_client, buyer_owner):
    assert page_client(buyer_owner).get("/merchant/landed-cost/").status_code == 403


def test_operator_pages_list_and_revise(fx, page_client, operator_admin):
    client = page_client(operator_admin)
    listing = client.get("/ops/logistics/rate-cards/?market=GB")
    assert listing.status_code == 200 and "CN → GB" in listing.content.decode()
    card = RateCard.objects.get(lane__destination_id="GB", tier="premium")
    assert client.get(f"/ops/logistics/rate-cards/{card.pk}/").status_code == 200
    data = {
        "effective_from": "2099-01-01",
        "handling_fee": "0",
        "first_price": "29.00",
        "step_price": "6.30",
        "fuel_surcharge_rate": "0.245",
        "max_weight_kg": "70",
        "pricing_basis": "per_parcel",
        "transit_min_days": "2",
        "transit_max_days": "4",
        "carries_battery": "on",
        "carries_liquid": "on",
        "carries_magnet": "on",
        "note": "new contract",
    }
    response = client.post(f"/ops/logistics/rate-cards/{card.pk}/", data)
    assert response.status_code == 302
    new = RateCard.objects.get(
        lane__destination_id="GB", tier="premium", effective_from="2099-01-01"
    )
    assert str(new.first_price) == "29.0000"
    assert AuditEntry.objects.get(action="logistics.rate_card_revised").changes == {
        "first_price": ["27.0000", "29.00"]
    }
    duty = client.get("/ops/logistics/duty-rates/?market=US&hs=420292")
    assert duty.status_code == 200 and "Section 301 list 3" in duty.content.decode()


def test_operator_adds_and_ends_a_duty_rate_on_the_page(fx, page_client, operator_admin):
    client = page_client(operator_admin)
    response = client.post(
        "/ops/logistics/duty-rates/",
        {
            "market": "GB",
            "program": "mfn",
            "hs_prefix": "6403",
            "rate": "0.08",
            "description": "Leather footwear",
            "effective_from": "2099-01-01",
        },
    )
    assert response.status_code == 302
    row = DutyRate.objects.get(market_id="GB", hs_prefix="6403")
    client.post(f"/ops/logistics/duty-rates/{row.pk}/end/", {"effective_to": "2099-06-01"})
    row.refresh_from_db()
    assert row.effective_to.isoformat() == "2099-06-01"


def test_support_cannot_revise(fx, page_client, operator_support):
    card = RateCard.objects.first()
    response = page_client(operator_support).post(
        f"/ops/logistics/rate-cards/{card.pk}/", {"effective_from": "2099-01-01"}
    )
    assert response.status_code == 403
