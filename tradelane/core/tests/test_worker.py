"""The real thing: a Celery worker process relays outbox events.

The broker is the embedded filesystem transport, or WORKER_BROKER_URL (e.g. redis://…,
amqp://…) — .ci/run runs this test both ways.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from tradelane.accounts import services
from tradelane.core.models import OutboxEvent, ProcessedEvent

BROKER_URL = os.environ.get("WORKER_BROKER_URL", "filesystem://")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_process_delivers_a_committed_event(tmp_path: Path):
    membership = services.sign_up(
        email="worker@test.example",
        password="a-long-enough-pass",
        full_name="W",
        organisation_name="Worker Test Ltd",
        kind="buyer",
        country="US",
    )
    event = OutboxEvent.objects.get(topic="accounts.organisation_signed_up")
    assert event.delivered_at is None or ProcessedEvent.objects.filter(event=event).exists()
    OutboxEvent.objects.filter(pk=event.pk).update(delivered_at=None)
    ProcessedEvent.objects.filter(event=event).delete()

    # the worker's settings put the broker folders under TRADELANE_VAR_DIR/broker
    folders = {name: tmp_path / "broker" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL": "0",
        "TRADELANE_VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_DEBUG": "1",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        sender = Celery(broker=BROKER_URL, set_as_current=False)
        if BROKER_URL.startswith("filesystem://"):
            sender.conf.broker_transport_options = {
                "data_folder_in": str(folders["queue"]),
                "data_folder_out": str(folders["queue"]),
                "processed_folder": str(folders["processed"]),
                "control_folder": str(folders["control"]),
            }
        sender.send_task("tradelane.core.tasks.relay_outbox")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            event.refresh_from_db()
            if event.delivered_at is not None:
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.25)
        event.refresh_from_db()
        assert event.delivered_at is not None, "the worker did not deliver the event in 60 s"
        assert ProcessedEvent.objects.filter(event=event).count() == 1
        assert membership.user.email
    finally:
        worker.terminate()
        worker.wait(timeout=20)
