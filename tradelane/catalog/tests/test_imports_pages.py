"""The merchant import page with background jobs: a big file becomes a job whose progress
bar HTMX polls until the per-row errors or the summary replace it (no browser needed)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.catalog import tasks
from tradelane.catalog.models import Price
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core import jobs
from tradelane.core.models import Job

from .test_imports import PRICE_HEADER, price_csv, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(page_client, merchant_owner):
    make_product(merchant_owner, skus=[sku_fields("A-1")])
    return page_client(merchant_owner)


def upload(client, text, **extra):
    return client.post(
        "/merchant/import/prices/",
        {"file": SimpleUploadedFile("big.csv", text.encode(), content_type="text/csv")},
        **extra,
    )


def polls(html: str) -> bool:
    return 'hx-trigger="every 1s"' in html


def test_a_big_upload_becomes_a_job_and_its_page_shows_the_summary(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, price_csv(600))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/merchant/imports/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Imported 600 rows: 600 changed." in page
    assert not polls(page)
    assert Price.objects.count() == 600
    listing = client.get("/merchant/import/prices/").content.decode()
    assert f'data-job="{job.pk}"' in listing and "big.csv" in listing and "600 changed" in listing


def test_a_small_upload_is_still_applied_at_once(client):
    response = upload(client, price_csv(tasks.ASYNC_ROWS), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"Imported {tasks.ASYNC_ROWS} rows: {tasks.ASYNC_ROWS} changed." in (
        response.content.decode()
    )
    assert Job.objects.count() == 0


def test_htmx_polls_the_progress_bar_until_the_errors_replace_it(client, merchant_owner):
    response = upload(client, price_csv(600, bad_row=450), HTTP_HX_REQUEST="true")
    assert response.status_code == 202
    job = Job.objects.get()
    html = response.content.decode()
    assert 'id="import-result"' in html and 'data-status="queued"' in html
    assert polls(html) and f'hx-get="/merchant/imports/{job.pk}/"' in html

    claim = jobs.claim(job.pk)  # a worker is half-way through checking the rows
    jobs.report_progress(claim, 250, phase="validating")
    partial = client.get(f"/merchant/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and polls(partial)
    assert 'value="250" max="600"' in partial and "Checking rows: 250 of 600" in partial

    jobs.report_progress(claim, 600, phase="applying")
    partial = client.get(f"/merchant/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Applying the changes" in partial and polls(partial)

    Job.objects.filter(pk=job.pk).update(status="queued", attempts=0, leased_until=None)
    assert tasks.run_import_job(job.pk) == "failed"
    partial = client.get(f"/merchant/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert not polls(partial) and 'data-status="failed"' in partial
    assert "1 row has errors; nothing was changed." in partial
    assert re.search(r"<td class=\"num\">450</td><td>unit_price</td>", partial)
    assert Price.objects.count() == 0


def test_a_job_that_gave_up_shows_why(client, merchant_owner):
    job = start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    Job.objects.filter(pk=job.pk).update(
        status="failed", failure={"code": "gave_up", "message": "It stopped.", "field": None}
    )
    page = client.get(f"/merchant/imports/{job.pk}/").content.decode()
    assert "The import failed; nothing was changed." in page and "gave_up" in page


def test_the_import_page_lists_recent_imports_with_constant_queries(client, merchant_owner):
    start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    with CaptureQueriesContext(connection) as one:
        client.get("/merchant/import/prices/")
    for _ in range(12):
        start(merchant_owner, PRICE_HEADER + "A-1,US,USD,2,1,1,\n")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/merchant/import/prices/").content.decode()
    assert len(many.captured_queries) <= len(one.captured_queries)
    assert page.count("data-job=") == 10
    stock_page = client.get("/merchant/import/stock/").content.decode()
    assert "data-job=" not in stock_page and "No import yet." in stock_page
