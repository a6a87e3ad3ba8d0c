"""Returns pages: inspection, disposition, refunds, consolidations (operators).

The return detail (every portal) shows the inspection panel (`{% inspection_panel r %}`:
grade, options with their numbers, the choice, the settlement and refund); operators get
the grade and confirm forms in it. The actions here post to one service each and, on a
refusal, show the same page with the error next to its field (422)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.catalog.forms import add_domain_error
from tradelane.core.access import OPERATOR_ADMIN, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError
from tradelane.core.money import Money
from tradelane.returns.models import Consolidation

from .. import inspection as services
from .. import selectors, settlement
from ..disposition import PREFERENCE
from ..inspection import MAX_DEROGATION, MAX_NOTES
from ..states import Disposition, Grade

PAGE_SIZE = 25


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=gettext_lazy("Grade"), choices=Grade.choices)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        max_length=MAX_NOTES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    disposition = forms.ChoiceField(
        label=gettext_lazy("Disposition"),
        choices=[(d, Disposition(d).label) for d in PREFERENCE],
    )
    derogation = forms.CharField(
        label=gettext_lazy("Derogation (when destroying is otherwise forbidden)"),
        max_length=MAX_DEROGATION,
        required=False,
    )


def _page(request, return_id: int, *, status: int = 200, **forms_):
    row = selectors.get_return(actor=current_actor(request), return_id=return_id)
    return TemplateResponse(
        request,
        "returns/inspection_return.html",
        {
            "r": row,
            "history": list(selectors.history_of(row)),
            "evidence": list(selectors.evidence_of(row)),
            **forms_,
        },
        status=status,
    )


def _done(request, return_id: int, message: str):
    messages.success(request, message)
    return redirect("returns:ops_return", return_id=return_id)


@allow(OPERATOR_MEMBER)
def inspection_queue(request):
    """Returns at the return point, oldest first; those graded and awaiting confirmation;
    refunds that failed."""
    actor = current_actor(request)
    page = Paginator(services.inspection_queue(actor=actor), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "returns/inspection_queue.html",
        {
            "page": page,
            "inspected": list(services.awaiting_confirmation(actor=actor)[:50]),
            "failed": list(services.failed_refunds(actor=actor)[:50]),
        },
    )


@allow(OPERATOR_MEMBER)
def inspection_return(request, return_id: int):
    return _page(request, return_id)


@require_POST
@allow(OPERATOR_MEMBER)
def grade(request, return_id: int):
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.inspect_return(
                actor=current_actor(request),
                return_id=return_id,
                grade=form.cleaned_data["grade"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_error(form, error)
        else:
            return _done(request, return_id, _("Graded; a disposition is proposed."))
    return _page(request, return_id, status=422, grade_form=form)


@require_POST
@allow(OPERATOR_MEMBER)
def confirm(request, return_id: int):
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            row = services.confirm_disposition(
                actor=current_actor(request),
                return_id=return_id,
                disposition=form.cleaned_data["disposition"],
                derogation=form.cleaned_data["derogation"],
            )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_error(form, error)
        else:
            return _done(
                request,
                return_id,
                _("Disposition confirmed; refund %(total)s.")
                % {"total": Money(row.total, row.currency).format(get_language() or "en")},
            )
    return _page(request, return_id, status=422, confirm_form=form)


@require_POST
@allow(OPERATOR_ADMIN)
def retry_refund(request, return_id: int):
    try:
        row = settlement.retry_refund(actor=current_actor(request), return_id=return_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        if row.refund_status == settlement.RefundState.SUCCEEDED:
            messages.success(request, _("Refund issued."))
        else:
            messages.error(request, row.refund_message or _("The refund did not succeed."))
    return redirect("returns:ops_return", return_id=return_id)


@allow(OPERATOR_MEMBER)
def consolidations(request):
    actor = current_actor(request)
    status = request.GET.get("status") or None
    if status not in Consolidation.Status.values:
        status = None
    merchant = request.GET.get("merchant") or ""
    merchant_id = int(merchant) if merchant.isdigit() and len(merchant) < 19 else None
    rows = services.list_consolidations(actor=actor, status=status, merchant_id=merchant_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "returns/inspection_consolidations.html",
        {
            "page": page,
            "status": status,
            "statuses": Consolidation.Status.choices,
            "merchant_id": merchant_id,
        },
    )


@require_POST
@allow(OPERATOR_MEMBER)
def ship(request, consolidation_id: int):
    try:
        row = services.ship_consolidation(
            actor=current_actor(request), consolidation_id=consolidation_id
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Consolidation %(id)s shipped: %(tracking)s.")
            % {"id": row.pk, "tracking": row.tracking_number},
        )
    return redirect("returns:consolidations")
