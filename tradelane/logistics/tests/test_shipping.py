"""Cartons, chargeable weight, limits, restricted goods, delivery dates, rounding."""

import dataclasses
from datetime import UTC, date, datetime, time
from decimal import Decimal

from tradelane.logistics import engine, selectors
from tradelane.logistics.engine import Rate, Warehouse

from .conftest import at, bag, run, tier


def test_volumetric_weight_beats_actual_weight(fx):
    light_big = bag(qty=1, gross="0.5", dims=("40", "30", "20"), upc=1)
    t = tier(run("US", "90210", [light_big]), "premium")
    s = t.shipping
    assert (s.actual_kg, s.volumetric_kg, s.chargeable_kg) == (
        Decimal("0.5"),
        Decimal("4.8"),
        Decimal("5.0"),
    )
    # 31.00 first 0.5 kg + 9 × 7.20, fuel 24.5%
    assert [str(line.amount.amount) for line in t.lines if line.kind == "shipping"] == [
        "95.80",
        "23.47",
    ]


def test_multi_carton_order_packs_full_and_partial_cartons(fx):
    t = tier(run("US", "90210", [bag(qty=10, upc=4)]), "standard")
    assert (t.shipping.cartons, t.shipping.actual_kg) == (3, Decimal("5.0"))
    assert t.shipping.chargeable_kg == Decimal("5.0")  # 2.0 + 2.0 + 1.0


def test_restricted_goods_make_tiers_unavailable_with_the_reason(fx):
    quote = run("US", "90210", [bag(qty=1, upc=1, liquid=True)])
    assert [t.unavailable and t.unavailable.code for t in quote.tiers] == [
        "restricted_goods",
        "restricted_goods",
        None,
    ]
    assert "does not carry liquids" in tier(quote, "economy").unavailable.message


def test_a_parcel_over_every_limit_makes_every_tier_unavailable(fx):
    quote = run("US", "90210", [bag(qty=1, gross="80", upc=1)])
    assert [t.unavailable.code for t in quote.tiers] == ["over_max_weight"] * 3
    long = run("US", "90210", [bag(qty=1, dims=("300", "10", "10"), upc=1)])
    assert [t.unavailable.code for t in long.tiers] == ["over_max_dimensions"] * 3


def test_economy_limits_sum_of_sides_to_90_cm(fx):
    quote = run("US", "90210", [bag(qty=1, dims=("50", "30", "20"), upc=1)])
    assert tier(quote, "economy").unavailable.code == "over_max_dimensions"
    assert tier(quote, "standard").available


def test_remote_area_surcharge_by_postal_code(fx):
    t = tier(run("US", "99501", [bag()]), "premium")
    labels = [line.label for line in t.lines if line.kind == "shipping"]
    assert "Remote-area surcharge (Alaska / Hawaii)" in labels
    remote = next(line for line in t.lines if line.label.startswith("Remote"))
    assert remote.amount.amount == Decimal("28.00")  # the minimum beats 0.56/kg × 2 kg


def test_after_cut_off_on_friday_pickup_is_monday_and_weekends_are_skipped(fx):
    from tradelane.logistics import quoting

    friday_evening = datetime(2026, 7, 3, 9, 0, tzinfo=UTC)  # 17:00 Shanghai
    quote = quoting.quote_landed_cost(
        market="US", postal_code="90210", lines=[bag()], quoted_at=friday_evening
    )
    w = tier(quote, "standard").window
    assert (w.pickup, w.earliest, w.latest) == (
        date(2026, 7, 6),
        date(2026, 7, 14),
        date(2026, 7, 22),
    )


def test_holidays_and_non_delivery_days_are_skipped(fx):
    w = tier(run("GB", "SE22 8DL", [bag()], day="2026-08-27"), "premium").window
    # Thu pickup; Fri 28, Sat 29 deliver; Sun 30 closed; Mon 31 bank holiday; Tue 1, Wed 2
    assert (w.pickup, w.earliest, w.latest) == (
        date(2026, 8, 27),
        date(2026, 8, 29),
        date(2026, 9, 2),
    )


def test_near_ready_lead_time_moves_the_pickup(fx):
    quote = run("US", "90210", [bag(), bag(lead_time_days=3)])
    assert tier(quote, "premium").window.pickup == date(2026, 7, 9)


def test_warehouse_opening_days_and_cut_off(fx):
    from tradelane.logistics import quoting

    saturday_shop = Warehouse(opening_weekdays=frozenset({5}), pickup_cutoff=time(12, 0))
    quote = quoting.quote_landed_cost(
        market="US",
        postal_code="90210",
        lines=[bag()],
        quoted_at=at("2026-07-06"),
        warehouse=saturday_shop,
    )
    assert tier(quote, "standard").window.pickup == date(2026, 7, 11)


def test_rounding_per_currency_without_minor_units(fx):
    network = selectors.load_network(market="US", on=date(2026, 7, 27), currencies={"USD"})
    yen = dataclasses.replace(
        network,
        currency="JPY",
        minor_units=0,
        rates={"USD": Rate("USD", "JPY", Decimal("150.5"), date(2026, 7, 1), "TEST", "direct")},
        _calendar_memo={},
        _duty_memo={},
    )
    request = engine.QuoteRequest(
        lines=(bag(qty=3, value="9.99", upc=3),), postal_code="90210", quoted_at=at("2026-07-27")
    )
    t = tier(engine.quote(yen, request), "standard")
    assert t.lines[0].amount.amount == Decimal("4510")  # 29.97 × 150.5 = 4510.485
    assert all(line.amount.amount == line.amount.amount.to_integral_value() for line in t.lines)
    assert sum(line.amount.amount for line in t.lines) == t.total.amount
