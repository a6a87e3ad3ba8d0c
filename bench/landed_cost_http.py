"""Load benchmark: POST /api/v1/landed-cost (3-line cart, three tiers) on 127.0.0.1.

    .venv/bin/python bench/landed_cost_http.py [--seconds 8] [--concurrency 8] [--workers 2]
        [--market DE]

Same approach as bench/api_load.py: a throwaway database in a temporary var dir (SQLite
by default, or DATABASE_URL), seed_demo, a bearer token for the demo merchant
owner@shenzhen-volt.example, the web server (config/webserver.py) on a free 127.0.0.1 port, then a bounded time
(≤ 60 s) of keep-alive clients on threads POSTing a realistic 3-line body. Prints
requests/s and p50/p95/p99 latency and writes bench/results/landed_cost_http.json.
Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, bench_env, drive, issue_token, prepare_database, serve  # noqa: E402

PATH = "/api/v1/landed-cost"
MERCHANT = "owner@shenzhen-volt.example"
POSTAL = {"DE": "10115", "US": "90210", "GB": "SE22 8DL", "FR": "75001", "CA": "K1P 1J1"}


def line(hs, value, qty, gross, dims, per_carton) -> dict:
    length, width, height = dims
    return {
        "hs_code": hs,
        "origin_country": "CN",
        "unit_customs_value": {"amount": value, "currency": "USD"},
        "quantity": qty,
        "unit_net_weight_kg": gross,
        "unit_gross_weight_kg": gross,
        "carton_dimensions_cm": {"length": length, "width": width, "height": height},
        "units_per_carton": per_carton,
    }


def body(market: str) -> bytes:
    """The engine benchmark's cart: a handbag, T-shirts and headphones from Shenzhen."""
    return json.dumps(
        {
            "lines": [
                line("4202.92", "12.50", 6, "0.45", ("35", "25", "15"), 3),
                line("6109.10.0010", "4.20", 12, "0.18", ("30", "20", "12"), 6),
                line("8518.30.0000", "9.90", 4, "0.25", ("20", "15", "10"), 4),
            ],
            "destination": {"market": market, "postal_code": POSTAL[market]},
            "buyer_type": "b2c",
            "incoterm": "DDP",
        }
    ).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--market", default="DE", choices=sorted(POSTAL))
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60)  # bounded, always
    args.concurrency = max(1, min(args.concurrency, 64))

    env = bench_env(Path(tempfile.mkdtemp(prefix="tradelane-bench-")))
    prepare_database(env)
    token = issue_token(env, MERCHANT)
    with serve(env, args.workers) as port:
        payload = body(args.market)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        # one request first: a refusal here is a broken setup, not a load figure
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", PATH, body=payload, headers=headers)
        first = conn.getresponse()
        sample = json.loads(first.read())
        conn.close()
        if first.status != 200:
            raise SystemExit(f"POST {PATH} answered {first.status}: {sample}")
        totals = {t["tier"]: t.get("total") for t in sample.get("tiers", [])}
        drive(port, PATH, headers, 1, 2, method="POST", body=payload)  # warm up
        r = drive(port, PATH, headers, args.seconds, args.concurrency, method="POST", body=payload)
        print(
            f"{args.workers} server workers, {args.concurrency} clients, {args.seconds:.0f} s, "
            f"database {os.environ.get('DATABASE_URL', 'SQLite')}, market {args.market}, 3 lines\n"
        )
        print(
            f"{'endpoint':<34} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        )
        print(
            f"{'POST ' + PATH:<34} {r['rps']:>8.0f} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
            f"{r['p99_ms']:>7.1f} {r['errors']:>6}"
        )
        print(f"  tier totals: {totals}")
        out = ROOT / "bench" / "results" / "landed_cost_http.json"
        out.parent.mkdir(exist_ok=True)
        result = {
            "endpoint": f"POST {PATH}",
            "market": args.market,
            "lines": 3,
            "workers": args.workers,
            "concurrency": args.concurrency,
            "database": os.environ.get("DATABASE_URL", "SQLite").split("@")[-1],
            "tier_totals": totals,
            **r,
        }
        out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
