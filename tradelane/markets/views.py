"""Pages: the public market guide and the operator's market and FX screens."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tradelane.core.access import OPERATOR_ADMIN, OPERATOR_MEMBER, PUBLIC, allow, current_actor
from tradelane.core.errors import DomainError, Forbidden

from . import charts, selectors, services
from .forms import (
    EcbUploadForm,
    EndForm,
    FeeForm,
    FxFilterForm,
    FxRateForm,
    MarketForm,
    StatusForm,
    TaxRegimeForm,
    add_domain_error,
)
from .states import MarketStatus

FX_PAGE_SIZE = 50


def _status_filter(request) -> str | None:
    status = request.GET.get("status") or None
    return status if status in MarketStatus.values else None


@allow(PUBLIC)
def market_list(request):
    status = _status_filter(request)
    markets = selectors.list_markets_with_regime(status)
    return TemplateResponse(
        request,
        "markets/list.html",
        {
            "markets": markets,
            "rate_chart": charts.standard_rate_chart(markets) if markets else "",
            "status": status,
            "statuses": MarketStatus.choices,
            "today": timezone.localdate(),
        },
    )


def _market_context(market) -> dict:
    today = timezone.localdate()
    return {
        "market": market,
        "regime": selectors.get_tax_regime(market, on=today),
        "regimes": selectors.list_tax_regimes(market),
        "fees_now": selectors.list_fees(market, on=today),
        "fees": selectors.list_all_fees(market),
        "today": today,
    }


@allow(PUBLIC)
def market_detail(request, code: str):
    market = selectors.get_market(code)
    return TemplateResponse(request, "markets/detail.html", _market_context(market))


# --- operator -------------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def ops_market_list(request):
    status = _status_filter(request)
    return TemplateResponse(
        request,
        "markets/ops_list.html",
        {
            "markets": selectors.list_markets_with_regime(status),
            "status": status,
            "statuses": MarketStatus.choices,
        },
    )


def _ops_detail(
    request,
    market,
    *,
    form=None,
    status_form=None,
    regime_form=None,
    fee_form=None,
    end_error=None,
    status=200,
):
    context = _market_context(market)
    context.update(
        {
            "form": form or MarketForm(initial=MarketForm.initial_for(market)),
            "status_form": status_form or StatusForm(market=market),
            "regime_form": regime_form
            or TaxRegimeForm(market=market, initial=TaxRegimeForm.initial_for(context["regime"])),
            "fee_form": fee_form or FeeForm(market=market),
            "fee_ids_now": {fee.pk for fee in context["fees_now"]},
            "end_error": end_error,
            "can_edit": OPERATOR_ADMIN.permits(current_actor(request)),
            "history": selectors.list_status_changes(market),
            "entries": selectors.list_market_audit(market),
        }
    )
    return TemplateResponse(request, "markets/ops_detail.html", context, status=status)


@allow(OPERATOR_MEMBER)
@require_http_methods(["GET", "POST"])
def ops_market_detail(request, code: str):
    market = selectors.get_market(code)
    if request.method == "GET":
        return _ops_detail(request, market)
    actor = current_actor(request)
    if not OPERATOR_ADMIN.permits(actor):
        raise Forbidden(_("Only operator admins can edit markets."))
    form = MarketForm(request.POST)
    if form.is_valid():
        try:
            services.update_market(actor=actor, code=market.pk, **form.changes(market))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Market %(code)s saved.") % {"code": market.pk})
            return redirect("markets:ops_detail", code=market.pk)
    return _ops_detail(request, selectors.get_market(code), form=form, status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_market_status(request, code: str):
    market = selectors.get_market(code)
    form = StatusForm(request.POST, market=market)
    if form.is_valid():
        try:
            services.change_market_status(
                actor=current_actor(request),
                code=market.pk,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Market %(code)s is now %(status)s.")
                % {"code": market.pk, "status": MarketStatus(form.cleaned_data["status"]).label},
            )
            return redirect("markets:ops_detail", code=market.pk)
    return _ops_detail(request, market, status_form=form, status=422)


def _fx_page(request, *, rate_form=None, upload_form=None, status=200):
    filters = FxFilterForm(request.GET or None)
    rows = selectors.list_fx_rates()
    if filters.is_bound and filters.is_valid():
        data = filters.cleaned_data
        try:
            rows = selectors.list_fx_rates(
                base=data["base"] or None,
                quote=data["quote"] or None,
                as_of=data["as_of"],
                source=data["source"] or None,
            )
        except DomainError as error:
            add_domain_error(filters, error)
    page = Paginator(rows, FX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    if _wants_fx_table(request) and status == 200:
        context["partial"] = True
        response = TemplateResponse(request, "markets/_fx_table.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    response = TemplateResponse(
        request,
        "markets/ops_fx.html",
        {
            **context,
            "rate_form": rate_form or FxRateForm(initial={"as_of": timezone.localdate()}),
            "upload_form": upload_form or EcbUploadForm(),
            "can_edit": OPERATOR_ADMIN.permits(current_actor(request)),
        },
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _wants_fx_table(request) -> bool:
    """An htmx request aimed at the table (not a history restore, which needs the page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and htmx.target == "fx-table"


@allow(OPERATOR_MEMBER)
def ops_fx(request):
    return _fx_page(request)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_fx_set(request):
    form = FxRateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row, created = services.set_fx_rate(actor=current_actor(request), **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Saved: 1 %(base)s = %(rate)s %(quote)s on %(day)s.")
                % {"base": row.base, "rate": row.rate, "quote": row.quote, "day": row.as_of},
            )
            return redirect("markets:ops_fx")
    return _fx_page(request, rate_form=form, status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_fx_import(request):
    form = EcbUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.import_ecb_rates(
                form.cleaned_data["file"].read(),
                source=form.cleaned_data["source"].strip(),
                actor=current_actor(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Imported %(rates)s rates for %(days)s days (%(created)s new, %(updated)s changed)."
                )
                % {
                    "rates": result.rates,
                    "days": result.days,
                    "created": result.created,
                    "updated": result.updated,
                },
            )
            return redirect("markets:ops_fx")
    return _fx_page(request, upload_form=form, status=422)


# --- tax regimes and fees -------------------------------------------------------------------


@allow(OPERATOR_ADMIN)
@require_POST
def ops_regime_add(request, code: str):
    market = selectors.get_market(code)
    form = TaxRegimeForm(request.POST, market=market)
    if form.is_valid():
        try:
            regime = services.add_tax_regime(
                actor=current_actor(request), code=market.pk, **form.service_args()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Tax regime %(tax)s from %(day)s added.")
                % {"tax": regime.tax_name, "day": regime.effective_from.isoformat()},
            )
            return redirect("markets:ops_detail", code=market.pk)
    return _ops_detail(request, market, regime_form=form, status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_fee_add(request, code: str):
    market = selectors.get_market(code)
    form = FeeForm(request.POST, market=market)
    if form.is_valid():
        try:
            fee = services.add_fee(
                actor=current_actor(request), code=market.pk, **form.service_args()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Fee %(name)s from %(day)s added.")
                % {"name": fee.name, "day": fee.effective_from.isoformat()},
            )
            return redirect("markets:ops_detail", code=market.pk)
    return _ops_detail(request, market, fee_form=form, status=422)


def _end_row(request, code: str, kind: str, row_id: int):
    market = selectors.get_market(code)
    form = EndForm(request.POST)
    message = None
    if form.is_valid():
        end = services.end_tax_regime if kind == "regime" else services.end_fee
        key = "regime_id" if kind == "regime" else "fee_id"
        try:
            end(
                actor=current_actor(request),
                code=market.pk,
                effective_to=form.cleaned_data["effective_to"],
                **{key: row_id},
            )
        except DomainError as error:
            if error.status == 404:
                raise
            message = error.message
        else:
            messages.success(
                request,
                _("It ends on %(day)s.") % {"day": form.cleaned_data["effective_to"].isoformat()},
            )
            return redirect("markets:ops_detail", code=market.pk)
    else:
        message = form.errors["effective_to"][0]
    return _ops_detail(request, market, end_error=(kind, row_id, message), status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_regime_end(request, code: str, regime_id: int):
    return _end_row(request, code, "regime", regime_id)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_fee_end(request, code: str, fee_id: int):
    return _end_row(request, code, "fee", fee_id)
