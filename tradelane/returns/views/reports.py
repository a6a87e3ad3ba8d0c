"""Return-rate pages: the merchant's rate per SKU (`/merchant/returns/rates/`) and the
operator's rates by merchant and by top-level category, as charts with their tables
(`/ops/returns/rates/`). Thin: validate the filters through `reports`, read, render; a bad
filter re-renders the page with a 422 and the message next to the field it names."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tradelane.core.access import MERCHANT_MEMBER, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import InvalidInput
from tradelane.markets.selectors import list_markets

from .. import charts, reports

PAGE_SIZE = 25
SORT_LABELS = {
    "rate": gettext_lazy("Return rate, highest first"),
    "returned": gettext_lazy("Units returned, most first"),
    "delivered": gettext_lazy("Units delivered, most first"),
    "name": gettext_lazy("Name, A to Z"),
}


def _filters(request, *, market: bool):
    """(window, sort, errors): the defaults where a value is refused, and the refusals by
    field."""
    errors = {}
    get = request.GET
    try:
        window = reports.window(
            period=get.get("period"), market=get.get("market") if market else None
        )
    except InvalidInput as error:
        errors[error.field] = error.message
        window = None
    try:
        sort = reports.check_sort(get.get("sort"))
    except InvalidInput as error:
        errors[error.field] = error.message
        sort = reports.DEFAULT_SORT
    return window, sort, errors


def _context(request, window, sort, errors, **extra) -> dict:
    return {
        "window": window,
        "period": window.days if window else request.GET.get("period", ""),
        "market": window.market if window else request.GET.get("market", ""),
        "sort": sort,
        "periods": reports.PERIODS,
        "sorts": list(SORT_LABELS.items()),
        "errors": errors,
        **extra,
    }


@allow(MERCHANT_MEMBER)
def merchant_rates(request):
    """Your return rate per SKU over the period, highest first by default."""
    window, sort, errors = _filters(request, market=False)
    page = None
    if not errors:
        rows = reports.sku_rates(actor=current_actor(request), window=window, sort=sort)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "returns/report_merchant_rates.html",
        _context(request, window, sort, errors, page=page),
        status=422 if errors else 200,
    )


@allow(OPERATOR_MEMBER)
def ops_rates(request):
    """Return rates by merchant (paginated, the page's merchants charted) and by top-level
    category, in a market or all, over the period."""
    actor = current_actor(request)
    window, sort, errors = _filters(request, market=True)
    page = categories = merchant_chart = category_chart = None
    if not errors:
        rows = reports.merchant_rates(actor=actor, window=window, sort=sort)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        categories = reports.category_rates(actor=actor, window=window, sort=sort)
        merchant_chart = charts.rate_chart(
            list(page), chart_id="return-rate-merchants", title=_("Return rate by merchant")
        )
        category_chart = charts.rate_chart(
            categories, chart_id="return-rate-categories", title=_("Return rate by category")
        )
    return TemplateResponse(
        request,
        "returns/report_ops_rates.html",
        _context(
            request,
            window,
            sort,
            errors,
            page=page,
            categories=categories,
            merchant_chart=merchant_chart,
            category_chart=category_chart,
            markets=list_markets(),
        ),
        status=422 if errors else 200,
    )
