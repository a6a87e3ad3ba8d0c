"""Fully-managed listings: the merchant's comparison of both models on one SKU (and its
supply prices), and the operators' page to set retail prices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tradelane.core.access import MERCHANT_MEMBER, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError
from tradelane.markets import selectors as markets

from .. import managed
from ..forms import RetailPriceForm, SupplyPriceForm, add_domain_error
from ..services import managed as services


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def compare(request, sku_id: int):
    """Same SKU, both models: own price (semi-managed) against supply and retail prices
    (fully-managed), with the margin of each; the form sets a supply price."""
    actor = current_actor(request)
    sku, fully, rows = managed.compare_models(actor=actor, sku_id=sku_id)
    live = list(markets.list_markets())
    form = SupplyPriceForm(request.POST or None, markets=live)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        currency = next(m.currency for m in live if m.code == data["market"])
        try:
            services.set_supply_price(
                actor=actor,
                sku_id=sku.pk,
                market_code=data["market"],
                currency=currency,
                supply_price=data["supply_price"],
                unit_cost=data["unit_cost"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Supply price of %(sku)s in %(market)s saved.")
                % {"sku": sku.code, "market": data["market"]},
            )
            return redirect("catalog:compare", sku_id=sku.pk)
    return TemplateResponse(
        request,
        "catalog/compare.html",
        {"sku": sku, "fully_managed": fully, "rows": rows, "form": form},
        status=422 if form.errors else 200,
    )


@allow(OPERATOR_MEMBER)
def ops_offers(request):
    """Supply prices of merchants' SKUs with their retail price; pending ones first if
    asked. A constant number of queries per page."""
    actor = current_actor(request)
    market = (request.GET.get("market") or "")[:2] or None
    pending = request.GET.get("pending") == "1"
    offers = managed.list_offers(actor=actor, market=market, pending_only=pending)
    page = Paginator(offers, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "catalog/ops_offers.html",
        {
            "page": page,
            "rows": [(o, _fully(o)) for o in page.object_list],
            "market": market or "",
            "pending": pending,
            "markets": markets.list_markets(),
            "form": RetailPriceForm(),
        },
    )


def _fully(offer) -> bool:
    profile = getattr(offer.sku.organisation, "merchant_profile", None)
    return bool(profile and profile.operating_model == "fully_managed")


@allow(OPERATOR_MEMBER)
@require_POST
def ops_set_retail(request, offer_id: int):
    actor = current_actor(request)
    offer = managed.get_offer(actor=actor, offer_id=offer_id)
    form = RetailPriceForm(request.POST)
    if form.is_valid():
        try:
            services.set_retail_price(
                actor=actor,
                sku_id=offer.sku_id,
                market_code=offer.market_id,
                currency=offer.currency,
                retail_price=form.cleaned_data["retail_price"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Retail price of %(sku)s in %(market)s saved.")
                % {"sku": offer.sku.code, "market": offer.market_id},
            )
            return redirect("catalog:ops_offer", offer_id=offer.pk)
    return TemplateResponse(
        request,
        "catalog/ops_offer.html",
        {
            "offer": offer,
            "fully_managed": _fully(offer),
            "form": form,
            "history": managed.offer_history(offer),
        },
        status=422,
    )


@allow(OPERATOR_MEMBER)
def ops_offer(request, offer_id: int):
    actor = current_actor(request)
    offer = managed.get_offer(actor=actor, offer_id=offer_id)
    initial = {"retail_price": offer.retail_price} if offer.retail_price else {}
    return TemplateResponse(
        request,
        "catalog/ops_offer.html",
        {
            "offer": offer,
            "fully_managed": _fully(offer),
            "form": RetailPriceForm(initial=initial),
            "history": managed.offer_history(offer),
        },
    )
