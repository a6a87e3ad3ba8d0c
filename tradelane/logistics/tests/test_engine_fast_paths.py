"""The engine's fast paths give what the plain ones give: generated record constructors,
the plain-number wording, the duty table's prefix index, and the per-snapshot tax plans
and flat-duty lines shared between carts."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradelane.core.money import Money
from tradelane.logistics import engine, selectors
from tradelane.logistics.engine.duties import HS_CODE, match_duties, normalise_hs
from tradelane.logistics.engine.inputs import DutyRow
from tradelane.logistics.engine.landed import Line
from tradelane.logistics.engine.records import maker
from tradelane.logistics.engine.wording import plain

from .conftest import at, bag

SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_maker_builds_the_frozen_record_its_constructor_builds():
    amount = Money(Decimal("1.50"), "EUR")
    made = maker(Line)("tax", "VAT", amount, "rule", date(2026, 1, 1), "checkout")
    built = Line("tax", "VAT", amount, "rule", date(2026, 1, 1), "checkout")
    assert type(made) is Line
    assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.label = "changed"
    assert dataclasses.replace(made, label="x").label == "x"


@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False),
        st.sampled_from(["0", "-0", "0.000", "100", "1E+3", "12.50", "1E-7", "0.000001"]).map(
            Decimal
        ),
    )
)
def test_plain_is_the_normalised_fixed_point_text(value):
    assert plain(value) == f"{value.normalize():f}"


def _scan(network, hs_code, origin):
    """match_duties as a scan of the whole table (the reference the index must equal)."""
    code = normalise_hs(hs_code)
    valid = bool(HS_CODE.match(code))
    best, tabled = {}, set()
    for row in network.duties:
        if row.origin_country and row.origin_country != origin:
            continue
        if row.hs_prefix:
            tabled.add(row.program)
        if row.hs_prefix and not (valid and code.startswith(row.hs_prefix)):
            continue
        current = best.get(row.program)
        if current is None or len(row.hs_prefix) > len(current.hs_prefix):
            best[row.program] = row
    applied = {p for p, row in best.items() if row.rate > 0}
    kept = [
        (row, bool(row.hs_prefix or program not in tabled))
        for program, row in best.items()
        if not (row.exclusive_of and row.exclusive_of in applied)
    ]
    return sorted(kept, key=lambda m: (m[0].program != "mfn", m[0].program))


rows = st.builds(
    DutyRow,
    program=st.sampled_from(["mfn", "s301", "s232", "gsp"]),
    label=st.just("Program"),
    origin_country=st.sampled_from(["", "", "CN", "VN"]),
    hs_prefix=st.sampled_from(["", "42", "4202", "420292", "6109", "61091000", "9", "85"]),
    rate=st.sampled_from([Decimal(0), Decimal("0.05"), Decimal("0.25")]),
    description=st.just("Rule"),
    exclusive_of=st.sampled_from(["", "", "s232"]),
    as_of=st.none(),
    effective_from=st.just(date(2025, 1, 1)),
)


@SETTINGS
@given(
    table=st.lists(rows, max_size=12),
    hs=st.sampled_from(["420292", "4202.92", "6109100010", "9503", "85", "x", "00000000"]),
    origin=st.sampled_from(["CN", "VN", "US"]),
)
def test_the_prefix_index_matches_what_a_table_scan_matches(fx, table, hs, origin):
    network = selectors.load_network(market="US", on=date(2026, 7, 6), currencies={"USD"})
    network = dataclasses.replace(network, duties=tuple(table), _duty_memo={})
    found = [(m.row, not m.fallback) for m in match_duties(network, hs, origin)]
    assert found == _scan(network, hs, origin)
    # a changed table (same snapshot object) is indexed afresh
    network.duties = tuple(reversed(table))
    network._duty_memo = {}
    found = [(m.row, not m.fallback) for m in match_duties(network, hs, origin)]
    assert found == _scan(network, hs, origin)


def _quote(network, lines, postal="10115", buyer=engine.Buyer()):
    request = engine.QuoteRequest(
        lines=tuple(lines), postal_code=postal, quoted_at=at("2026-07-06"), buyer=buyer
    )
    return engine.quote(network, request)


def _fresh(network):
    return dataclasses.replace(network, _calendar_memo={}, _duty_memo={})


def test_carts_sharing_a_snapshot_get_their_own_tax_plan_and_flat_duty(fx):
    """The worded tax plans and flat-duty lines kept per snapshot never leak from one cart
    into another that differs in buyer, province, value or tariff lines."""
    de = selectors.load_network(market="DE", on=date(2026, 7, 6), currencies={"USD"})
    ca = selectors.load_network(market="CA", on=date(2026, 7, 6), currencies={"USD"})
    carts = [
        (de, [bag()], "10115", engine.Buyer()),
        (de, [bag(), bag(hs="6109100010")], "10115", engine.Buyer()),
        (de, [bag(), bag(hs="6109100010")], "10115", engine.Buyer("b2b", "DE123456789")),
        (de, [bag(qty=40, value="90")], "10115", engine.Buyer()),
        (de, [bag(), bag(hs="4202.92")], "10115", engine.Buyer()),
        (ca, [bag()], "K1P 1J1", engine.Buyer()),
        (ca, [bag()], "H2X 1Y4", engine.Buyer()),
        (ca, [bag()], "B3H 1A1", engine.Buyer()),
        (ca, [bag(qty=40, value="90")], "V5K 0A1", engine.Buyer("b2b", "123456789RT0001")),
    ]
    shared = {id(de): _fresh(de), id(ca): _fresh(ca)}
    for network, lines, postal, buyer in carts + carts[::-1]:
        alone = _quote(_fresh(network), lines, postal, buyer)  # nothing learnt before
        after_others = _quote(shared[id(network)], lines, postal, buyer)
        assert repr(after_others) == repr(alone)
    flat = [
        line.label
        for cart in carts[:2]
        for line in _quote(shared[id(de)], cart[1]).tiers[0].lines
        if line.kind == "duty"
    ]
    assert flat[0] != flat[1] and "× 1 distinct" in flat[0] and "× 2 distinct" in flat[1]
