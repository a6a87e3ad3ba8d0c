"""Operator portal: editions and their rules, the review queue, the review page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tradelane.core.access import OPERATOR_ADMIN, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError, Forbidden, NotFound
from tradelane.markets.selectors import list_markets

from .. import selectors, services
from ..eligibility import RuleCode
from ..forms import (
    DECISIONS,
    DecisionForm,
    EditionForm,
    QueueFilterForm,
    RuleForm,
    add_domain_error,
)
from ..states import ApplicationStatus

QUEUE_PAGE_SIZE = 25


def _editions_page(request, *, form=None, status=200):
    return TemplateResponse(
        request,
        "merchants/ops_editions.html",
        {
            "editions": selectors.list_editions(),
            "form": form or EditionForm(markets=list_markets()),
            "can_edit": OPERATOR_ADMIN.permits(current_actor(request)),
            "today": selectors.today(),
        },
        status=status,
    )


@allow(OPERATOR_MEMBER)
@require_http_methods(["GET", "POST"])
def editions(request):
    if request.method == "GET":
        return _editions_page(request)
    actor = current_actor(request)
    if not OPERATOR_ADMIN.permits(actor):
        raise Forbidden(_("Only operator admins can create editions."))
    form = EditionForm(request.POST, markets=list_markets())
    if form.is_valid():
        try:
            edition = services.create_edition(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Edition %(name)s created.") % {"name": edition.name})
            return redirect("merchants:ops_edition", edition_id=edition.pk)
    return _editions_page(request, form=form, status=422)


def _edition_page(request, edition, *, form=None, rule_forms=None, status=200):
    rules = selectors.list_rules(edition)
    rule_forms = rule_forms or {}
    rows = [
        (
            rule,
            RuleCode(rule.code).label,
            rule_forms.get(rule.code)
            or RuleForm(
                prefix=rule.code,
                initial={k: getattr(rule, k) for k in ("enabled", "weight", "pass_at", "warn_at")},
            ),
        )
        for rule in rules
    ]
    codes = selectors.edition_market_codes(edition)
    return TemplateResponse(
        request,
        "merchants/ops_edition.html",
        {
            "edition": edition,
            "codes": codes,
            "form": form
            or EditionForm(initial=EditionForm.initial_for(edition, codes), markets=list_markets()),
            "rows": rows,
            "can_edit": OPERATOR_ADMIN.permits(current_actor(request)),
            "entries": selectors.list_edition_audit(edition),
        },
        status=status,
    )


@allow(OPERATOR_MEMBER)
@require_http_methods(["GET", "POST"])
def edition(request, edition_id: int):
    edition = selectors.get_edition(edition_id)
    if request.method == "GET":
        return _edition_page(request, edition)
    actor = current_actor(request)
    if not OPERATOR_ADMIN.permits(actor):
        raise Forbidden(_("Only operator admins can edit editions."))
    form = EditionForm(request.POST, markets=list_markets())
    if form.is_valid():
        try:
            services.update_edition(actor=actor, edition_id=edition.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Edition saved."))
            return redirect("merchants:ops_edition", edition_id=edition.pk)
    return _edition_page(request, selectors.get_edition(edition_id), form=form, status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def edition_rule(request, edition_id: int, code: str):
    edition = selectors.get_edition(edition_id)
    if code not in RuleCode.values:
        raise NotFound(_("No such rule."))
    form = RuleForm(request.POST, prefix=code)
    if form.is_valid():
        try:
            services.update_rule(
                actor=current_actor(request), edition_id=edition.pk, code=code, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Rule %(rule)s saved.") % {"rule": RuleCode(code).label})
            return redirect("merchants:ops_edition", edition_id=edition.pk)
    return _edition_page(request, edition, rule_forms={code: form}, status=422)


# --- review -----------------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def queue(request):
    editions = list(selectors.list_editions())
    filters = QueueFilterForm(request.GET or None, editions=editions)
    args = {}
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        args = {
            "edition_id": data["edition"],
            "status": data["status"] or None,
            "market": data["market"] or None,
            "min_score": data["min_score"],
            "max_score": data["max_score"],
        }
    try:
        rows = selectors.list_review_queue(**args)
    except DomainError as error:
        add_domain_error(filters, error)
        rows = selectors.list_review_queue()
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "merchants/ops_queue.html", {"filters": filters, "page": page})


def _review_page(request, application, *, form=None, status=200):
    return TemplateResponse(
        request,
        "merchants/ops_application.html",
        {
            "application": application,
            "target_codes": selectors.target_codes(application),
            "eligibility": selectors.evaluate_application(application),
            "history": selectors.list_application_history(application),
            "form": form or DecisionForm(),
            "decidable": application.status == ApplicationStatus.SUBMITTED,
            "warehouses": application.warehouses.all(),
        },
        status=status,
    )


@allow(OPERATOR_MEMBER)
def review(request, application_id: int):
    return _review_page(request, selectors.get_application_for_review(application_id))


@allow(OPERATOR_MEMBER)
@require_POST
def decide(request, application_id: int):
    application = selectors.get_application_for_review(application_id)
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in DECISIONS:
        form.add_error(None, _("Choose approve, request changes or reject."))
    if form.is_valid():
        actor = current_actor(request)
        note = form.cleaned_data["note"]
        try:
            if decision == ApplicationStatus.APPROVED:
                services.approve_application(actor=actor, application_id=application.pk, note=note)
            elif decision == ApplicationStatus.REJECTED:
                services.reject_application(
                    actor=actor, application_id=application.pk, reasons=note
                )
            else:
                services.request_changes(actor=actor, application_id=application.pk, note=note)
        except DomainError as error:
            if error.status == 404:
                raise
            form.add_error("note", error.message)
        else:
            messages.success(
                request,
                _("Application #%(id)s: %(status)s.")
                % {"id": application.pk, "status": ApplicationStatus(decision).label},
            )
            return redirect("merchants:ops_application", application_id=application.pk)
    return _review_page(
        request, selectors.get_application_for_review(application_id), form=form, status=422
    )
