"""Races on PostgreSQL: two deliveries of the same import job apply it once."""

from tradelane.catalog import tasks
from tradelane.catalog.models import Price
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core import jobs
from tradelane.core.testing import postgres_only, race, run_together

from .test_imports import price_csv


def stored(actor, text):
    """A queued job whose task is not sent (in these committing tests `queue_import` would
    run it eagerly at once)."""
    spec, stored_text, rows = tasks.prepare_import(actor=actor, kind="prices", data=text.encode())
    return jobs.create_job(actor=actor, kind=spec.job_kind, total=len(rows), input_text=stored_text)


pytestmark = postgres_only


@race
def test_concurrent_runs_of_one_job_apply_it_once(merchant_owner):
    make_product(merchant_owner, skus=[sku_fields("A-1")])
    job = stored(merchant_owner, price_csv(300))

    def run():
        try:
            return tasks.run_import_job(job.pk)
        except jobs.JobBusy:
            return "busy"

    results = run_together(*[run] * 4)
    outcomes = sorted(value for status, value in results if status == "ok")
    assert len(outcomes) == 4, results
    assert outcomes.count("succeeded") == 1
    assert set(outcomes) <= {"succeeded", "busy", "noop"}
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == ("succeeded", 1, 300)
    assert Price.objects.count() == 300


@race
def test_concurrent_claims_after_a_crash_take_the_job_over_once(merchant_owner):
    from datetime import timedelta

    from django.utils import timezone

    make_product(merchant_owner, skus=[sku_fields("A-1")])
    job = stored(merchant_owner, price_csv(3))
    jobs.claim(job.pk)  # the run that died
    later = timezone.now() + jobs.LEASE + timedelta(seconds=1)

    def take():
        try:
            claim = jobs.claim(job.pk, now=later)
        except jobs.JobBusy:
            return None
        return claim and claim.attempt

    results = run_together(*[take] * 4)
    assert sorted(v for _, v in results if v is not None) == [2], results
