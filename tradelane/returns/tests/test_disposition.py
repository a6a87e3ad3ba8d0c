"""Disposition rules (pure): the returnless refund, each option's cost, recovery and net,
what is allowed and why, and the proposal. A EUR tariff with round figures:

label €6.50, handling €3.00, consolidated parcel €40.00 + €6.00/kg, liquidation 20%,
disposal €1.50, returnless above 50% of the value."""

from datetime import date
from decimal import Decimal as D

import pytest

from tradelane.returns import disposition as rules

TARIFF = rules.Tariff(
    currency="EUR",
    reverse_label_cost=D("6.50"),
    pickup_surcharge=D("3.00"),
    handling_fee=D("3.00"),
    consolidation_parcel_cost=D("40.00"),
    consolidation_per_kg=D("6.00"),
    liquidation_share=D("0.2000"),
    disposal_fee=D("1.50"),
    returnless_share=D("0.5000"),
)
AFTER_ESPR = date(2026, 11, 26)


def item(unit_price="60.00", quantity=2, *, reason="defective", market="DE", **extra):
    return rules.Item(
        market=market,
        currency="EUR",
        reason=reason,
        quantity=quantity,
        unit_price=D(unit_price),
        unit_kg=extra.pop("unit_kg", D("0.4")),
        **extra,
    )


def by_name(opts):
    return {o.disposition: o for o in opts}


# --- returnless -----------------------------------------------------------------------------


def test_returnless_when_returning_costs_more_than_half_the_value():
    why = rules.returnless(item("12.00", 1), TARIFF)
    assert why == (
        "Returning costs €9.50 (label €6.50 + handling €3.00), more than 50% of its €12.00 "
        "value (€6.00): refund without return."
    )


def test_not_returnless_when_returning_costs_at_most_the_share():
    # 9.50 against 50% of 19.00 = 9.50: not more, so the item comes back
    assert rules.returnless(item("19.00", 1), TARIFF) is None
    assert rules.returnless(item("18.99", 1), TARIFF) is not None


def test_the_returned_quantity_makes_the_value():
    # 2 × €8.00 = €16.00: half is €8.00 < €9.50 → returnless; 3 × €8.00: €12.00 > €9.50 → not
    assert rules.returnless(item("8.00", 2), TARIFF).endswith(
        "€16.00 value (€8.00): refund without return."
    )
    assert rules.returnless(item("8.00", 3), TARIFF) is None


@pytest.mark.parametrize("reason", ["changed_mind"])
def test_a_buyer_at_fault_never_gets_a_returnless_refund(reason):
    assert rules.returnless(item("1.00", 1, reason=reason), TARIFF) is None


def test_another_currency_than_the_tariffs_is_not_returnless():
    cheap = rules.Item(
        market="US", currency="USD", reason="defective", quantity=1, unit_price=D("1.00")
    )
    assert rules.returnless(cheap, TARIFF) is None


# --- options --------------------------------------------------------------------------------


def test_as_new_options_cost_recovery_and_net():
    opts = by_name(
        rules.options(grade="as_new", item=item(), tariff=TARIFF, waiting_items=2, today=AFTER_ESPR)
    )
    rtm = opts["return_to_merchant"]
    # handling 3.00 + parcel 40.00 × 2 / (2 waiting + 2) = 20.00 + 0.8 kg × 6.00 = 4.80
    assert (rtm.cost, rtm.recovery, rtm.net, rtm.allowed) == (
        D("27.80"),
        D("120.00"),
        D("92.20"),
        True,
    )
    assert rtm.explanation == (
        "Handling €3.00 + €20.00 share of the €40.00 consolidated parcel (2 of 4 items) + "
        "0.8 kg × €6.00/kg = €4.80; the merchant restocks it for 100% of its €120.00 value "
        "(as new): €120.00."
    )
    resell = opts["resell_locally"]  # 90% of 120.00 − handling
    assert (resell.cost, resell.recovery, resell.net) == (D("3.00"), D("108.00"), D("105.00"))
    liquidate = opts["liquidate"]  # 20% of 120.00 − handling
    assert (liquidate.cost, liquidate.recovery, liquidate.net) == (
        D("3.00"),
        D("24.00"),
        D("21.00"),
    )
    dispose = opts["dispose"]  # handling + disposal, nothing back
    assert (dispose.cost, dispose.recovery, dispose.net, dispose.allowed) == (
        D("4.50"),
        D("0"),
        D("-4.50"),
        True,
    )


def test_proposal_is_the_allowed_option_with_the_best_net():
    opts = rules.options(
        grade="as_new", item=item(), tariff=TARIFF, waiting_items=2, today=AFTER_ESPR
    )
    proposed, rule = rules.propose(opts, "EUR")
    assert proposed == "resell_locally"
    assert rule == (
        "Proposed: resell locally, the best net of the allowed options: €105.00 (recovery "
        "€108.00 − cost €3.00); others: return to merchant €92.20; liquidate €21.00; "
        "dispose -€4.50."
    )


def test_a_fuller_consolidation_makes_returning_to_the_merchant_best():
    # 38 waiting + 2: the parcel share drops to 40.00 × 2 / 40 = 2.00 → cost 9.80, net 110.20
    opts = rules.options(
        grade="as_new", item=item(), tariff=TARIFF, waiting_items=38, today=AFTER_ESPR
    )
    assert by_name(opts)["return_to_merchant"].net == D("110.20")
    assert rules.propose(opts, "EUR")[0] == "return_to_merchant"


def test_opened_resells_for_seventy_percent():
    opts = by_name(
        rules.options(grade="opened", item=item(), tariff=TARIFF, waiting_items=0, today=AFTER_ESPR)
    )
    assert opts["resell_locally"].recovery == D("84.00")
    assert opts["return_to_merchant"].recovery == D("96.00")  # 80% restocked as open box


def test_damaged_is_not_resold_but_liquidated():
    opts = by_name(
        rules.options(
            grade="damaged", item=item(), tariff=TARIFF, waiting_items=0, today=AFTER_ESPR
        )
    )
    assert opts["resell_locally"].allowed is False
    assert opts["resell_locally"].explanation == (
        "Only items graded as new or opened are resold (damaged)."
    )
    assert opts["liquidate"].allowed is True
    assert rules.propose(list(opts.values()), "EUR")[0] == "liquidate"  # 24.00 − 3.00


def test_defective_is_neither_resold_nor_liquidated_and_disposal_is_cheapest_in_the_us():
    opts = rules.options(
        grade="defective", item=item(market="US"), tariff=TARIFF, waiting_items=0, today=AFTER_ESPR
    )
    named = by_name(opts)
    assert [named[d].allowed for d in rules.PREFERENCE] == [True, False, False, True]
    assert named["liquidate"].explanation == "A defective item is not sold to liquidators."
    proposed, rule = rules.propose(opts, "EUR")
    assert proposed == "dispose"
    assert rule.endswith("Not allowed: resell locally, liquidate.")


def test_eu_apparel_cannot_be_destroyed_after_espr_without_a_derogation():
    shirt = item(market="DE", apparel=True)
    opts = rules.options(
        grade="defective", item=shirt, tariff=TARIFF, waiting_items=0, today=AFTER_ESPR
    )
    dispose = by_name(opts)["dispose"]
    assert (dispose.allowed, dispose.needs_derogation) == (False, True)
    assert "ESPR" in dispose.explanation and "2026-07-19" in dispose.explanation
    # the only allowed option is the merchant's parcel
    assert rules.propose(opts, "EUR")[0] == "return_to_merchant"


@pytest.mark.parametrize(
    ("market", "apparel", "today", "blocked"),
    [
        ("DE", True, date(2026, 7, 19), True),
        ("FR", True, date(2026, 12, 1), True),
        ("NL", True, date(2026, 12, 1), True),
        ("DE", True, date(2026, 7, 18), False),  # before ESPR applies
        ("DE", False, date(2026, 12, 1), False),  # not apparel or footwear
        ("GB", True, date(2026, 12, 1), False),  # not in the EU
        ("US", True, date(2026, 12, 1), False),
    ],
)
def test_espr_blocks_only_eu_apparel_from_its_date(market, apparel, today, blocked):
    assert rules.espr_blocks(item(market=market, apparel=apparel), today) is blocked


@pytest.mark.parametrize(
    ("words", "hs_code", "apparel"),
    [
        (["Women's apparel", "womens-apparel"], "", True),
        (["Trainers", "sneakers", "Footwear", "footwear"], "", True),
        (["Chargers", "chargers", "Electronics", "electronics"], "850440", False),
        ([], "610910", True),  # HS 61: knitted apparel
        ([], "640399", True),  # HS 64: footwear
        ([], "", False),
    ],
)
def test_apparel_by_category_words_or_hs_chapter(words, hs_code, apparel):
    assert rules.is_apparel(words, hs_code) is apparel


def test_an_unknown_weight_assumes_half_a_kilo_a_unit_and_says_so():
    light = item(unit_kg=None)
    rtm = rules.options(
        grade="as_new", item=light, tariff=TARIFF, waiting_items=0, today=AFTER_ESPR
    )[0]
    # 2 units × 0.5 kg × 6.00 = 6.00; parcel 40.00 alone
    assert rtm.cost == D("49.00")
    assert "0.5 kg per unit assumed" in rtm.explanation


def test_amounts_round_to_the_currencys_minor_unit():
    yen = rules.Tariff(
        **{**TARIFF.__dict__, "currency": "JPY", "consolidation_parcel_cost": D("100")}
    )
    thing = rules.Item(
        market="JP",
        currency="JPY",
        reason="defective",
        quantity=1,
        unit_price=D("999"),
        unit_kg=D("0.333"),
    )
    opts = by_name(
        rules.options(grade="opened", item=thing, tariff=yen, waiting_items=2, today=AFTER_ESPR)
    )
    # 100 / 3 = 33.33 → 33 yen; 0.7 × 999 = 699.3 → 699
    assert opts["return_to_merchant"].cost == D("3") + D("33") + D("2")
    assert opts["resell_locally"].recovery == D("699")


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        rules.options(grade="shiny", item=item(), tariff=TARIFF, waiting_items=0, today=AFTER_ESPR)
