from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from tradelane.core.money import Money
from tradelane.markets import selectors
from tradelane.markets.models import Fee, Market, TaxRegime
from tradelane.markets.services import load_reference_markets

LAUNCH = ["CA", "DE", "FR", "GB", "MX", "US"]


def test_seed_gives_twenty_markets_six_live(db):
    assert Market.objects.count() == 20
    assert sorted(Market.objects.filter(status="live").values_list("code", flat=True)) == LAUNCH
    assert Market.objects.filter(status="planned").count() == 14


def test_live_markets_have_launch_dates(db):
    us = selectors.get_market("US")
    assert us.live_from == date(2024, 2, 3)
    assert us.recruiting_from == date(2024, 1, 5)
    assert selectors.get_market("JP").live_from is None


def test_every_market_has_a_regime_in_force_today(db):
    for market in Market.objects.all():
        assert selectors.get_tax_regime(market) is not None, market.code


def test_seed_reference_fields(db):
    jp = selectors.get_market("jp")
    assert (jp.currency, jp.currency_numeric, jp.minor_units, jp.shown_decimals) == (
        "JPY",
        "392",
        0,
        0,
    )
    idr = selectors.get_market("ID")
    assert (idr.minor_units, idr.shown_decimals) == (2, 0)
    ae = selectors.get_market("AE")
    assert (ae.postal_code_required, ae.postal_code_regex, ae.phone_prefix) == (False, "", "+971")
    assert selectors.get_market("GB").locales == ["en-GB", "cy-GB"]


def test_seed_tax_figures(db):
    gb = selectors.get_tax_regime(selectors.get_market("GB"), on=date(2026, 11, 25))
    assert gb.standard_rate == Decimal("0.2")
    assert gb.collect_at_sale_threshold == Money(Decimal("135"), "GBP")
    assert gb.b2b_rule == "reverse_charge"
    assert gb.b2b_invoice_wording == "Reverse charge: customer to account for VAT to HMRC"
    ca = selectors.get_tax_regime(selectors.get_market("CA"))
    assert ca.duty_de_minimis == Money(Decimal("20"), "CAD")
    assert ca.tax_de_minimis == Money(Decimal("20"), "CAD")
    au = selectors.get_tax_regime(selectors.get_market("AU"))
    assert au.collect_at_sale_threshold == Money(Decimal("1000"), "AUD")
    mx = selectors.get_tax_regime(selectors.get_market("MX"), on=date(2025, 8, 15))
    assert mx.china_origin_global_rate == Decimal("0.335")
    assert selectors.get_tax_regime(
        selectors.get_market("MX"), on=date(2025, 8, 14)
    ).china_origin_global_rate == Decimal("0.19")


def test_us_de_minimis_suspended_on_2025_08_29(db):
    us = selectors.get_market("US")
    assert selectors.get_tax_regime(us, on=date(2025, 8, 28)).duty_de_minimis == Money(
        Decimal("800"), "USD"
    )
    assert selectors.get_tax_regime(us, on=date(2025, 8, 29)).duty_de_minimis is None


def test_reload_creates_nothing_and_keeps_operator_edits(db):
    Market.objects.filter(pk="DE").update(name="Deutschland")
    TaxRegime.objects.filter(market_id="GB").update(tax_name="Value added tax")
    before = (TaxRegime.objects.count(), Fee.objects.count())
    assert load_reference_markets() == {
        "markets": 0,
        "tax_regimes": 0,
        "fees": 0,
        "regional_taxes": 0,
    }
    assert (TaxRegime.objects.count(), Fee.objects.count()) == before
    assert Market.objects.get(pk="DE").name == "Deutschland"
    assert TaxRegime.objects.get(market_id="GB").tax_name == "Value added tax"


def test_reload_recreates_a_deleted_market(db):
    Market.objects.filter(pk="NL").delete()
    counts = load_reference_markets()
    assert counts == {"markets": 1, "tax_regimes": 2, "fees": 1, "regional_taxes": 0}
    assert Market.objects.count() == 20


def test_load_markets_command(db, capsys):
    call_command("load_markets")
    assert "Created 0 markets, 0 tax regimes, 0 fees." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_reference_markets_survive_a_transactional_flush():
    """A flush (what every transactional test ends with) empties the tables and emits
    post_migrate; the hook reloads the reference markets for the tests that follow."""
    from django.core.management import call_command as run

    run("flush", interactive=False, verbosity=0)
    assert Market.objects.count() == 20
