"""Canada: GST 5% plus the province's tax, the province from the postal code's first letter.

Worked example: 4 bags × USD 10 = CAD 48.00 (1 USD = 1.20 CAD), duty 10% = CAD 4.80; CA
values goods FOB, so the tax base is goods + duty = CAD 52.80.
"""

from datetime import date

import pytest

from .conftest import bag, run, tier


def taxes(t):
    return [
        (line.label, str(line.amount.amount), line.as_of) for line in t.lines if line.kind == "tax"
    ]


def total(t):
    return str(t.total.amount)


@pytest.mark.parametrize(
    "postal, expected, expected_total",
    [
        # Ontario (K): harmonised 13% HST replaces the GST: 52.80 × 13% = 6.864
        ("K1P 1J1", [("Import HST 13% (Ontario) on goods + duty", "6.86")], "88.46"),
        # Quebec (H): GST 5% and QST 9.975%, both on 52.80 (QST is not charged on the GST)
        (
            "H2X 1Y4",
            [
                ("Import GST 5% on goods + duty", "2.64"),
                ("Import QST 9.975% (Quebec) on goods + duty", "5.27"),
            ],
            "89.51",
        ),
        # British Columbia (V): GST 5% + PST 7% = 2.64 + 3.696
        (
            "V6B 1A1",
            [
                ("Import GST 5% on goods + duty", "2.64"),
                ("Import PST 7% (British Columbia) on goods + duty", "3.70"),
            ],
            "87.94",
        ),
        # Manitoba (R): GST + 7% RST
        (
            "R3C 4T3",
            [
                ("Import GST 5% on goods + duty", "2.64"),
                ("Import RST 7% (Manitoba) on goods + duty", "3.70"),
            ],
            "87.94",
        ),
        # Saskatchewan (S): GST + 6% PST = 3.168
        (
            "S4P 3Y2",
            [
                ("Import GST 5% on goods + duty", "2.64"),
                ("Import PST 6% (Saskatchewan) on goods + duty", "3.17"),
            ],
            "87.41",
        ),
        # Alberta (T) and the territories: GST only
        ("T2P 1J9", [("Import GST 5% on goods + duty", "2.64")], "84.24"),
        # (Yellowknife also pays the card's remote-area surcharge: CAD 7.20 more shipping)
        ("X1A 2N5", [("Import GST 5% on goods + duty", "2.64")], "91.44"),
        # New Brunswick (E), Newfoundland (A), PEI (C): 15% HST = 7.92
        ("E1C 4M3", [("Import HST 15% (New Brunswick) on goods + duty", "7.92")], "89.52"),
        (
            "A1C 5M2",
            [("Import HST 15% (Newfoundland and Labrador) on goods + duty", "7.92")],
            "89.52",
        ),
        ("C1A 4P3", [("Import HST 15% (Prince Edward Island) on goods + duty", "7.92")], "89.52"),
    ],
)
def test_province_from_the_postal_code_sets_the_import_taxes(fx, postal, expected, expected_total):
    t = tier(run("CA", postal, [bag()]), "standard")
    assert [(label, amount) for label, amount, _ in taxes(t)] == expected
    assert total(t) == expected_total
    assert sum(line.amount.amount for line in t.lines) == t.total.amount


def test_each_tax_line_names_its_rule_and_as_of_date(fx):
    t = tier(run("CA", "H2X 1Y4", [bag()]), "standard")
    gst, qst = [line for line in t.lines if line.kind == "tax"]
    assert gst.rule == "Import tax at the border (tax rules from 2020-07-01)"
    assert qst.rule.endswith("; Quebec QST 9.975% from 2020-07-01")
    assert gst.as_of is not None and qst.as_of == date(2026, 11, 25)


def test_nova_scotia_hst_fell_from_15_to_14_percent_on_2025_04_01(fx):
    before = tier(run("CA", "B3H 1A1", [bag()], day="2025-03-31"), "standard")
    after = tier(run("CA", "B3H 1A1", [bag()], day="2025-04-01"), "standard")
    assert taxes(before)[0][:2] == ("Import HST 15% (Nova Scotia) on goods + duty", "7.92")
    assert taxes(after)[0][:2] == ("Import HST 14% (Nova Scotia) on goods + duty", "7.39")
    assert (
        "Nova Scotia HST 14% from 2025-04-01"
        in [line.rule for line in after.lines if line.kind == "tax"][0]
    )


def test_at_or_below_20_cad_no_provincial_tax_either(fx):
    t = tier(run("CA", "H2X 1Y4", [bag(qty=1)]), "standard")
    assert [(label, amount) for label, amount, _ in taxes(t)] == [
        ("No GST/HST (+PST/QST): consignment ≤ 20 CAD tax de minimis", "0.00")
    ]
