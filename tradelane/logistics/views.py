"""Pages: the merchant's "what my buyer pays" calculator and the operator's network."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tradelane.catalog import search as catalog_search
from tradelane.catalog import selectors as catalog
from tradelane.core.access import (
    ANY_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    allow,
    current_actor,
)
from tradelane.core.errors import DomainError, Forbidden, NotFound
from tradelane.markets import selectors as markets
from tradelane.markets import selectors as markets_selectors

from . import quoting, selectors, services, sku_calculator, sku_quotes
from .forms import (
    DeliveredCostForm,
    DutyRateForm,
    EndForm,
    GoodsLineFormSet,
    QuoteForm,
    RevisionForm,
    SkuPickForm,
    add_domain_error,
)
from .models import Tier

PAGE_SIZE = 50


def _markets():
    return [lane.destination for lane in selectors.list_lanes() if lane.active]


SKU_CHOICES = 500  # the picker's select; any of the merchant's SKUs may still be given by id


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def calculator(request):
    markets = _markets()
    quote, status, picked, tier = None, 200, None, ""
    actor = current_actor(request)
    skus = catalog.list_skus(actor=actor)[:SKU_CHOICES]
    pick = SkuPickForm(
        request.GET if "sku" in request.GET else None,
        skus=skus,
        markets=markets,
        auto_id="pick_%s",  # the page also has the calculator's own market and postal code
    )
    if request.method == "GET" and pick.is_bound:
        form, lines = None, None
        if pick.is_valid():
            data = pick.cleaned_data
            tier = data["tier"]
            try:
                picked = sku_calculator.pick_sku(
                    actor=actor,
                    sku_id=data["sku"],
                    market=data["market"],
                    quantity=data["quantity"],
                )
                market = markets_selectors.get_market(data["market"])
                postal_code = data["postal_code"] or market.postal_code_example
                quote = quoting.quote_landed_cost(
                    market=market.code,
                    postal_code=postal_code,
                    lines=[picked.goods],
                    warehouse=picked.warehouse,
                )
            except NotFound:
                raise  # another merchant's SKU: a 404 page, nothing about it shown
            except DomainError as error:
                add_domain_error(pick, error)
                status = 422
            else:
                form = QuoteForm(
                    markets=markets, initial={"market": market.code, "postal_code": postal_code}
                )
                lines = GoodsLineFormSet(prefix="lines", initial=[picked.line_initial()])
        else:
            status = 422
        if form is None:
            form = QuoteForm(markets=markets, initial={"market": "DE", "postal_code": "10115"})
            lines = GoodsLineFormSet(prefix="lines")
    elif request.method == "POST":
        form = QuoteForm(request.POST, markets=markets)
        lines = GoodsLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and lines.is_valid():
            goods = [f.goods_line() for f in lines.forms if f.cleaned_data]
            try:
                quote = quoting.quote_landed_cost(
                    market=form.cleaned_data["market"],
                    postal_code=form.cleaned_data["postal_code"],
                    lines=goods,
                    buyer_kind=form.cleaned_data["buyer_type"],
                    buyer_tax_id=form.cleaned_data["buyer_tax_id"] or None,
                    incoterm=form.cleaned_data["incoterm"],
                    quoted_at=form.quoted_at(),
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 422
        else:
            status = 422
    else:
        form = QuoteForm(markets=markets, initial={"market": "DE", "postal_code": "10115"})
        lines = GoodsLineFormSet(prefix="lines")
    context = {
        "form": form,
        "lines": lines,
        "quote": quote,
        "pick": pick,
        "picked": picked,
        "tier": tier,
    }
    template = "logistics/_calculator.html" if request.htmx else "logistics/calculator.html"
    return TemplateResponse(request, template, context, status=status)


@allow(ANY_MEMBER)
@require_GET
def delivered_cost(request, market: str, sku_id: int):
    """The product page's "Delivered cost" panel (HTMX partial): three tiers' totals and
    delivery windows for a quantity of one SKU to a postal code of the page's market."""
    market_obj = markets.get_market(market)
    sku, price = catalog_search.get_storefront_sku(market=market_obj.code, sku_id=sku_id)
    quote, status = None, 200
    if "postal_code" in request.GET:
        form = DeliveredCostForm(request.GET)
        if form.is_valid():
            try:
                quote = sku_quotes.quote_skus(
                    market=market_obj.code,
                    postal_code=form.cleaned_data["postal_code"],
                    lines=[sku_quotes.SkuLine(sku.pk, form.cleaned_data["quantity"])],
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = 422
        else:
            status = 422
    else:
        form = DeliveredCostForm(
            initial={"quantity": price.moq, "postal_code": market_obj.postal_code_example}
        )
    if request.htmx and status == 422:
        status = 200  # HTMX swaps only 2xx: the errors are shown inline in the partial
    return TemplateResponse(
        request,
        "logistics/_delivered_cost.html",
        {"form": form, "quote": quote, "market": market_obj, "sku": sku},
        status=status,
    )


# --- operator ------------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def ops_rate_cards(request):
    market = (request.GET.get("market") or "").upper()[:2] or None
    tier = request.GET.get("tier") if request.GET.get("tier") in Tier.values else None
    page = Paginator(selectors.list_rate_cards(market=market, tier=tier), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "logistics/ops_rate_cards.html",
        {
            "page": page,
            "market": market or "",
            "tier": tier or "",
            "tiers": Tier.choices,
            "markets": _markets(),
        },
    )


@allow(OPERATOR_MEMBER)
@require_http_methods(["GET", "POST"])
def ops_rate_card(request, card_id: int):
    card = selectors.get_rate_card(card_id)
    can_edit = OPERATOR_ADMIN.permits(current_actor(request))
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise Forbidden(_("Only operator admins can revise rate cards."))
        form = RevisionForm(request.POST)
        if form.is_valid():
            try:
                new = services.revise_rate_card(
                    actor=current_actor(request),
                    card_id=card.pk,
                    effective_from=form.cleaned_data["effective_from"],
                    changes=form.changes(card),
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("New version from %(day)s saved.") % {"day": new.effective_from}
                )
                return redirect("logistics:ops_rate_card", card_id=new.pk)
        status = 422
    else:
        form = RevisionForm(initial=RevisionForm.initial_for(card))
    return TemplateResponse(
        request,
        "logistics/ops_rate_card.html",
        {
            "card": card,
            "form": form,
            "can_edit": can_edit,
            "versions": selectors.list_rate_cards(market=card.lane.destination_id, tier=card.tier),
        },
        status=status,
    )


def _duty_page(request, *, form=None, status=200):
    market = (request.GET.get("market") or "").upper()[:2] or None
    hs = (request.GET.get("hs") or "")[:16] or None
    page = Paginator(selectors.list_duty_rates(market=market, hs=hs), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "logistics/ops_duty_rates.html",
        {
            "page": page,
            "market": market or "",
            "hs": hs or "",
            "markets": _markets(),
            "form": form or DutyRateForm(),
            "end_form": EndForm(),
            "can_edit": OPERATOR_ADMIN.permits(current_actor(request)),
            "entries": selectors.list_network_audit(limit=20),
        },
        status=status,
    )


@allow(OPERATOR_MEMBER)
@require_http_methods(["GET", "POST"])
def ops_duty_rates(request):
    if request.method == "GET":
        return _duty_page(request)
    if not OPERATOR_ADMIN.permits(current_actor(request)):
        raise Forbidden(_("Only operator admins can change duty rates."))
    form = DutyRateForm(request.POST)
    if form.is_valid():
        try:
            services.add_duty_rate(actor=current_actor(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Duty rate added."))
            return redirect("logistics:ops_duty_rates")
    return _duty_page(request, form=form, status=422)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_duty_rate_end(request, rate_id: int):
    row = selectors.get_duty_rate(rate_id)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.end_duty_rate(
                actor=current_actor(request),
                rate_id=row.pk,
                effective_to=form.cleaned_data["effective_to"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Duty rate ends on %(day)s.") % {"day": form.cleaned_data["effective_to"]},
            )
    else:
        messages.error(request, _("Give a valid end date."))
    return redirect("logistics:ops_duty_rates")
