"""CSV imports as background jobs: API, lifecycle, progress, all-or-nothing, tenancy, pages.

Celery runs eagerly in tests (CELERY_TASK_ALWAYS_EAGER): the task is sent on commit, so
each upload runs inside `django_capture_on_commit_callbacks(execute=True)`.
"""

import dataclasses
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tradelane.accounts.models import Membership
from tradelane.catalog import bulk, tasks
from tradelane.catalog.models import Price, StockLevel, StockMovement
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core import jobs
from tradelane.core.errors import NotFound
from tradelane.core.models import IdempotencyKey, Job
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db

PRICE_HEADER = "sku,market,currency,unit_price,moq,increment,breaks\n"


@pytest.fixture
def skus(merchant_owner):
    product = make_product(merchant_owner, skus=[sku_fields("A-1"), sku_fields("B-2")])
    return {s.code: s for s in product.skus.all()}


def price_csv(n: int, *, bad_row: int | None = None) -> str:
    """n data rows (CSV lines 2..n+1); `bad_row` (a CSV line) gets a zero price."""
    lines = [PRICE_HEADER]
    for line in range(2, n + 2):
        amount = "0" if line == bad_row else f"{1 + line / 100:.2f}"
        lines.append(f"A-1,US,USD,{amount},1,1,\n")
    return "".join(lines)


def post_import(client, kind, text, *, name="rows.csv", headers=None):
    data = text.encode() if isinstance(text, str) else text
    return client.client.post(
        "/api/v1/catalog/imports",
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
        **client._headers(headers),
    )


def start(actor, text, kind="prices"):
    spec, stored, rows = tasks.prepare_import(actor=actor, kind=kind, data=text.encode())
    return tasks.queue_import(actor=actor, spec=spec, text=stored, rows=rows, name="f.csv")


# --- the API -----------------------------------------------------------------------------------


def test_api_import_runs_as_a_job_and_reports_its_result(
    api, merchant_owner, skus, django_capture_on_commit_callbacks
):
    client = api(merchant_owner)
    text = PRICE_HEADER + "A-1,US,USD,9.50,10,5,100=8.90\nB-2,DE,EUR,4.00,,,\nA-1,GB,GBP,3,1,1,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, "prices", text, name="spring.csv")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["status"], body["kind"], body["total"], body["done"]) == ("queued", "prices", 3, 0)
    assert body["file_name"] == "spring.csv"
    assert body["created_by"] == merchant_owner.user.email

    job = client.get(f"/catalog/imports/{body['id']}").json()
    assert job["status"] == "succeeded"
    assert (job["total"], job["done"], job["percent"]) == (3, 3, 100)
    assert job["result"] == {"rows": 3, "changed": 3}
    assert (job["failure"], job["errors"], job["error_count"]) == (None, [], 0)
    assert job["started_at"] and job["finished_at"]
    assert Price.objects.count() == 3
    assert Job.objects.get().input_text == ""  # the stored upload is dropped when finished


def test_big_file_with_one_bad_row_fails_the_job_and_changes_nothing(
    api, merchant_owner, skus, django_capture_on_commit_callbacks
):
    client = api(merchant_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, "prices", price_csv(1200, bad_row=1150))
    job = client.get(f"/catalog/imports/{response.json()['id']}").json()
    assert job["status"] == "failed"
    assert (job["total"], job["done"]) == (1200, 1200)
    assert job["failure"]["code"] == "invalid_rows"
    assert job["error_count"] == 1
    assert job["errors"] == [
        {
            "row": 1150,
            "field": "unit_price",
            "code": "not_positive",
            "message": job["errors"][0]["message"],
        }
    ]
    assert job["result"] is None
    assert Price.objects.count() == 0


def test_per_row_errors_are_capped_but_counted(
    api, merchant_owner, skus, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(jobs, "MAX_ERRORS", 5)
    text = PRICE_HEADER + "NOPE,US,USD,1,1,1,\n" * 8
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(api(merchant_owner), "prices", text)
    job = api(merchant_owner).get(f"/catalog/imports/{response.json()['id']}").json()
    assert job["error_count"] == 8
    assert [e["row"] for e in job["errors"]] == [2, 3, 4, 5, 6]


def test_stock_job_fails_whole_on_a_stale_version_found_while_applying(
    api, merchant_owner, skus, django_capture_on_commit_callbacks
):
    make_warehouse(merchant_owner, name="Nanshan")
    client = api(merchant_owner)
    with django_capture_on_commit_callbacks(execute=True):
        post_import(client, "stock", "sku,warehouse,on_hand\nA-1,Nanshan,40\n")
    assert StockLevel.objects.get().version == 1
    text = "sku,warehouse,on_hand,version\nB-2,Nanshan,7,\nA-1,Nanshan,10,0\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, "stock", text)
    job = client.get(f"/catalog/imports/{response.json()['id']}").json()
    assert job["status"] == "failed"
    assert [(e["row"], e["field"], e["code"]) for e in job["errors"]] == [
        (3, "version", "precondition_failed")
    ]
    assert list(StockLevel.objects.values_list("sku__code", "on_hand", "version")) == [
        ("A-1", 40, 1)
    ]
    assert StockMovement.objects.count() == 1


@pytest.mark.parametrize(
    "kind, data, field, code",
    [
        ("prices", b"\xff\xfe\x00bad", "file", "not_utf8"),
        ("prices", b"sku,market\x00,currency,unit_price\nA-1,US,USD,1\n", "file", "not_utf8"),
        ("prices", b"sku,price\nA-1,3\n", "file", "missing_columns"),
        ("prices", PRICE_HEADER.encode(), "file", "empty"),
        (
            "prices",
            b'sku,market,currency,unit_price\n"' + b"x" * 140_000 + b'"\n',
            "file",
            "malformed_csv",
        ),
        ("stock", PRICE_HEADER.encode() + b"A-1,US,USD,1,1,1,\n", "file", "missing_columns"),
        ("orders", PRICE_HEADER.encode() + b"A-1,US,USD,1,1,1,\n", "kind", None),
    ],
)
def test_a_bad_upload_is_refused_before_any_job_is_stored(
    api, merchant_owner, skus, kind, data, field, code
):
    response = post_import(api(merchant_owner), kind, data)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["field"] == field
    if code:
        assert body["code"] == code
    assert Job.objects.count() == 0


def test_a_file_over_the_size_cap_is_refused(api, merchant_owner, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_BYTES", 100)
    response = post_import(api(merchant_owner), "prices", PRICE_HEADER + "A-1,US,USD,1,1,1,\n" * 9)
    assert (response.status_code, response.json()["code"]) == (422, "file_too_large")
    assert Job.objects.count() == 0


def test_the_same_idempotency_key_starts_one_job(
    api, merchant_owner, skus, django_capture_on_commit_callbacks
):
    client = api(merchant_owner)
    text = PRICE_HEADER + "A-1,US,USD,2,1,1,\n"
    with django_capture_on_commit_callbacks(execute=True):
        first = post_import(client, "prices", text, headers={"Idempotency-Key": "k1"})
    with django_capture_on_commit_callbacks(execute=True):
        again = post_import(client, "prices", text, headers={"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["id"] == first.json()["id"]
    assert (Job.objects.count(), Price.objects.count()) == (1, 1)
    other = post_import(
        client, "stock", "sku,warehouse,on_hand\n", headers={"Idempotency-Key": "k1"}
    )
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    assert IdempotencyKey.objects.count() == 1


def test_imports_list_newest_first_with_constant_queries(
    api, merchant_owner, skus, django_assert_max_num_queries
):
    client = api(merchant_owner)
    start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/catalog/imports").json()["items"]) == 1
    for _ in range(12):
        start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/catalog/imports", {"page_size": 10}).json()
    assert body["count"] == 13
    ids = [item["id"] for item in body["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 10
    assert body["items"][0]["status"] == "queued" and "errors" not in body["items"][0]
    assert client.get("/catalog/imports", {"page_size": 101}).status_code == 422


# --- tenancy -----------------------------------------------------------------------------------


def test_only_the_organisations_members_see_its_imports(
    api, page_client, merchant_owner, merchant_staff, other_merchant, buyer_owner, skus
):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    assert api(merchant_staff).get(f"/catalog/imports/{job.pk}").json()["id"] == job.pk
    intruder = api(other_merchant)
    response = intruder.get(f"/catalog/imports/{job.pk}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert intruder.get("/catalog/imports").json()["count"] == 0
    assert api(buyer_owner).get(f"/catalog/imports/{job.pk}").status_code == 403
    assert page_client(other_merchant).get(f"/merchant/imports/{job.pk}/").status_code == 404
    assert page_client(other_merchant).post(f"/merchant/imports/{job.pk}/").status_code == 404
    assert page_client(merchant_staff).get(f"/merchant/imports/{job.pk}/").status_code == 200
    assert api(merchant_owner).get(f"/catalog/imports/{2**63}").status_code == 422


def test_a_job_whose_creator_left_the_organisation_fails_and_changes_nothing(
    merchant_owner, merchant_staff, skus
):
    job = start(merchant_staff, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    Membership.objects.filter(user=merchant_staff.user).delete()
    assert tasks.run_import_job(job.pk) == "failed"
    job.refresh_from_db()
    assert (job.status, job.failure["code"]) == ("failed", "not_a_member")
    assert Price.objects.count() == 0


# --- lifecycle, progress, retries --------------------------------------------------------------


def test_progress_is_written_every_n_rows_then_the_apply_phase(merchant_owner, skus, monkeypatch):
    job = start(merchant_owner, price_csv(1200))
    writes = []
    original = jobs.report_progress

    def spy(claim, done, *, phase=None):
        writes.append((done, phase))
        original(claim, done, phase=phase)

    monkeypatch.setattr(jobs, "report_progress", spy)
    with CaptureQueriesContext(connection) as queries:
        assert tasks.run_import_job(job.pk) == "succeeded"
    assert writes == [
        (250, "validating"),
        (500, "validating"),
        (750, "validating"),
        (1000, "validating"),
        (1200, "validating"),
        (1200, "applying"),
    ]
    job_updates = [q for q in queries.captured_queries if q["sql"].startswith('UPDATE "core_job"')]
    assert len(job_updates) == 1 + 6 + 1  # claim, progress, succeed
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts) == ("succeeded", 1200, 1200, 1)
    assert Price.objects.count() == 1200


def test_the_progress_bar_moves_while_rows_are_checked(merchant_owner, skus):
    job = start(merchant_owner, price_csv(600))
    claim = jobs.claim(job.pk)
    progress = jobs.Progress(claim, every=250, phase="validating")
    for done in range(1, 301):
        progress(done)
    job.refresh_from_db()
    assert (job.status, job.phase, job.done, job.percent) == ("running", "validating", 250, 41)
    progress.flush()
    job.refresh_from_db()
    assert job.done == 300


def test_a_finished_job_is_a_no_op(merchant_owner, skus):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    assert tasks.run_import_job(job.pk) == "succeeded"
    assert tasks.run_import_job(job.pk) == "noop"
    assert tasks.run_import.delay(job.pk) is not None
    assert Price.objects.count() == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_a_running_job_with_a_live_lease_is_busy(merchant_owner, skus):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    assert jobs.claim(job.pk).attempt == 1
    with pytest.raises(jobs.JobBusy) as busy:
        tasks.run_import_job(job.pk)
    assert 0 < busy.value.retry_after <= jobs.LEASE.total_seconds() + 1
    assert tasks.run_import.delay(job.pk).get() == "busy"  # eager: not retried in a loop
    assert Price.objects.count() == 0


def test_a_job_stuck_running_after_a_crash_is_taken_over_and_the_dead_run_fenced_off(
    merchant_owner, skus
):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\nB-2,US,USD,3,1,1,\n")
    dead = jobs.claim(job.pk)  # a worker claims it, writes some progress, then dies
    jobs.report_progress(dead, 1, phase="validating")
    later = timezone.now() + jobs.LEASE + timedelta(seconds=1)
    assert jobs.list_stalled(kinds=bulk.JOB_KINDS, now=later) == [job.pk]
    assert tasks.run_import_job(job.pk, now=later) == "succeeded"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("succeeded", 2, {"rows": 2, "changed": 2})
    with pytest.raises(jobs.JobLost):
        jobs.report_progress(dead, 2)
    with pytest.raises(jobs.JobLost):
        jobs.succeed(dead, result={"rows": 0, "changed": 0})
    job.refresh_from_db()
    assert job.result == {"rows": 2, "changed": 2}
    assert Price.objects.count() == 2


def test_a_job_that_keeps_dying_gives_up(merchant_owner, skus):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    now = timezone.now()
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        now += jobs.LEASE + timedelta(seconds=1)
        assert jobs.claim(job.pk, now=now).attempt == attempt
    now += jobs.LEASE + timedelta(seconds=1)
    assert tasks.run_import_job(job.pk, now=now) == "noop"
    job.refresh_from_db()
    assert (job.status, job.failure["code"], job.input_text) == ("failed", "gave_up", "")
    assert Price.objects.count() == 0


def test_an_unexpected_error_rolls_back_and_the_next_attempt_starts_at_once(
    merchant_owner, skus, monkeypatch
):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    spec = bulk.KINDS["prices"]

    def broken(*, actor, valid):
        bulk.apply_prices(actor=actor, valid=valid)
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(bulk.JOB_KINDS, spec.job_kind, dataclasses.replace(spec, apply=broken))
    with pytest.raises(RuntimeError):
        tasks.run_import_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)
    assert job.leased_until < timezone.now()
    assert Price.objects.count() == 0
    monkeypatch.setitem(bulk.JOB_KINDS, spec.job_kind, spec)
    assert tasks.run_import_job(job.pk) == "succeeded"
    job.refresh_from_db()
    assert job.attempts == 2 and Price.objects.count() == 1


def test_the_sweep_resends_lost_and_dead_jobs(merchant_owner, skus, monkeypatch):
    lost = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    fresh = start(merchant_owner, PRICE_HEADER + "B-2,US,USD,2,1,1,\n")
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert jobs.list_stalled(kinds=bulk.JOB_KINDS) == [lost.pk]
    assert tasks.resume_imports() == 1
    assert set(Job.objects.values_list("pk", "status")) == {
        (lost.pk, "succeeded"),
        (fresh.pk, "queued"),
    }


def test_jobs_of_another_kind_are_not_imports(merchant_owner):
    other = jobs.create_job(actor=merchant_owner, kind="ledger.payout_report", total=1)
    with pytest.raises(NotFound):
        jobs.get_job(actor=merchant_owner, job_id=other.pk, kinds=bulk.JOB_KINDS)
    assert tasks.run_import_job(other.pk) == "noop"  # not claimed: another context's job
    other.refresh_from_db()
    assert (other.status, other.attempts) == ("queued", 0)
    assert list(jobs.list_stalled(kinds=bulk.JOB_KINDS)) == []


def test_a_buyer_cannot_start_an_import(buyer_owner):
    with pytest.raises(NotFound):
        tasks.prepare_import(actor=buyer_owner, kind="prices", data=b"x")
