"""Browser test: a merchant uploads a big price file, watches the progress bar that HTMX
polls, and sees the per-row errors replace it; nothing was changed."""

import pytest
from playwright.sync_api import expect

from tradelane.catalog import tasks
from tradelane.catalog.models import Price
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core import jobs
from tradelane.core.models import Job
from tradelane.web.tests.test_browser import sign_in

from .test_imports import price_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_big_import_shows_progress_then_its_row_errors(
    page, live_server, merchant_owner, monkeypatch, tmp_path
):
    make_product(merchant_owner, skus=[sku_fields("A-1")])
    # The worker is this test: the upload only queues the job (eager Celery would run it
    # inside the request, before the page could show any progress).
    monkeypatch.setattr(tasks, "enqueue", lambda job_id: None)
    csv_file = tmp_path / "spring-prices.csv"
    csv_file.write_text(price_csv(800, bad_row=700))

    sign_in(page, live_server.url, merchant_owner.user.email)
    page.goto(f"{live_server.url}/merchant/import/prices/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()
    job_box = page.get_by_test_id("import-job")
    expect(job_box).to_have_attribute("data-status", "queued")
    job = Job.objects.get()

    claim = jobs.claim(job.pk)  # a worker starts and has checked 400 rows
    jobs.report_progress(claim, 400, phase="validating")
    expect(page.get_by_text("Checking rows: 400 of 800")).to_be_visible()
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "400")

    Job.objects.filter(pk=job.pk).update(status="queued", attempts=0, leased_until=None)
    assert tasks.run_import_job(job.pk) == "failed"
    expect(job_box).to_have_attribute("data-status", "failed")
    expect(page.get_by_text("1 row has errors; nothing was changed.")).to_be_visible()
    expect(page.get_by_test_id("import-errors").locator("tbody tr")).to_have_count(1)
    assert Price.objects.count() == 0

    page.reload()
    expect(page.get_by_test_id("recent-imports").get_by_text("spring-prices.csv")).to_be_visible()


def test_a_small_import_with_bad_rows_shows_them_in_place(
    page, live_server, merchant_owner, tmp_path
):
    make_product(merchant_owner, skus=[sku_fields("A-1")])
    csv_file = tmp_path / "prices.csv"
    csv_file.write_text(price_csv(3, bad_row=3))
    sign_in(page, live_server.url, merchant_owner.user.email)
    page.goto(f"{live_server.url}/merchant/import/prices/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("1 row has errors; nothing was changed.")).to_be_visible()
    assert Price.objects.count() == 0
    assert Job.objects.count() == 0
