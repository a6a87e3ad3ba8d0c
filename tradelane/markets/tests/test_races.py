"""Threaded races on PostgreSQL: concurrent writers keep the rules."""

from datetime import date
from pathlib import Path

from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.markets import services
from tradelane.markets.models import Fee, FxRate

SAMPLE = (Path(__file__).parent / "data" / "eurofxref-hist-small.xml").read_bytes()
pytestmark = postgres_only


@race
def test_concurrent_overlapping_fees_only_one_wins(operator_admin):
    def add(start, end):
        return lambda: services.add_fee(
            actor=operator_admin,
            code="NL",
            name="Race fee",
            amount=Money.of("1", "EUR"),
            basis="per_parcel",
            effective_from=start,
            effective_to=end,
        )

    results = run_together(
        add(date(2030, 1, 1), date(2031, 1, 1)), add(date(2030, 6, 1), date(2031, 6, 1))
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    assert isinstance(next(v for k, v in results if k == "error"), InvalidInput)
    assert Fee.objects.filter(market_id="NL", name="Race fee").count() == 1


@race
def test_concurrent_identical_fx_rates_make_one_row(operator_admin):
    def put(rate):
        return lambda: services.set_fx_rate(
            actor=operator_admin,
            base="USD",
            quote="CNY",
            rate=rate,
            as_of=date(2026, 11, 20),
            source="manual",
        )

    results = run_together(put("7.1"), put("7.2"), put("7.3"))
    assert [kind for kind, _ in results] == ["ok", "ok", "ok"]
    assert sum(1 for _, (row, created) in results if created) == 1
    assert FxRate.objects.filter(base="USD", quote="CNY").count() == 1


@race
def test_concurrent_ecb_imports_both_succeed():
    results = run_together(
        lambda: services.import_ecb_rates(SAMPLE), lambda: services.import_ecb_rates(SAMPLE)
    )
    assert [kind for kind, _ in results] == ["ok", "ok"]
    assert FxRate.objects.count() == 6
