"""In-process throughput of the quote engine: a 3-line cart, all three tiers with landed
cost, one core. Target ≥ 20,000 quotes/s.

    TRADELANE_VAR_DIR=/tmp/tl-bench DJANGO_SETTINGS_MODULE=config.settings \
        .venv/bin/python bench/landed_cost_engine.py [seconds] [market] [--cold]

Loads the network snapshot once (from a fresh test database with the seeded network and
fixed FX rates), then calls the pure engine in a loop. Reports quotes/s and µs/quote by
wall clock and by the process's CPU time (the machine is shared: CPU time is what one
core spent, the steadier figure).

`--cold` empties the snapshot's memos (HS-code duty matches, delivery calendar, derived
labels, tax plans, thresholds) before every quote: nothing learnt from one quote helps the
next, the honest floor for carts that never repeat. (The duty table's prefix index is kept:
it is built from the table alone, once per loaded snapshot, like the rows themselves.)
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TRADELANE_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases, setup_test_environment  # noqa: E402

from tradelane.core.money import Money  # noqa: E402
from tradelane.logistics import engine, selectors  # noqa: E402
from tradelane.markets import services as markets  # noqa: E402


def cart() -> tuple[engine.GoodsLine, ...]:
    def line(hs, value, qty, gross, dims, upc):
        return engine.GoodsLine(
            hs_code=hs,
            origin_country="CN",
            unit_value=Money(Decimal(value), "USD"),
            quantity=qty,
            unit_net_kg=Decimal(gross),
            unit_gross_kg=Decimal(gross),
            carton_cm=tuple(Decimal(d) for d in dims),
            units_per_carton=upc,
        )

    return (
        line("420292", "12.50", 6, "0.45", ("35", "25", "15"), 3),
        line("6109100010", "4.20", 12, "0.18", ("30", "20", "12"), 6),
        line("8518300000", "9.90", 4, "0.25", ("20", "15", "10"), 4),
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cold = "--cold" in sys.argv
    seconds = float(args[0]) if args else 5.0
    market = args[1] if len(args) > 1 else "DE"
    setup_test_environment()
    setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    for quote, rate in {"USD": "1.25", "GBP": "0.80", "CAD": "1.50", "MXN": "25"}.items():
        markets.set_fx_rate(
            actor=None, base="EUR", quote=quote, rate=rate, as_of=date(2025, 1, 1), source="BENCH"
        )
    postal = {
        "DE": "10115",
        "US": "90210",
        "GB": "SE22 8DL",
        "FR": "75001",
        "CA": "K1P 1J1",
        "MX": "02860",
    }
    network = selectors.load_network(market=market, on=date(2026, 7, 6), currencies={"USD"})
    request = engine.QuoteRequest(
        lines=cart(),
        postal_code=postal[market],
        quoted_at=datetime(2026, 7, 6, 2, tzinfo=UTC),
    )
    result = engine.quote(network, request)
    assert all(t.available for t in result.tiers), [t.unavailable for t in result.tiers]
    for _ in range(500):  # warm up
        engine.quote(network, request)
    memos = (network._duty_memo, network._calendar_memo, network._snapshot_memo)
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        if cold:
            for _ in range(200):
                for memo in memos:
                    memo.clear()
                engine.quote(network, request)
        else:
            for _ in range(200):
                engine.quote(network, request)
        count += 200
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(
        f"landed_cost_engine market={market} lines=3 tiers=3{' cold' if cold else ''} "
        f"quotes={count} elapsed={elapsed:.2f}s rate={count / elapsed:,.0f} quotes/s "
        f"({elapsed / count * 1e6:.1f} µs/quote) cpu={cpu:.2f}s "
        f"cpu_rate={count / cpu:,.0f} quotes/s target=20,000/s"
    )
    for t in result.tiers:
        print(
            f"  {t.tier:8} total={t.total} lines={len(t.lines)} window={t.window.earliest}..{t.window.latest}"
        )


if __name__ == "__main__":
    main()
