"""The real path: a Celery worker process runs a queued import job to its end.

Same set-up as core/tests/test_worker.py (filesystem broker, or WORKER_BROKER_URL).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings

from tradelane.catalog import tasks
from tradelane.catalog.models import Price
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core.models import Job
from tradelane.core.tests.test_worker import BROKER_URL, _database_url

from .test_imports import price_csv


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_runs_an_import_job(tmp_path: Path, merchant_owner):
    make_product(merchant_owner, skus=[sku_fields("A-1")])
    spec, text, rows = tasks.prepare_import(
        actor=merchant_owner, kind="prices", data=price_csv(700).encode()
    )
    # queued, but its message goes to the worker below rather than to the (eager) test app
    job = Job.objects.create(
        kind=spec.job_kind,
        organisation=merchant_owner.organisation,
        created_by=merchant_owner.user,
        total=len(rows),
        input_text=text,
    )
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
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
        + ["--loglevel", "WARNING"],
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
        sender.send_task(tasks.RUN_IMPORT, args=[job.pk])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.25)
        job.refresh_from_db()
        assert job.status == "succeeded", (job.status, job.failure, "not finished in 60 s")
        assert (job.done, job.total, job.result) == (700, 700, {"rows": 700, "changed": 700})
        assert Price.objects.count() == 700
    finally:
        worker.terminate()
        worker.wait(timeout=20)
