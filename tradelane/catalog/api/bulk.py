"""Bulk edits: prices and stock by CSV upload or JSON rows (all-or-nothing), CSV export,
and CSV imports as background jobs with progress (`/catalog/imports`)."""

import hashlib
from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from tradelane.core import idempotency, jobs
from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, ErrorOut, Pagination, RowId
from tradelane.core.errors import InvalidInput

from .. import bulk, tasks
from .common import as_json

router = Router(tags=["catalog: bulk"])


class RowErrorOut(Schema):
    row: int | None = Field(None, description="CSV line (header = 1) or JSON row from 1")
    field: str | None = None
    code: str | None = None
    message: str


class BulkErrorOut(ErrorOut):
    errors: list[RowErrorOut] = Field(default_factory=list, description="one per failed row")


class ImportOut(Schema):
    rows: int
    changed: int


class PriceRowIn(Schema):
    sku: str = Field(max_length=64)
    market: str = Field(max_length=2)
    currency: str = Field(max_length=3)
    unit_price: str = Field(max_length=24)
    moq: int = Field(1, ge=-(2**31), le=2**31)
    increment: int = Field(1, ge=-(2**31), le=2**31)
    breaks: str = Field("", max_length=400, description="quantity=price;quantity=price")
    effective_from: str = Field("", max_length=40)


class PriceRowsIn(Schema):
    rows: list[PriceRowIn] = Field(min_length=1, max_length=bulk.MAX_ROWS)


class StockRowIn(Schema):
    sku: str = Field(max_length=64)
    warehouse: str = Field(max_length=120, description="warehouse name or id")
    on_hand: int = Field(ge=-(2**31), le=2**31)
    version: int | None = Field(None, ge=0, le=2**31, description="guard, as exported")


class StockRowsIn(Schema):
    rows: list[StockRowIn] = Field(min_length=1, max_length=bulk.MAX_ROWS)


BULK_ERRORS = {**ERRORS, 422: BulkErrorOut}
CSV_FILE = File(..., description="a UTF-8 CSV file with a header row")
CSV_OUT = {
    "responses": {
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
    }
}


def _read(file: UploadedFile, columns, required) -> list[dict]:
    if file.size and file.size > bulk.MAX_BYTES:
        raise InvalidInput("The file is too large.", field="file", code="file_too_large")
    return bulk.read_csv(file.read(bulk.MAX_BYTES + 1), columns=columns, required=required)


def _result(result: bulk.ImportResult) -> dict:
    return {"rows": result.rows, "changed": result.changed}


@router.post(
    "/merchant/prices/import",
    response={200: ImportOut, **BULK_ERRORS},
    summary="Import prices from CSV (all-or-nothing)",
)
@allow(MERCHANT_MEMBER)
def import_prices_csv(request, file: UploadedFile = CSV_FILE):
    """Columns: sku, market, currency, unit_price, moq, increment, breaks
    (`100=8.90;500=7.75`), effective_from (optional ISO date-time). Any bad row: 422
    `invalid_rows` with every row's error, and nothing is changed."""
    rows = _read(file, bulk.PRICE_COLUMNS, ("sku", "market", "currency", "unit_price"))
    return _result(bulk.import_prices(actor=current_actor(request), rows=rows))


@router.post(
    "/merchant/prices/bulk",
    response={200: ImportOut, **BULK_ERRORS},
    summary="Set many prices at once (all-or-nothing)",
)
@allow(MERCHANT_MEMBER)
def import_prices_json(request, payload: PriceRowsIn):
    rows = [{**r.model_dump(), "_row": i} for i, r in enumerate(payload.rows, start=1)]
    return _result(bulk.import_prices(actor=current_actor(request), rows=rows, source="api"))


@router.get(
    "/merchant/prices/export",
    response={200: str, **ERRORS},
    summary="Your prices in force, as CSV",
    openapi_extra=CSV_OUT,
)
@allow(MERCHANT_MEMBER)
def export_prices(request):
    return _csv(bulk.export_prices(actor=current_actor(request)), "prices.csv")


@router.post(
    "/merchant/stock/import",
    response={200: ImportOut, **BULK_ERRORS},
    summary="Import stock from CSV (all-or-nothing)",
)
@allow(MERCHANT_MEMBER)
def import_stock_csv(request, file: UploadedFile = CSV_FILE):
    """Columns: sku, warehouse (name or id), on_hand, version (optional guard, as exported:
    a stale one fails the row with `precondition_failed`)."""
    rows = _read(file, bulk.STOCK_COLUMNS, ("sku", "warehouse", "on_hand"))
    return _result(bulk.import_stock(actor=current_actor(request), rows=rows))


@router.post(
    "/merchant/stock/bulk",
    response={200: ImportOut, **BULK_ERRORS},
    summary="Set many stock levels at once (all-or-nothing)",
)
@allow(MERCHANT_MEMBER)
def import_stock_json(request, payload: StockRowsIn):
    rows = [{**r.model_dump(), "_row": i} for i, r in enumerate(payload.rows, start=1)]
    return _result(bulk.import_stock(actor=current_actor(request), rows=rows))


@router.get("/merchant/stock/export", response={200: str, **ERRORS}, summary="Your stock, as CSV")
@allow(MERCHANT_MEMBER)
def export_stock(request):
    return _csv(bulk.export_stock(actor=current_actor(request)), "stock.csv")


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- imports as background jobs ----------------------------------------------------------------

JOB_KIND_NAMES = {spec.job_kind: name for name, spec in bulk.KINDS.items()}


class ImportJobSummaryOut(Schema):
    id: int
    kind: Literal["prices", "stock"]
    status: Literal["queued", "running", "succeeded", "failed"]
    phase: str = Field(description="while running: validating, then applying")
    total: int = Field(description="data rows in the file")
    done: int = Field(description="rows checked so far")
    percent: int
    file_name: str
    result: ImportOut | None = Field(None, description="when succeeded")
    failure: ErrorOut | None = Field(None, description="when failed: why")
    error_count: int = Field(description="rows with errors (all of them)")
    created_by: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None

    # Resolvers read a Job, or the JSON of an earlier response (an idempotent replay).
    @staticmethod
    def resolve_kind(job) -> str:
        kind = job["kind"] if isinstance(job, dict) else job.kind
        return JOB_KIND_NAMES.get(kind, kind)

    @staticmethod
    def resolve_file_name(job) -> str:
        return job["file_name"] if isinstance(job, dict) else job.input_name

    @staticmethod
    def resolve_result(job):
        return job["result"] if isinstance(job, dict) else (job.result or None)

    @staticmethod
    def resolve_created_by(job) -> str | None:
        if isinstance(job, dict):
            return job["created_by"]
        return job.created_by.email if job.created_by_id else None


class ImportJobOut(ImportJobSummaryOut):
    errors: list[RowErrorOut] = Field(
        default_factory=list, description=f"per-row errors, the first {jobs.MAX_ERRORS}"
    )


IMPORT_KINDS = [spec.job_kind for spec in bulk.KINDS.values()]


@router.post(
    "/catalog/imports",
    response={202: ImportJobOut, **ERRORS},
    summary="Start a CSV import of prices or stock (a background job)",
)
@allow(MERCHANT_MEMBER)
def start_import(
    request,
    kind: Literal["prices", "stock"] = Form(..., description="prices or stock"),
    file: UploadedFile = CSV_FILE,
):
    """The file (at most 5 MB, UTF-8, the columns of the matching `/merchant/*/import`) is
    checked and stored, then imported in the background: poll `GET /catalog/imports/{id}`
    for progress. Every row is checked first; if any is wrong the job fails with every row's
    error and nothing is changed. Accepts `Idempotency-Key`."""
    actor = current_actor(request)
    if file.size and file.size > bulk.MAX_BYTES:
        raise InvalidInput("The file is too large.", field="file", code="file_too_large")
    data = file.read(bulk.MAX_BYTES + 1)
    digest = hashlib.sha256(data).hexdigest()

    def action():
        job = tasks.start_import(actor=actor, kind=kind, data=data, name=file.name or "")
        job = jobs.get_job(actor=actor, job_id=job.pk)
        return 202, as_json(ImportJobOut, job)

    status, body = idempotency.run(
        request,
        operation="catalog.start_import",
        payload={"kind": kind, "sha256": digest},
        action=action,
    )
    return Status(status, body)


@router.get(
    "/catalog/imports",
    response={200: list[ImportJobSummaryOut], **ERRORS},
    summary="Your recent imports (newest first)",
)
@allow(MERCHANT_MEMBER)
@paginate(Pagination)
def list_imports(request):
    return jobs.list_jobs(actor=current_actor(request), kinds=IMPORT_KINDS)


@router.get(
    "/catalog/imports/{job_id}",
    response={200: ImportJobOut, **ERRORS},
    summary="An import's progress, its per-row errors or its result",
)
@allow(MERCHANT_MEMBER)
def get_import(request, job_id: int = RowId):
    return jobs.get_job(actor=current_actor(request), job_id=job_id, kinds=IMPORT_KINDS)
