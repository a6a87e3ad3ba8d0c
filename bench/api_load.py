"""Load benchmark: throughput and latency of key endpoints on 127.0.0.1.

    .venv/bin/python bench/api_load.py [--seconds 10] [--concurrency 8] [--workers 2]

Prepares a throwaway database (SQLite by default, or DATABASE_URL), seeds demo data,
starts the web server (config/webserver.py) on a free 127.0.0.1 port and drives each endpoint for a bounded time with
a thread pool of keep-alive HTTP clients. Prints requests/s and p50/p95/p99 latency and
compares with the targets in bench/README.md. Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from harness import ROOT, bench_env, drive, issue_token, prepare_database, serve

# endpoint name -> (path, needs token, target requests/s on 2 cores with 2 web workers)
ENDPOINTS = {
    "GET /api/v1/markets (20 markets, public)": ("/api/v1/markets", False, 150),
    "GET /api/v1/markets/DE": ("/api/v1/markets/DE", False, 250),
    "GET /api/v1/me (bearer token)": ("/api/v1/me", True, 400),
    "GET /markets/ (page)": ("/markets/", False, 100),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = bench_env(Path(tempfile.mkdtemp(prefix="tradelane-bench-")))
    prepare_database(env)
    token = issue_token(env, "buyer@acme-supply.example")
    with serve(env, args.workers) as port:
        results = {}
        print(
            f"{args.workers} server workers, {args.concurrency} clients, {args.seconds:.0f} s each, "
            f"database {os.environ.get('DATABASE_URL', 'SQLite')}\n"
        )
        print(
            f"{'endpoint':<44} {'req/s':>8} {'target':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}"
        )
        for name, (path, needs_token, target) in ENDPOINTS.items():
            headers = {"Authorization": f"Bearer {token}"} if needs_token else {}
            drive(port, path, headers, 1, 2)  # warm up
            r = drive(port, path, headers, args.seconds, args.concurrency)
            results[name] = {**r, "target_rps": target}
            flag = "ok" if r["rps"] >= target and r["errors"] == 0 else "BELOW"
            print(
                f"{name:<44} {r['rps']:>8.0f} {target:>7} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
                f"{r['p99_ms']:>7.1f} {r['errors']:>6}  {flag}"
            )
        out = ROOT / "bench" / "results" / "api_load.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
