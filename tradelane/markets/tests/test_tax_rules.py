from datetime import date
from decimal import Decimal

import pytest

from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.models import AuditEntry
from tradelane.core.money import Money
from tradelane.markets import selectors, services
from tradelane.markets.models import Fee, TaxRegime


def fee_names(code, on):
    return [f.name for f in selectors.list_fees(selectors.get_market(code), on=on)]


def test_eu_duty_de_minimis_ends_on_2026_07_01(db):
    de = selectors.get_market("DE")
    before = selectors.get_tax_regime(de, on=date(2026, 6, 30))
    after = selectors.get_tax_regime(de, on=date(2026, 7, 1))
    assert before.duty_de_minimis == Money(Decimal("150"), "EUR")
    assert after.duty_de_minimis is None
    assert (
        before.collect_at_sale_threshold
        == after.collect_at_sale_threshold
        == Money(Decimal("150"), "EUR")
    )
    assert after.standard_rate == Decimal("0.19")


def test_eu_three_euro_duty_applies_from_2026_07_01_until_2028_07_01(db):
    name = "EU flat customs duty on low-value consignments"
    assert name not in fee_names("NL", date(2026, 6, 30))
    assert name in fee_names("NL", date(2026, 7, 1))
    assert name in fee_names("NL", date(2028, 6, 30))
    assert name not in fee_names("NL", date(2028, 7, 1))
    fee = Fee.objects.get(market_id="NL", name=name)
    assert (fee.money, fee.basis, fee.max_consignment, fee.applies_to_b2b) == (
        Money(Decimal("3"), "EUR"),
        "per_tariff_line",
        Money(Decimal("150"), "EUR"),
        False,
    )


def test_national_fees_start_on_their_dates(db):
    assert fee_names("IT", date(2025, 12, 31)) == []
    assert fee_names("IT", date(2026, 1, 1)) == ["Italian handling fee on low-value consignments"]
    assert fee_names("FR", date(2026, 2, 28)) == []
    assert fee_names("FR", date(2026, 3, 1)) == ["Taxe sur les petits colis"]
    assert fee_names("SA", date(2024, 10, 6)) == ["Customs fee on e-commerce shipments"]


def test_no_regime_before_the_first_one(db):
    assert selectors.get_tax_regime(selectors.get_market("MX"), on=date(2024, 12, 31)) is None


def test_unknown_market_is_not_found(db):
    with pytest.raises(NotFound) as err:
        selectors.get_market("ZZ")
    assert (err.value.code, err.value.field) == ("unknown_market", "code")


def regime_args(**overrides):
    args = {
        "tax_name": "VAT",
        "standard_rate": "0.21",
        "b2b_rule": "importer_pays_at_border",
        "effective_from": date(2030, 1, 1),
        "effective_to": date(2031, 1, 1),
    }
    return {**args, **overrides}


def test_add_tax_regime_after_closing_the_open_one(db, operator_admin):
    regime = services.add_tax_regime(
        actor=operator_admin,
        code="NL",
        close_open=True,
        **regime_args(standard_rate="0.22", effective_to=None),
    )
    nl = selectors.get_market("NL")
    assert selectors.get_tax_regime(nl, on=date(2029, 12, 31)).effective_to == date(2030, 1, 1)
    assert selectors.get_tax_regime(nl, on=date(2030, 1, 1)).pk == regime.pk
    assert regime.standard_rate == Decimal("0.22")
    assert AuditEntry.objects.filter(action="markets.tax_regime_added", target_id="NL").count() == 1


def test_overlapping_regime_is_refused_and_nothing_changes(db, operator_admin):
    before = list(
        TaxRegime.objects.filter(market_id="NL").values_list("pk", "effective_from", "effective_to")
    )
    with pytest.raises(InvalidInput) as err:
        services.add_tax_regime(actor=operator_admin, code="NL", **regime_args())
    assert err.value.code == "overlapping_period"
    assert "2026-07-01" in err.value.message
    assert (
        list(
            TaxRegime.objects.filter(market_id="NL").values_list(
                "pk", "effective_from", "effective_to"
            )
        )
        == before
    )
    assert not AuditEntry.objects.filter(action__startswith="markets.tax_regime").exists()


def test_regime_touching_the_end_of_another_is_accepted(db, operator_admin):
    services.add_tax_regime(
        actor=operator_admin,
        code="AE",
        **regime_args(
            effective_from=date(2022, 1, 1), effective_to=date(2023, 1, 1), standard_rate="0.05"
        ),
    )
    assert selectors.get_tax_regime(
        selectors.get_market("AE"), on=date(2022, 12, 31)
    ).effective_from == date(2022, 1, 1)


def test_regime_with_bad_rate_or_period_is_refused(db, operator_admin):
    count = TaxRegime.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.add_tax_regime(actor=operator_admin, code="AE", **regime_args(standard_rate="1.5"))
    assert err.value.field == "standard_rate"
    with pytest.raises(InvalidInput) as err:
        services.add_tax_regime(
            actor=operator_admin, code="AE", **regime_args(effective_to=date(2030, 1, 1))
        )
    assert err.value.field == "effective_to"
    assert TaxRegime.objects.count() == count


def test_overlapping_fee_of_same_name_is_refused(db, operator_admin):
    count = Fee.objects.count()
    with pytest.raises(InvalidInput) as err:
        services.add_fee(
            actor=operator_admin,
            code="IT",
            name="Italian handling fee on low-value consignments",
            amount=Money.of("5", "EUR"),
            basis="per_consignment",
            effective_from=date(2027, 1, 1),
        )
    assert err.value.code == "overlapping_period"
    assert Fee.objects.count() == count


def test_add_fee_applies_from_its_start(db, operator_admin):
    services.add_fee(
        actor=operator_admin,
        code="NL",
        name="EU handling fee",
        amount=Money.of("2", "EUR"),
        basis="per_parcel",
        effective_from=date(2026, 11, 1),
        confidence="uncertain",
    )
    assert "EU handling fee" not in fee_names("NL", date(2026, 10, 31))
    assert "EU handling fee" in fee_names("NL", date(2026, 11, 1))
