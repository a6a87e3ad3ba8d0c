"""Merchant portal: the program, the application with live eligibility, warehouses,
profile and operating model."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tradelane.core.access import MERCHANT_MEMBER, MERCHANT_OWNER, allow, current_actor
from tradelane.core.errors import DomainError

from .. import selectors, services
from ..forms import ApplicationForm, ProfileForm, WarehouseForm, add_domain_error
from ..states import EDITABLE


@allow(MERCHANT_MEMBER)
def program(request):
    actor = current_actor(request)
    day = selectors.today()
    applications = list(selectors.list_applications(actor=actor))
    applied = {a.edition_id: a for a in applications}
    recruiting = [
        (edition, applied.get(edition.pk)) for edition in selectors.list_editions(recruiting_on=day)
    ]
    admissions = list(selectors.list_admissions(actor.organisation_id))
    return TemplateResponse(
        request,
        "merchants/program.html",
        {
            "recruiting": recruiting,
            "applications": applications,
            "admissions": admissions,
            "active_markets": selectors.list_active_markets(actor.organisation_id, on=day),
            "has_warehouse": selectors.list_warehouses(actor=actor, active=True).exists(),
            "today": day,
        },
    )


@allow(MERCHANT_MEMBER)
@require_POST
def start_application(request, edition_id: int):
    actor = current_actor(request)
    try:
        application = services.start_application(actor=actor, edition_id=edition_id)
    except DomainError as error:
        if error.status == 404:
            raise
        existing = selectors.find_application(actor=actor, edition_id=edition_id)
        if existing is not None:
            return redirect("merchants:application", application_id=existing.pk)
        messages.error(request, error.message)
        return redirect("merchants:program")
    return redirect("merchants:application", application_id=application.pk)


def _application_page(request, application, *, form=None, eligibility=None, status=200):
    actor = current_actor(request)
    editable = application.status in EDITABLE
    codes = selectors.target_codes(application)
    if form is None and editable:
        form = ApplicationForm(
            initial=ApplicationForm.initial_for(application, codes),
            markets=application.edition.markets.all(),
            warehouses=selectors.list_warehouses(actor=actor),
        )
    return TemplateResponse(
        request,
        "merchants/application.html",
        {
            "application": application,
            "form": form,
            "editable": editable,
            "target_codes": codes,
            "eligibility": eligibility or selectors.evaluate_application(application),
            "history": selectors.list_application_history(application),
            "has_warehouse": selectors.list_warehouses(actor=actor).exists(),
        },
        status=status,
    )


def _bound_form(request, application):
    return ApplicationForm(
        request.POST,
        markets=application.edition.markets.all(),
        warehouses=selectors.list_warehouses(actor=current_actor(request)),
    )


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def application(request, application_id: int):
    actor = current_actor(request)
    application = selectors.get_application(actor=actor, application_id=application_id)
    if request.method == "GET":
        return _application_page(request, application)
    form = _bound_form(request, application)
    submitting = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            if submitting:
                services.submit_application(
                    actor=actor, application_id=application.pk, **form.answers()
                )
            else:
                services.update_application(
                    actor=actor, application_id=application.pk, **form.answers()
                )
        except DomainError as error:
            if error.status == 404:
                raise
            add_domain_error(form, error)
        else:
            if submitting:
                messages.success(request, _("Application submitted: we will review it shortly."))
            else:
                messages.success(request, _("Draft saved. You can come back to it any time."))
            return redirect("merchants:application", application_id=application.pk)
    application = selectors.get_application(actor=actor, application_id=application_id)
    preview = selectors.preview_for(application, form.cleaned_data if form.is_valid() else {})
    return _application_page(request, application, form=form, eligibility=preview, status=422)


@allow(MERCHANT_MEMBER)
@require_POST
def eligibility(request, application_id: int):
    """HTMX partial: eligibility for the answers on screen (nothing is saved)."""
    application = selectors.get_application(
        actor=current_actor(request), application_id=application_id
    )
    form = _bound_form(request, application)
    form.is_valid()  # invalid answers count as not answered yet
    answers = {k: v for k, v in form.cleaned_data.items()}
    if "other_marketplaces" in answers:
        answers["other_marketplaces"] = [
            x.strip() for x in answers["other_marketplaces"].split(",") if x.strip()
        ]
    result = selectors.preview_for(application, answers)
    return TemplateResponse(request, "merchants/_eligibility.html", {"eligibility": result})


# --- warehouses -------------------------------------------------------------------------------


@allow(MERCHANT_MEMBER)
def warehouses(request):
    return TemplateResponse(
        request,
        "merchants/warehouses.html",
        {"warehouses": selectors.list_warehouses(actor=current_actor(request))},
    )


def _save_warehouse(request, form, warehouse_id=None):
    actor = current_actor(request)
    if not form.is_valid():
        return None
    try:
        if warehouse_id is None:
            return services.create_warehouse(actor=actor, **form.cleaned_data)
        return services.update_warehouse(
            actor=actor, warehouse_id=warehouse_id, **form.cleaned_data
        )
    except DomainError as error:
        if error.status == 404:
            raise
        add_domain_error(form, error)
    return None


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def warehouse_new(request):
    form = WarehouseForm(request.POST or None)
    if request.method == "POST":
        warehouse = _save_warehouse(request, form)
        if warehouse is not None:
            messages.success(
                request, _("Warehouse %(name)s registered.") % {"name": warehouse.name}
            )
            return redirect("merchants:warehouses")
    return TemplateResponse(
        request,
        "merchants/warehouse_form.html",
        {"form": form, "warehouse": None},
        status=422 if form.errors else 200,
    )


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def warehouse_edit(request, warehouse_id: int):
    warehouse = selectors.get_warehouse(actor=current_actor(request), warehouse_id=warehouse_id)
    if request.method == "GET":
        form = WarehouseForm(initial=WarehouseForm.initial_for(warehouse))
    else:
        form = WarehouseForm(request.POST)
        saved = _save_warehouse(request, form, warehouse.pk)
        if saved is not None:
            messages.success(request, _("Warehouse %(name)s saved.") % {"name": saved.name})
            return redirect("merchants:warehouses")
    return TemplateResponse(
        request,
        "merchants/warehouse_form.html",
        {"form": form, "warehouse": warehouse},
        status=422 if form.errors else 200,
    )


# --- profile ----------------------------------------------------------------------------------


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def profile(request):
    actor = current_actor(request)
    current = selectors.get_profile(actor.organisation)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(current))
    if request.method == "POST":
        if not MERCHANT_OWNER.permits(actor):
            form.add_error(None, _("Only the merchant's owners can edit the profile."))
        elif form.is_valid():
            try:
                services.update_profile(actor=actor, **form.values())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("merchants:profile")
    return TemplateResponse(
        request,
        "merchants/profile.html",
        {
            "form": form,
            "profile": current,
            "can_edit": MERCHANT_OWNER.permits(actor),
            "admissions": selectors.list_admissions(actor.organisation_id),
            "today": selectors.today(),
        },
        status=422 if form.errors else 200,
    )
