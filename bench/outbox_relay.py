"""Outbox relay throughput: events delivered per second by one relay.

    .venv/bin/python bench/outbox_relay.py [--events 2000]

Records N events (each in its own committed transaction, as services do), then times
`relay_pending()` draining them through a no-op handler that writes its ProcessedEvent row.
Uses a throwaway SQLite database unless DATABASE_URL is set. Figures, not assertions.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HANDLERS = {"bench.event": []}


def noop(event):
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    count = min(args.events, 50_000)
    os.environ.setdefault("TRADELANE_VAR_DIR", tempfile.mkdtemp(prefix="tradelane-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="1",
        LOG_LEVEL="WARNING",
        OUTBOX_RELAY_ON_COMMIT="0",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from tradelane.core import outbox
    from tradelane.core.models import OutboxEvent

    HANDLERS["bench.event"] = [noop]
    settings.OUTBOX_HANDLERS = "__main__.HANDLERS"
    call_command("migrate", verbosity=0)
    OutboxEvent.objects.filter(topic="bench.event").delete()

    start = time.perf_counter()
    for n in range(count):
        with transaction.atomic():
            outbox.record_event("bench.event", {"n": n})
    record_s = time.perf_counter() - start

    start = time.perf_counter()
    delivered = 0
    while True:
        batch = outbox.relay_pending(batch=500)
        if not batch:
            break
        delivered += batch
    relay_s = time.perf_counter() - start
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{engine}: recorded {count} events in {record_s:.2f} s ({count / record_s:,.0f}/s, one transaction each)"
    )
    print(
        f"{engine}: relayed {delivered} events in {relay_s:.2f} s ({delivered / relay_s:,.0f}/s, one relay)"
    )
    print(
        "target: relay >= 200 events/s per relay process (each delivery = lease + handler txn + mark)"
    )


if __name__ == "__main__":
    main()
