"""The web server's command line: one place for `make run` (runplatform), the benchmarks
and docs/operations.md, so what is measured is what is served.

granian (a Rust HTTP server) in its WSGI mode: keep-alive connections, several worker
processes, each running the Django application on a few blocking threads (a thread waiting
on PostgreSQL lets another one run). On this stack it served a trivial view at about
2.3 times gunicorn's sync workers (docs: bench/README.md).

Plain Python, no Django import: the benchmark harness builds its command without settings.
"""

from __future__ import annotations

import os
import sys

APPLICATION = "config.wsgi:application"
THREADS = 4  # per worker process; the database pool (config/settings.py) allows 10


def command(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int = THREADS,
    access_log: bool = False,
    log_level: str = "warning",
) -> list[str]:
    """The argv that serves the platform on host:port."""
    argv = [
        os.path.join(os.path.dirname(sys.executable), "granian"),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--log-level",
        log_level,
        "--respawn-failed-workers",
    ]
    if access_log:
        argv.append("--access-log")
    return [*argv, APPLICATION]
