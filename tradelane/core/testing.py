"""Test helpers that know nothing of the domain."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

# A threaded race test: real transactions, PostgreSQL only (SQLite serialises writers).
race = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="race tests run on PostgreSQL (DATABASE_URL=postgres://…)",
)


def run_together(*calls: Callable) -> list[tuple[str, object]]:
    """Release every call at the same instant (a barrier), each in its own thread and
    database connection; return `("ok", result)` or `("error", exception)` per call."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", call())
        except Exception as exc:  # collected for the assertions
            results[i] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
