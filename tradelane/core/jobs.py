"""Background jobs: a record of work an organisation started, with its progress.

    job = jobs.create_job(actor=actor, kind="catalog.prices", total=n, input_text=text)
    transaction.on_commit(lambda: some_task.delay(job.pk))

    # in the task
    claim = jobs.claim(job_id)            # None: finished already (a no-op); JobBusy: retry later
    progress = jobs.Progress(claim)       # progress(done): a write every PROGRESS_EVERY rows
    ...
    with transaction.atomic():
        jobs.lock(claim)                  # still ours? (JobLost otherwise)
        ...the business writes...
        jobs.succeed(claim, result={...}) # commits with the business writes: exactly once
    # or
    jobs.fail(claim, errors=[...], failure={"code": ..., "message": ..., "field": ...})

Status: queued → running → succeeded | failed. Every change is one guarded UPDATE. A run
holds the job by its attempt number (the fencing token) and a lease that each progress
write extends. A worker that dies leaves the job "running" with a lease that expires; the
redelivered task (acks late) or the sweep (`list_stalled`) claims it again as the next
attempt, and the dead run's writes no longer match. After MAX_ATTEMPTS the job fails
(`gave_up`) instead of crashing workers forever.

Jobs belong to an organisation: its members see them; anyone else gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from .access import Actor
from .errors import NotFound
from .models import Job

Status = Job.Status
TRANSITIONS = {
    Status.QUEUED: {Status.RUNNING, Status.FAILED},
    Status.RUNNING: {Status.RUNNING, Status.SUCCEEDED, Status.FAILED},  # running→running: retaken
}
UNFINISHED = (Status.QUEUED, Status.RUNNING)

PROGRESS_EVERY = 250  # rows between two progress writes
MAX_ERRORS = 1000  # per-row errors kept on the job (error_count keeps the real number)
LEASE = timedelta(minutes=5)  # a run that has not written for this long is presumed dead
MAX_ATTEMPTS = 3
QUEUED_STALL = timedelta(minutes=2)  # a queued job older than this lost its message
LIST_FIELDS = (
    "id",
    "kind",
    "organisation_id",
    "created_by__email",
    "status",
    "phase",
    "total",
    "done",
    "error_count",
    "failure",
    "result",
    "input_name",
    "created_at",
    "started_at",
    "finished_at",
)


class JobBusy(Exception):
    """Another run holds the job and its lease is alive: try again after `retry_after` s."""

    def __init__(self, retry_after: float):
        super().__init__(f"job is running elsewhere; retry in {retry_after:.0f} s")
        self.retry_after = retry_after


class JobLost(Exception):
    """The job is no longer this run's (taken over after its lease expired, or finished)."""


@dataclass(frozen=True)
class Claim:
    job: Job
    attempt: int

    @property
    def job_id(self) -> int:
        return self.job.pk

    def _mine(self) -> QuerySet[Job]:
        return Job.objects.filter(pk=self.job.pk, status=Status.RUNNING, attempts=self.attempt)


# --- writes ------------------------------------------------------------------------------


def create_job(
    *,
    actor: Actor,
    kind: str,
    total: int = 0,
    params: dict | None = None,
    input_text: str = "",
    input_name: str = "",
) -> Job:
    """A queued job of the actor's organisation. One INSERT: call it in the transaction
    that enqueues the task with `transaction.on_commit`, so the task never sees no job."""
    if actor is None or actor.organisation_id is None:
        raise NotFound()
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        organisation_id=actor.organisation_id,
        created_by=actor.user,
        total=max(0, total),
        params=params or {},
        input_text=input_text,
        input_name=input_name[:200],
        created_at=now,
        updated_at=now,
    )


def claim(job_id: int, *, kinds=None, now: datetime | None = None) -> Claim | None:
    """Start (or take over) a job as the next attempt.

    Returns None when there is nothing to do: the job is finished, gone, or has used up its
    attempts (then it is marked failed `gave_up`). Raises JobBusy while another run's lease
    is alive. Two claimers never both win: the UPDATE re-checks its WHERE under the row lock.
    With `kinds`, a job of another kind is left alone (None).
    """
    now = now or timezone.now()
    job = Job.objects.filter(pk=job_id)
    if kinds is not None:
        job = job.filter(kind__in=list(kinds))
    takeable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, leased_until__lt=now)
    won = (
        job.filter(takeable, attempts__lt=MAX_ATTEMPTS).update(
            status=Status.RUNNING,
            attempts=F("attempts") + 1,
            leased_until=now + LEASE,
            started_at=Coalesce(F("started_at"), now),
            updated_at=now,
            phase="",
            done=0,
        )
        == 1
    )
    if won:
        claimed = Job.objects.select_related("organisation", "created_by").get(pk=job_id)
        return Claim(job=claimed, attempt=claimed.attempts)
    current = job.values("status", "leased_until").first()
    if current is None or current["status"] not in UNFINISHED:
        return None
    if current["status"] == Status.RUNNING and current["leased_until"] >= now:
        raise JobBusy((current["leased_until"] - now).total_seconds() + 1)
    # out of attempts: every earlier run died; stop here rather than crash workers forever
    job.filter(takeable).update(
        status=Status.FAILED,
        failure={
            "code": "gave_up",
            "message": f"The job stopped {MAX_ATTEMPTS} times without finishing.",
            "field": None,
        },
        leased_until=None,
        finished_at=now,
        updated_at=now,
        input_text="",
    )
    return None


def report_progress(claim: Claim, done: int, *, phase: str | None = None) -> None:
    """Record `done` (bounded by the total) and extend the lease. Raises JobLost when the
    job is no longer this run's."""
    now = timezone.now()
    values = {"done": min(max(done, 0), claim.job.total), "leased_until": now + LEASE}
    if phase is not None:
        values["phase"] = phase
    if claim._mine().update(**values, updated_at=now) != 1:
        raise JobLost(claim.job_id)


class Progress:
    """`progress(done)` per row; writes only every `every` rows, and `flush()` the rest."""

    def __init__(self, claim: Claim, *, every: int = PROGRESS_EVERY, phase: str | None = None):
        self.claim, self.every, self.phase = claim, max(1, every), phase
        self.seen = self.written = 0

    def __call__(self, done: int) -> None:
        self.seen = done
        if done - self.written >= self.every:
            self._write(done)

    def flush(self) -> None:
        if self.seen != self.written:
            self._write(self.seen)

    def _write(self, done: int) -> None:
        report_progress(self.claim, done, phase=self.phase)
        self.written = done


def lock(claim: Claim) -> None:
    """Inside the transaction that does the job's writes: lock the job row and check that it
    is still this run's (JobLost otherwise), so the writes and `succeed` commit together."""
    if not claim._mine().select_for_update().values_list("pk", flat=True).first():
        raise JobLost(claim.job_id)


def release(claim: Claim) -> None:
    """Give the job back after an unexpected error (its writes rolled back): the next
    attempt may claim it at once. A no-op if the job is no longer this run's."""
    now = timezone.now()
    claim._mine().update(leased_until=now - timedelta(seconds=1), phase="", updated_at=now)


def succeed(claim: Claim, *, result: dict) -> None:
    now = timezone.now()
    updated = claim._mine().update(
        status=Status.SUCCEEDED,
        done=F("total"),
        result=result,
        phase="",
        leased_until=None,
        finished_at=now,
        updated_at=now,
        input_text="",
    )
    if updated != 1:
        raise JobLost(claim.job_id)


def fail(claim: Claim, *, failure: dict, errors: list[dict] | None = None) -> None:
    """Finish as failed with the reason and the per-row errors (capped at MAX_ERRORS)."""
    errors = list(errors or ())
    now = timezone.now()
    updated = claim._mine().update(
        status=Status.FAILED,
        failure={"field": None, **failure},
        errors=errors[:MAX_ERRORS],
        error_count=len(errors),
        phase="",
        leased_until=None,
        finished_at=now,
        updated_at=now,
        input_text="",
    )
    if updated != 1:
        raise JobLost(claim.job_id)


# --- reads -------------------------------------------------------------------------------


def _of(actor: Actor | None, kinds) -> QuerySet[Job]:
    if actor is None or actor.organisation_id is None:
        return Job.objects.none()
    jobs = Job.objects.filter(organisation_id=actor.organisation_id)
    return jobs.filter(kind__in=list(kinds)) if kinds is not None else jobs


def get_job(*, actor: Actor, job_id: int, kinds=None) -> Job:
    """One of the actor's organisation's jobs (without its stored input), else NotFound."""
    job = (
        _of(actor, kinds).select_related("created_by").defer("input_text").filter(pk=job_id).first()
    )
    if job is None:
        raise NotFound("No such job.")
    return job


def list_jobs(*, actor: Actor, kinds=None) -> QuerySet[Job]:
    """The organisation's jobs, newest first, without stored input or per-row errors."""
    return (
        _of(actor, kinds)
        .select_related("created_by")
        .only(*LIST_FIELDS)
        .order_by("-created_at", "-id")
    )


def list_stalled(*, kinds, now: datetime | None = None, limit: int = 100) -> list[int]:
    """Ids of jobs whose task was lost (queued too long) or whose worker died (lease over)."""
    now = now or timezone.now()
    stalled = Q(status=Status.QUEUED, created_at__lt=now - QUEUED_STALL) | Q(
        status=Status.RUNNING, leased_until__lt=now
    )
    return list(
        Job.objects.filter(stalled, kind__in=list(kinds))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
