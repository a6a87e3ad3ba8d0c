"""What the HTTP benchmarks share: environment, database, token, server, load loop.

Only ever 127.0.0.1; every run is bounded in time and clients.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from config import webserver  # noqa: E402  (plain Python: no Django settings needed)

PY = sys.executable
MAX_SECONDS = 60
MAX_CLIENTS = 64


def bench_env(var_dir: Path | None = None) -> dict:
    """Production-like settings (DEBUG off) for a server on 127.0.0.1."""
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_INSECURE_HTTP": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_DEBUG", None)
    if var_dir is not None:
        env["TRADELANE_VAR_DIR"] = str(var_dir)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_database(env: dict) -> None:
    manage(env, "migrate", "-v", "0")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")


def issue_token(env: dict, email: str) -> str:
    """A bearer token for the demo user `email` (acting for their first organisation)."""
    code = (
        "from tradelane.accounts.models import User; from tradelane.accounts.selectors import actor_for;"
        "from tradelane.accounts.services import create_token;"
        f"u = User.objects.get(email={email!r});"
        "print(create_token(actor=actor_for(u), name='bench')[1])"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(env: dict, workers: int, threads: int = webserver.THREADS) -> Iterator[int]:
    """Run the platform's web server (config/webserver.py: what `make run` serves) on a
    free 127.0.0.1 port; yield the port once it answers; stop it afterwards."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        webserver.command(host="127.0.0.1", port=port, workers=workers, threads=threads),
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(300):  # up to 30 s: the workers load Django after the port opens
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/v1/markets")
                conn.getresponse().read()
                conn.close()
                break
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def drive(
    port: int,
    path: str,
    headers: dict,
    seconds: float,
    concurrency: int,
    *,
    method: str = "GET",
    body: bytes | None = None,
    expect: int = 200,
    bodies: list[bytes] | None = None,
    client_headers: list[dict] | None = None,
) -> dict:
    """Keep-alive clients hitting one endpoint for `seconds`; throughput and latency.
    Client k sends `bodies[k % len]` and `client_headers[k % len]` when given; a status
    other than `expect` counts as an error."""
    seconds = min(seconds, MAX_SECONDS)
    concurrency = max(1, min(concurrency, MAX_CLIENTS))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(k):
        nonlocal errors
        mine_body = bodies[k % len(bodies)] if bodies else body
        mine_headers = client_headers[k % len(client_headers)] if client_headers else headers
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad, seen = [], 0, {}
        while time.monotonic() < stop_at:
            start = time.perf_counter()
            try:
                conn.request(method, path, body=mine_body, headers=mine_headers)
                response = conn.getresponse()
                response.read()
                seen[response.status] = seen.get(response.status, 0) + 1
                if response.status != expect:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors += bad
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()

    def pct(p):
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "seconds": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": statistics.fmean(latencies) * 1000 if latencies else float("nan"),
    }
