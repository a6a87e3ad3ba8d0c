"""Operators see and edit tax regimes and fees on /ops/markets/<code>/."""

from datetime import date

from tradelane.core.models import AuditEntry
from tradelane.markets.models import Fee, TaxRegime


def regime_form(**overrides):
    data = {
        "regime-tax_name": "BTW",
        "regime-standard_rate": "22",
        "regime-b2b_rule": "importer_pays_at_border",
        "regime-collect_at_sale_threshold": "150",
        "regime-effective_from": "2030-01-01",
        "regime-effective_to": "",
        "regime-confidence": "uncertain",
        "regime-source_note": "Belastingplan 2030",
        "regime-close_open": "on",
    }
    return {**data, **overrides}


def fee_form(**overrides):
    data = {
        "fee-name": "Dutch parcel fee",
        "fee-amount": "2.5",
        "fee-currency": "eur",
        "fee-basis": "per_parcel",
        "fee-max_consignment": "150",
        "fee-effective_from": "2030-01-01",
        "fee-effective_to": "",
        "fee-confidence": "placeholder",
    }
    return {**data, **overrides}


def test_ops_page_marks_the_rules_in_force_today(db, page_client, operator_support):
    html = page_client(operator_support).get("/ops/markets/DE/").content.decode()
    current = TaxRegime.objects.get(market_id="DE", effective_from=date(2026, 7, 1))
    assert f'<tr data-regime="{current.pk}" aria-current="true"' in html
    assert html.count('data-testid="regime-in-force"') == 1
    fee = Fee.objects.get(market_id="DE")
    assert f'<tr data-fee="{fee.pk}" aria-current="true"' in html
    assert "2021-07-01" in html and "2028-07-01" in html
    # support staff see, but get no forms
    assert "/tax-regimes/" not in html and "/fees/" not in html


def test_admin_sees_the_forms_prefilled_from_todays_regime(db, page_client, operator_admin):
    html = page_client(operator_admin).get("/ops/markets/DE/").content.decode()
    assert 'action="/ops/markets/DE/tax-regimes/"' in html
    assert 'action="/ops/markets/DE/fees/"' in html
    assert 'name="regime-standard_rate" value="19"' in html
    assert 'name="regime-collect_at_sale_threshold" value="150"' in html
    assert 'name="fee-currency" value="EUR"' in html


def test_admin_adds_a_regime_through_the_form(db, page_client, operator_admin):
    client = page_client(operator_admin)
    response = client.post("/ops/markets/NL/tax-regimes/", regime_form())
    assert response.status_code == 302
    regime = TaxRegime.objects.get(market_id="NL", effective_from=date(2030, 1, 1))
    assert (regime.tax_name, str(regime.standard_rate), regime.effective_to) == (
        "BTW",
        "0.220000",
        None,
    )
    assert regime.collect_at_sale_threshold_currency == "EUR"
    assert regime.duty_de_minimis_amount is None
    previous = TaxRegime.objects.get(market_id="NL", effective_from=date(2026, 7, 1))
    assert previous.effective_to == date(2030, 1, 1)
    assert (
        "Tax regime BTW from 2030-01-01 added." in client.get("/ops/markets/NL/").content.decode()
    )


def test_overlapping_regime_shows_the_error_inline_and_saves_nothing(
    db, page_client, operator_admin
):
    before = TaxRegime.objects.count()
    response = page_client(operator_admin).post(
        "/ops/markets/NL/tax-regimes/", regime_form(**{"regime-close_open": ""})
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_regime-effective_from-error"' in html
    assert "This period overlaps the tax regime from 2026-07-01" in html
    assert "<details open>" in html
    assert TaxRegime.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_regime_form_refuses_a_rate_over_100(db, page_client, operator_admin):
    response = page_client(operator_admin).post(
        "/ops/markets/NL/tax-regimes/", regime_form(**{"regime-standard_rate": "120"})
    )
    assert response.status_code == 422
    assert 'id="id_regime-standard_rate-error"' in response.content.decode()


def test_admin_adds_a_fee_and_sees_field_errors(db, page_client, operator_admin):
    client = page_client(operator_admin)
    bad = client.post("/ops/markets/NL/fees/", fee_form(**{"fee-currency": "ZZZ"}))
    assert bad.status_code == 422
    assert 'id="id_fee-currency-error"' in bad.content.decode()
    assert not Fee.objects.filter(name="Dutch parcel fee").exists()
    assert client.post("/ops/markets/NL/fees/", fee_form()).status_code == 302
    fee = Fee.objects.get(name="Dutch parcel fee")
    assert (str(fee.amount), fee.currency, str(fee.max_consignment_amount)) == (
        "2.5000",
        "EUR",
        "150.0000",
    )


def test_support_cannot_add_or_end(db, page_client, operator_support):
    client = page_client(operator_support)
    regime = TaxRegime.objects.get(market_id="NL", effective_to__isnull=True)
    assert client.post("/ops/markets/NL/tax-regimes/", regime_form()).status_code == 403
    assert client.post("/ops/markets/NL/fees/", fee_form()).status_code == 403
    end = client.post(
        f"/ops/markets/NL/tax-regimes/{regime.pk}/end/", {"effective_to": "2031-01-01"}
    )
    assert end.status_code == 403
    assert not AuditEntry.objects.exists()


def test_admin_ends_a_fee_and_a_refusal_shows_next_to_the_row(db, page_client, operator_admin):
    client = page_client(operator_admin)
    fee = Fee.objects.get(market_id="DE")
    refused = client.post(f"/ops/markets/DE/fees/{fee.pk}/end/", {"effective_to": "2029-01-01"})
    assert refused.status_code == 422
    assert f'id="end-fee-{fee.pk}-error"' in refused.content.decode()
    fee.refresh_from_db()
    assert fee.effective_to == date(2028, 7, 1)
    ok = client.post(f"/ops/markets/DE/fees/{fee.pk}/end/", {"effective_to": "2027-07-01"})
    assert ok.status_code == 302
    fee.refresh_from_db()
    assert fee.effective_to == date(2027, 7, 1)
    other = client.post(f"/ops/markets/FR/fees/{fee.pk}/end/", {"effective_to": "2027-01-01"})
    assert other.status_code == 404
    huge = client.post(f"/ops/markets/DE/fees/{10**30}/end/", {"effective_to": "2027-01-01"})
    assert huge.status_code == 404
