"""Catalog background work (Celery). Tasks take ids or nothing and call a service.

Shared file — edit with small, targeted edits, never rewrite it whole:
- `activate_due_prices` (scheduled price versions; see `listings.py`)
- CSV imports as background jobs (a `core.jobs.Job` each), so long uploads show progress:

    prepare_import (request)  size cap, UTF-8, CSV, required columns, row cap → rows
    queue_import   (request)  store the validated text on a queued job; `run_import` is
                              sent after the transaction commits
    run_import     (worker)   claim the job → check every row, writing progress every
                              `jobs.PROGRESS_EVERY` rows → apply all rows AND mark the job
                              succeeded in one transaction, or fail it with the per-row
                              report and nothing applied

  Idempotent: a finished job is a no-op; a job whose worker died is claimed again by the
  redelivered task (acks late) or by `resume_imports` once its lease has expired, and the
  dead run can no longer write to it. The page applies small files at once (up to
  `ASYNC_ROWS` rows, as before); bigger files and every `POST /catalog/imports` become jobs.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from tradelane.accounts import selectors as accounts
from tradelane.core import jobs
from tradelane.core.access import Actor
from tradelane.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from tradelane.core.models import Job

from . import bulk, listings

log = logging.getLogger(__name__)


@shared_task(name="tradelane.catalog.tasks.activate_due_prices", ignore_result=True)
def activate_due_prices() -> int:
    """Bring storefront listings up to scheduled price versions that have started.
    Idempotent; run by beat every minute (the storefront corrects the displayed price of
    a started version in the meantime)."""
    return listings.activate_due_prices()


# --- CSV imports as background jobs -------------------------------------------------------------

ASYNC_ROWS = 500  # the page applies files up to this many rows at once; more become a job
RUN_IMPORT = "tradelane.catalog.tasks.run_import"
RESUME_IMPORTS = "tradelane.catalog.tasks.resume_imports"
RETRY_AFTER_ERROR = 30  # seconds before an attempt that crashed is retried


def prepare_import(*, actor: Actor, kind: str, data: bytes) -> tuple[bulk.ImportKind, str, list]:
    """Check an upload before anything is stored: (kind, text, rows), or a 4xx naming
    `kind` or `file`."""
    if actor is None or actor.kind != "merchant":
        raise NotFound()
    spec = bulk.KINDS.get(kind)
    if spec is None:
        raise InvalidInput("Choose prices or stock.", field="kind")
    text = bulk.decode_upload(data)
    rows = bulk.parse_csv(text, columns=spec.columns, required=spec.required)
    if not rows:
        raise InvalidInput("The file has no rows.", field="file", code="empty")
    return spec, text, rows


def queue_import(
    *, actor: Actor, spec: bulk.ImportKind, text: str, rows: list, name: str = ""
) -> Job:
    """Store the upload on a queued job; `run_import` is sent once this commits."""
    safe_name = "".join(c for c in name if c.isprintable())[:200]
    with transaction.atomic():
        job = jobs.create_job(
            actor=actor, kind=spec.job_kind, total=len(rows), input_text=text, input_name=safe_name
        )
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def start_import(*, actor: Actor, kind: str, data: bytes, name: str = "") -> Job:
    spec, text, rows = prepare_import(actor=actor, kind=kind, data=data)
    return queue_import(actor=actor, spec=spec, text=text, rows=rows, name=name)


def enqueue(job_id: int) -> None:
    try:
        run_import.delay(job_id)
    except Exception:  # broker down: the job stays queued and resume_imports sends it later
        log.exception("could not queue import job %s", job_id)


def _actor(job: Job) -> Actor:
    """The job's creator acting for its organisation, if they still belong to it."""
    user = job.created_by
    membership = None
    if user is not None and user.is_active:
        membership = (
            accounts.memberships_of(user).filter(organisation_id=job.organisation_id).first()
        )
    if membership is None:
        raise Forbidden(
            "The person who started this import no longer belongs to the organisation.",
            code="not_a_member",
        )
    return Actor(user=user, organisation=membership.organisation, role=membership.role, via="job")


def run_import_job(job_id: int, *, now=None) -> str:
    """Run one import job to its end: "succeeded", "failed" or "noop" (already finished,
    or not an import job).

    Raises jobs.JobBusy while another live run holds it and jobs.JobLost if it was taken
    over meanwhile. Locks: the job row, then (as the import does) SKUs or stock levels in
    primary-key order, all in the one transaction that applies the rows.
    """
    claim = jobs.claim(job_id, kinds=bulk.JOB_KINDS, now=now)
    if claim is None:
        return "noop"
    job = claim.job
    spec = bulk.JOB_KINDS[job.kind]
    try:
        actor = _actor(job)
        rows = bulk.parse_csv(job.input_text, columns=spec.columns, required=spec.required)
        progress = jobs.Progress(claim, phase="validating")
        try:
            valid = spec.validate(actor=actor, rows=rows, progress=progress)
        finally:
            progress.flush()  # every row was checked, valid or not
        jobs.report_progress(claim, len(rows), phase="applying")
        with transaction.atomic():
            jobs.lock(claim)
            changed = spec.apply(actor=actor, valid=valid)
            jobs.succeed(claim, result={"rows": len(rows), "changed": changed})
        return "succeeded"
    except bulk.RowErrors as error:
        jobs.fail(claim, failure=DomainError.as_dict(error), errors=error.errors_by_row)
    except DomainError as error:
        jobs.fail(claim, failure=error.as_dict())
    except jobs.JobLost:
        raise
    except Exception:
        jobs.release(claim)  # its writes rolled back: the next attempt may start at once
        raise
    return "failed"


@shared_task(name=RUN_IMPORT, bind=True, ignore_result=True, acks_late=True)
def run_import(self, job_id: int) -> str:
    try:
        return run_import_job(job_id)
    except jobs.JobBusy as busy:
        if self.request.is_eager:
            return "busy"
        raise self.retry(countdown=busy.retry_after, max_retries=12) from None
    except jobs.JobLost:
        log.warning("import job %s was taken over by another run", job_id)
        return "lost"
    except Exception as exc:
        log.exception("import job %s crashed; retrying", job_id)
        raise self.retry(
            exc=exc, countdown=RETRY_AFTER_ERROR, max_retries=jobs.MAX_ATTEMPTS
        ) from exc


@shared_task(name=RESUME_IMPORTS, ignore_result=True)
def resume_imports() -> int:
    """Beat sweep: re-send jobs whose message was lost or whose worker died."""
    ids = jobs.list_stalled(kinds=bulk.JOB_KINDS)
    for job_id in ids:
        enqueue(job_id)
    return len(ids)
