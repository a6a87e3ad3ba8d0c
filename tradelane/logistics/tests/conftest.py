from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tradelane.core.money import Money
from tradelane.logistics import quoting
from tradelane.logistics.engine import GoodsLine
from tradelane.markets import services as markets

# 1 EUR = 1.25 USD = 0.80 GBP = 1.50 CAD = 25 MXN → 1 USD = 0.80 EUR = 0.64 GBP = 1.20 CAD = 20 MXN
RATES = {"USD": "1.25", "GBP": "0.80", "CAD": "1.50", "MXN": "25", "CNY": "9", "JPY": "160"}


@pytest.fixture
def fx(db):
    for quote, rate in RATES.items():
        markets.set_fx_rate(
            actor=None, base="EUR", quote=quote, rate=rate, as_of=date(2025, 1, 1), source="TEST"
        )


def bag(
    qty=4,
    value="10",
    currency="USD",
    *,
    hs="420292",
    gross="0.5",
    dims=("30", "20", "10"),
    upc=4,
    origin="CN",
    **flags,
):
    return GoodsLine(
        hs_code=hs,
        origin_country=origin,
        unit_value=Money(Decimal(value), currency),
        quantity=qty,
        unit_net_kg=Decimal(gross),
        unit_gross_kg=Decimal(gross),
        carton_cm=tuple(Decimal(d) for d in dims),
        units_per_carton=upc,
        **flags,
    )


def at(day: str, hour: int = 2) -> datetime:
    """A quote time on `day`: 02:00 UTC is 10:00 in Shanghai, before the cut-off."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def run(market, postal, lines, day="2026-07-06", **kwargs):
    return quoting.quote_landed_cost(
        market=market, postal_code=postal, lines=list(lines), quoted_at=at(day), **kwargs
    )


def tier(quote, name):
    return next(t for t in quote.tiers if t.tier == name)


def amounts(t, kind=None):
    return [str(line.amount.amount) for line in t.lines if kind is None or line.kind == kind]


@pytest.fixture(autouse=True)
def fresh_snapshots():
    """Each test starts with an empty per-process network cache (tests roll back writes)."""
    from tradelane.logistics.selectors import snapshots

    snapshots.clear()
    yield
    snapshots.clear()
