"""Worked examples per launch market: B2C and B2B, below and above thresholds, before and
after effective dates. Rates: 1 USD = 0.80 EUR = 0.64 GBP = 1.20 CAD = 20 MXN.

Standard line, one carton of 4 bags (2 kg actual, 0.75 kg volumetric → 2.0 kg):
US 3.20 + 0.98 + 19 × 0.98 = 22.80 USD; GB 18.40; DE 19.00; FR 19.40; CA 24.00; MX 25.60 USD.
"""

from decimal import Decimal

import pytest

from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money

from .conftest import amounts, bag, run, tier

GB_VAT, DE_VAT, MX_RFC, CA_BN = "GB980780684", "DE136695976", "GODE561231GR8", "123456782"


def total(t):
    return str(t.total.amount)


# --- US: no de minimis, MFN + Section 301 + the surcharge of the day -------------------------


@pytest.mark.parametrize(
    "day, extra, expected",
    [
        ("2026-01-15", ["4.00", "4.00"], "87.84"),  # IEEPA fentanyl + reciprocal 10% + 10%
        ("2026-03-02", ["4.00"], "83.84"),  # Section 122 10% from 2026-02-24
        ("2026-07-27", [], "79.84"),  # Section 122 expired 2026-07-24
    ],
)
def test_us_bag_stacks_mfn_section_301_and_the_surcharge_in_force(fx, day, extra, expected):
    t = tier(run("US", "90210", [bag()], day=day), "standard")
    assert amounts(t, "goods") == ["40.00"]
    assert amounts(t, "shipping") == ["22.80"]
    assert sorted(amounts(t, "duty")) == sorted(["7.04", *extra, "10.00"])
    assert amounts(t, "tax") == []
    assert total(t) == expected
    assert any("sales tax" in note for note in t.notes)


def test_section_122_does_not_stack_on_section_232(fx):
    sofa = bag(qty=1, value="100", hs="9401614010", gross="20", dims=("60", "50", "40"), upc=1)
    t = tier(run("US", "90210", [sofa], day="2026-03-02"), "premium")
    labels = [line.label for line in t.lines if line.kind == "duty"]
    assert any("Section 232 25%" in label for label in labels)
    assert any("Section 301 25%" in label for label in labels)
    assert not any("Section 122" in label for label in labels)


def test_unknown_and_malformed_hs_codes_get_the_explained_fallback(fx):
    for code, why in (("99999999", "not in the US duty table"), ("bag", "not a 4–10 digit code")):
        t = tier(run("US", "90210", [bag(hs=code)], day="2026-07-27"), "standard")
        duties = [line for line in t.lines if line.kind == "duty"]
        assert [d.amount.amount for d in duties] == [Decimal("8.00"), Decimal("10.00")]
        assert all("fallback rate" in d.label and why in d.rule for d in duties)


# --- GB: £135 --------------------------------------------------------------------------------


def test_gb_b2c_at_or_below_135_pays_vat_at_sale_and_no_duty(fx):
    t = tier(run("GB", "SE22 8DL", [bag(value="25", currency="GBP")]), "standard")
    assert amounts(t) == ["100.00", "11.78", "0.00", "22.36"]
    assert t.lines[3].collected == "checkout" and "135 GBP" in t.lines[3].rule
    assert total(t) == "134.14"


def test_gb_b2c_above_135_pays_duty_and_import_vat(fx):
    t = tier(run("GB", "SE22 8DL", [bag(value="40", currency="GBP")]), "standard")
    assert amounts(t) == ["160.00", "11.78", "6.87", "35.73"]
    assert "Import VAT 20% on goods + shipping + duty" in t.lines[3].label
    assert total(t) == "214.38"


def test_gb_b2b_with_valid_vat_number_is_reverse_charged_with_invoice_wording(fx):
    quote = run(
        "GB", "SE22 8DL", [bag(value="25", currency="GBP")], buyer_kind="b2b", buyer_tax_id=GB_VAT
    )
    t = tier(quote, "standard")
    assert amounts(t) == ["100.00", "11.78", "0.00", "0.00"]
    assert t.lines[3].collected == "buyer"
    assert t.invoice_wording == "Reverse charge: customer to account for VAT to HMRC"
    assert total(t) == "111.78"


def test_invalid_tax_id_is_a_field_error(fx):
    with pytest.raises(InvalidInput) as err:
        run("GB", "SE22 8DL", [bag()], buyer_kind="b2b", buyer_tax_id="GB123456789")
    assert (err.value.field, err.value.code) == ("buyer_tax_id", "invalid_tax_id")


# --- DE / FR: €150, IOSS, the €3 flat duty from 2026-07-01, the French parcel fee ----------------


def test_de_b2c_before_2026_07_01_has_no_duty_under_150(fx):
    t = tier(run("DE", "10115", [bag(value="25", currency="EUR")], day="2026-06-30"), "standard")
    assert amounts(t) == ["100.00", "15.20", "0.00", "21.89"]
    assert total(t) == "137.09"


def test_de_b2c_from_2026_07_01_pays_3_euro_per_tariff_line(fx):
    lines = [bag(value="25", currency="EUR")]
    t = tier(run("DE", "10115", lines, day="2026-07-01"), "standard")
    assert amounts(t) == ["100.00", "15.20", "3.00", "21.89"]
    assert "1 distinct tariff line" in t.lines[2].label
    assert total(t) == "140.09"
    two = [
        bag(qty=2, value="20", currency="EUR"),
        bag(qty=2, value="20", currency="EUR", hs="6109100010"),
    ]
    assert amounts(tier(run("DE", "10115", two, day="2026-07-01"), "standard"), "duty") == ["6.00"]


def test_de_b2b_imports_with_duty_and_recoverable_import_vat(fx):
    quote = run(
        "DE",
        "10115",
        [bag(value="25", currency="EUR")],
        day="2026-07-01",
        buyer_kind="b2b",
        buyer_tax_id=DE_VAT,
    )
    t = tier(quote, "standard")
    assert amounts(t) == ["100.00", "15.20", "4.26", "22.70"]
    assert any("recoverable" in note for note in t.notes)
    assert total(t) == "142.16"


def test_de_above_150_pays_ad_valorem_duty_and_import_vat(fx):
    t = tier(run("DE", "10115", [bag(value="50", currency="EUR")]), "standard")
    assert amounts(t) == ["200.00", "15.20", "7.96", "42.40"]
    assert total(t) == "265.56"


def test_fr_parcel_fee_from_2026_03_01(fx):
    lines = [bag(value="25", currency="EUR")]
    before = tier(run("FR", "75001", lines, day="2026-02-15"), "standard")
    after = tier(run("FR", "75001", lines, day="2026-07-01"), "standard")
    assert amounts(before) == ["100.00", "15.52", "0.00", "23.10"]
    assert total(before) == "138.62"
    assert amounts(after) == ["100.00", "15.52", "3.00", "23.10", "2.00"]
    assert total(after) == "143.62"


def test_dap_shows_border_amounts_as_due_on_delivery(fx):
    t = tier(run("DE", "10115", [bag(value="50", currency="EUR")], incoterm="DAP"), "standard")
    assert t.at_checkout == Money(Decimal("215.20"), "EUR")
    assert t.on_delivery == Money(Decimal("50.36"), "EUR")
    assert t.total == Money(Decimal("265.56"), "EUR")


# --- CA: CAD 20 for China-shipped goods --------------------------------------------------------


def test_ca_at_or_below_20_cad_pays_no_duty_or_gst(fx):
    t = tier(run("CA", "K1P 1J1", [bag(qty=1)]), "standard")
    assert amounts(t) == ["12.00", "16.32", "0.00", "0.00"]
    assert total(t) == "28.32"


def test_ca_above_20_cad_pays_duty_and_hst_on_fob_value(fx):
    t = tier(run("CA", "K1P 1J1", [bag()]), "standard")  # Ottawa: Ontario HST 13%
    assert amounts(t) == ["48.00", "28.80", "4.80", "6.86"]
    assert "on goods + duty" in t.lines[3].label
    assert total(t) == "88.46"


def test_ca_b2b_with_business_number_still_pays_gst_at_the_border(fx):
    t = tier(run("CA", "K1P 1J1", [bag()], buyer_kind="b2b", buyer_tax_id=CA_BN), "standard")
    assert total(t) == "88.46"


# --- MX: 33.5% global rate for China-origin courier goods ---------------------------------------


def test_mx_b2c_china_origin_pays_the_global_rate(fx):
    t = tier(run("MX", "02860", [bag()]), "standard")
    assert amounts(t) == ["800.00", "512.00", "439.52"]
    assert "33.5%" in t.lines[2].label
    assert total(t) == "1751.52"


def test_mx_global_rate_was_19_percent_before_2025_08_15(fx):
    t = tier(run("MX", "02860", [bag()], day="2025-08-14"), "standard")
    assert amounts(t, "duty") == ["249.28"]


def test_mx_b2b_with_rfc_imports_formally(fx):
    t = tier(run("MX", "02860", [bag()], buyer_kind="b2b", buyer_tax_id=MX_RFC), "standard")
    assert amounts(t) == ["800.00", "512.00", "459.20", "283.39"]
    assert total(t) == "2054.59"


# --- every quote: lines sum exactly, nothing negative -------------------------------------------


@pytest.mark.parametrize(
    "market, postal",
    [
        ("US", "90210"),
        ("CA", "K1P 1J1"),
        ("MX", "02860"),
        ("GB", "SE22 8DL"),
        ("DE", "10115"),
        ("FR", "75001"),
    ],
)
def test_each_market_sums_lines_exactly_in_its_currency(fx, market, postal):
    quote = run(market, postal, [bag(value="9.99"), bag(qty=3, value="3.33", hs="6109100010")])
    for t in quote.tiers:
        if t.available:
            assert sum(line.amount.amount for line in t.lines) == t.total.amount
            assert all(line.amount.currency == quote.currency for line in t.lines)
            assert all(line.amount.amount >= 0 for line in t.lines)
            assert all(line.rule for line in t.lines)
