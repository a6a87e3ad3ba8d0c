"""Properties: shipping never decreases with weight; no amount negative; total = lines."""

import dataclasses
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelane.logistics import engine, selectors
from tradelane.logistics.engine.shipping import (
    CartonGroup,
    card_grams,
    chargeable_kg,
    pack_and_measure,
    parcel_price,
    price_tier,
)

from .conftest import at, bag

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
weights = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("70"), places=2)


@SETTINGS
@given(a=weights, b=weights)
def test_shipping_price_never_decreases_with_weight(fx, a, b):
    low, high = sorted((a, b))
    network = selectors.load_network(market="US", on=date(2026, 7, 6), currencies={"USD"})
    for card in network.cards.values():
        prices = []
        for weight in (low, high):
            group = CartonGroup(0, 1, 1, weight, (Decimal(30), Decimal(20), Decimal(10)))
            prices.append(parcel_price(card, chargeable_kg(card, group)[1]))
        assert prices[0] <= prices[1]


@SETTINGS
@given(
    market=st.sampled_from(
        [
            ("US", "90210"),
            ("GB", "SE22 8DL"),
            ("DE", "10115"),
            ("FR", "75001"),
            ("CA", "K1P 1J1"),
            ("MX", "02860"),
        ]
    ),
    qty=st.integers(1, 40),
    value=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
    gross=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5"), places=2),
    upc=st.integers(1, 12),
    hs=st.sampled_from(["420292", "6109100010", "8471300000", "9503", "x", "00000000"]),
    b2b=st.booleans(),
    dap=st.booleans(),
)
def test_no_amount_is_negative_and_total_is_the_sum_of_its_lines(
    fx, market, qty, value, gross, upc, hs, b2b, dap
):
    code, postal = market
    network = selectors.load_network(market=code, on=date(2026, 7, 6), currencies={"USD"})
    request = engine.QuoteRequest(
        lines=(bag(qty=qty, value=str(value), gross=str(gross), upc=upc, hs=hs),),
        postal_code=postal,
        quoted_at=at("2026-07-06"),
        buyer=engine.Buyer("b2b" if b2b else "b2c", "X" if b2b else None),
        incoterm="DAP" if dap else "DDP",
    )
    for t in engine.quote(network, request).tiers:
        if not t.available:
            assert t.unavailable.code and t.unavailable.message
            continue
        assert all(line.amount.amount >= 0 for line in t.lines)
        assert t.total.amount == sum(line.amount.amount for line in t.lines)
        assert t.at_checkout.amount + t.on_delivery.amount == t.total.amount
        assert t.window.pickup <= t.window.earliest <= t.window.latest


dims = st.decimals(min_value=Decimal("1"), max_value=Decimal("80"), places=1)


@SETTINGS
@given(
    code=st.sampled_from(["US", "DE", "CA", "GB"]),
    lines=st.lists(
        st.tuples(
            st.integers(1, 30),
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal("12"), places=3),
            dims,
            dims,
            dims,
            st.integers(1, 8),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_whole_gram_pricing_equals_the_decimal_pricing(fx, code, lines):
    """price_tier's exact integer path gives what the Decimal path gives."""
    network = selectors.load_network(market=code, on=date(2026, 7, 6), currencies={"USD"})
    goods = tuple(
        bag(qty=q, gross=str(g), dims=(str(a), str(b), str(c)), upc=u) for q, g, a, b, c, u in lines
    )
    parcels = pack_and_measure(goods)
    assert parcels.grams is not None
    decimal_only = dataclasses.replace(parcels, grams=None)
    for card in network.cards.values():
        exact = price_tier(card, goods, parcels.groups, "X", False, parcels, card_grams(card))
        plain = price_tier(card, goods, parcels.groups, "X", False, decimal_only)
        assert exact == plain  # every field equal as numbers (or the same refusal)
