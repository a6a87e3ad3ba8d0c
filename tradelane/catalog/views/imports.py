"""Merchant portal: CSV import (small files at once, big ones as a job with a progress bar
polled by HTMX), the import's page, recent imports, CSV export."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from tradelane.core import jobs
from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError, InvalidInput, NotFound

from .. import bulk, tasks
from ..forms import CsvUploadForm, add_domain_error

RECENT = 10
POLL_SECONDS = 1


def _kind(kind: str) -> bulk.ImportKind:
    spec = bulk.KINDS.get(kind)
    if spec is None:
        raise NotFound()
    return spec


def _recent(actor, spec: bulk.ImportKind) -> list:
    return list(jobs.list_jobs(actor=actor, kinds=[spec.job_kind])[:RECENT])


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def bulk_import(request, kind: str):
    """CSV upload with a per-row error report; all-or-nothing. Up to tasks.ASYNC_ROWS rows
    are applied at once; a bigger file becomes a background job whose progress the page
    polls. HTMX posts show the upload's progress and swap in the result."""
    spec = _kind(kind)
    actor = current_actor(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "kind": kind,
        "columns": spec.columns,
        "result": None,
        "errors": [],
        "job": None,
        "async_rows": tasks.ASYNC_ROWS,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > bulk.MAX_BYTES:
                raise InvalidInput("The file is too large.", field="file", code="file_too_large")
            spec, text, rows = tasks.prepare_import(
                actor=actor, kind=kind, data=upload.read(bulk.MAX_BYTES + 1)
            )
            if len(rows) > tasks.ASYNC_ROWS:
                job = tasks.queue_import(
                    actor=actor, spec=spec, text=text, rows=rows, name=upload.name or ""
                )
                if not request.htmx:
                    return redirect("catalog:import_job", job_id=job.pk)
                context["job"] = jobs.get_job(actor=actor, job_id=job.pk)
                status = 202
            else:
                valid = spec.validate(actor=actor, rows=rows)
                context["result"] = bulk.ImportResult(
                    rows=len(rows), changed=spec.apply(actor=actor, valid=valid)
                )
        except bulk.RowErrors as error:
            context["errors"], status = error.errors_by_row, 422
        except DomainError as error:
            add_domain_error(form, error)
            status = 422
    elif request.method == "POST":
        status = 422
    if request.htmx and request.method == "POST":
        return TemplateResponse(request, "catalog/_import_result.html", context, status=status)
    context["recent"] = _recent(actor, spec)
    return TemplateResponse(request, "catalog/import.html", context, status=status)


@allow(MERCHANT_MEMBER)
def import_job(request, job_id: int):
    """One import: a progress bar while it runs (HTMX polls the partial every second), then
    the per-row errors or the summary. Another organisation's import is 404."""
    job = jobs.get_job(actor=current_actor(request), job_id=job_id, kinds=bulk.JOB_KINDS)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    spec = bulk.JOB_KINDS[job.kind]
    context = {"job": job, "kind": spec.name, "poll_seconds": POLL_SECONDS}
    if request.htmx:
        return TemplateResponse(request, "catalog/_import_job.html", context)
    return TemplateResponse(request, "catalog/import_job.html", context)


@allow(MERCHANT_MEMBER)
def bulk_export(request, kind: str):
    actor = current_actor(request)
    if kind == "prices":
        text = bulk.export_prices(actor=actor)
    elif kind == "stock":
        text = bulk.export_stock(actor=actor)
    else:
        raise NotFound()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response
