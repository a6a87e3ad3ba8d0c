"""Load benchmark: throughput and latency of key endpoints on 127.0.0.1.

    .venv/bin/python bench/api_load.py [--seconds 10] [--concurrency 8] [--workers 2]

Prepares a throwaway database (SQLite by default, or DATABASE_URL), seeds demo data,
starts gunicorn on a free 127.0.0.1 port and drives each endpoint for a bounded time with
a thread pool of keep-alive HTTP clients. Prints requests/s and p50/p95/p99 latency and
compares with the targets in bench/README.md. Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# endpoint name -> (path, needs token, target requests/s on 2 cores with 2 web workers)
ENDPOINTS = {
    "GET /api/v1/markets (20 markets, public)": ("/api/v1/markets", False, 150),
    "GET /api/v1/markets/DE": ("/api/v1/markets/DE", False, 250),
    "GET /api/v1/me (bearer token)": ("/api/v1/me", True, 400),
    "GET /markets/ (page)": ("/markets/", False, 100),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env):
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def drive(port: int, path: str, headers: dict, seconds: float, concurrency: int):
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p):
        return (
            latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
            if latencies
            else float("nan")
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    args.seconds = min(args.seconds, 60)  # bounded, always

    var = Path(tempfile.mkdtemp(prefix="tradelane-bench-"))
    env = {
        **os.environ,
        "TRADELANE_VAR_DIR": str(var),
        "DJANGO_SECRET_KEY": "bench-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_INSECURE_HTTP": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    run([PY, "manage.py", "migrate", "-v", "0"], env)
    run([PY, "manage.py", "seed_demo"], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    token = (
        subprocess.run(  # noqa: S603
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from tradelane.accounts.models import User; from tradelane.accounts.selectors import actor_for;"
                "from tradelane.accounts.services import create_token;"
                "u = User.objects.get(email='buyer@acme-supply.example');"
                "print(create_token(actor=actor_for(u), name='bench')[1])",
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            os.path.join(os.path.dirname(PY), "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        print(
            f"{args.workers} gunicorn workers, {args.concurrency} clients, {args.seconds:.0f} s each, "
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
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
