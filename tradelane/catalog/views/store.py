"""Storefront pages: a market's search with filters, sort and pages; the product page."""

from __future__ import annotations

from dataclasses import asdict

from django.core.paginator import Page
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from tradelane.core.access import ANY_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError, NotFound
from tradelane.core.money import Money
from tradelane.markets import selectors as markets

from .. import search, selectors, storefront_cache

SORT_LABELS = ("relevance", "price_asc", "price_desc", "newest")


@allow(ANY_MEMBER)
def storefront_home(request):
    """The buyer's own market's storefront, else a choice of markets."""
    actor = current_actor(request)
    country = getattr(actor.organisation, "country", "") if actor else ""
    live = list(markets.list_markets())
    if country and any(m.code == country for m in live):
        return redirect("catalog:storefront", market=country)
    return TemplateResponse(request, "catalog/store_markets.html", {"markets": live})


@allow(ANY_MEMBER)
def storefront(request, market: str):
    """A market's search page. The result list (count and items) may come from
    `storefront_cache` (a few seconds old; checkout always re-prices); the rest of the page
    — form, navigation, CSRF token, pagination links — is rendered for this request."""
    market_obj = markets.get_market(market)
    query = request.GET.get("q", "")[:200]
    sort = request.GET.get("sort", "relevance")
    language = get_language()
    error = None
    try:
        filters = search.parse_filters(request.GET)
        results = _cached_results(
            market_obj,
            query=query,
            filters=filters,
            sort=sort if sort in search.SORTS else "relevance",
            page=_page_number(request.GET.get("page")),
            language=language,
        )
    except DomainError as exc:
        if exc.status == 404:
            raise
        error = exc
        results = _cached_results(
            market_obj,
            query="",
            filters=search.Filters(),
            sort="relevance",
            page=1,
            language=language,
        )
    paginator = search.CappedPaginator([], results["per_page"], count=results["count"])
    return TemplateResponse(
        request,
        "catalog/storefront.html",
        {
            "market": market_obj,
            "page": Page([], results["number"], paginator),
            "results_html": results["html"],
            "q": query,
            "sort": sort,
            "sorts": SORT_LABELS,
            "categories": selectors.list_categories(),
            "params": request.GET,
            "error": error,
        },
        status=422 if error else 200,
    )


def _cached_results(market_obj, *, query, filters, sort, page, language) -> dict:
    """The result list's HTML and its page numbers, keyed by the parsed parameters."""
    params = {
        "q": query,
        "sort": sort,
        "page": page,
        **{k: v for k, v in asdict(filters).items() if k != "extra"},
    }
    key = storefront_cache.key_for(
        kind="page", market=market_obj.code, params=params, language=language
    )
    return storefront_cache.cached(
        key,
        lambda: _render_results(market_obj, query=query, filters=filters, sort=sort, page=page),
    )


def _render_results(market_obj, *, query, filters, sort, page) -> dict:
    found = search.search_products(
        market=market_obj.code, query=query, filters=filters, sort=sort, page=page
    )
    currency, language = market_obj.currency, get_language()
    results = [
        (sku, sku.product.localized("title", language), Money(sku.price_amount, currency))
        for sku in found.object_list
    ]
    html = render_to_string(  # no request: nothing of the viewer goes into the cache
        "catalog/_storefront_results.html",
        {"market": market_obj, "page": found, "results": results},
    )
    return {
        "html": mark_safe(html),  # noqa: S308 - rendered by our own autoescaping template
        "count": found.paginator.count,
        "per_page": found.paginator.per_page,
        "number": found.number,
    }


def _page_number(value) -> int:
    text = str(value or "1")
    return int(text) if text.isdigit() and 0 < len(text) < 8 else 1


@allow(ANY_MEMBER)
def listing(request, market: str, sku_id: int):
    market_obj = markets.get_market(market)
    sku, price = search.get_storefront_sku(market=market_obj.code, sku_id=sku_id)
    language = get_language()
    return TemplateResponse(
        request,
        "catalog/listing.html",
        {
            "market": market_obj,
            "sku": sku,
            "price": price,
            "tiers": price.tiers(),
            "title": sku.product.localized("title", language),
            "description": sku.product.localized("description", language),
        },
    )


def _serve(image_id: int, field: str) -> FileResponse:
    image = selectors.get_image(image_id)
    try:
        handle = getattr(image, field).open("rb")
    except FileNotFoundError:
        raise NotFound("No such image.") from None
    response = FileResponse(handle, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=86400"
    return response


@allow(ANY_MEMBER)
def image(request, image_id: int):
    return _serve(image_id, "image")


@allow(ANY_MEMBER)
def thumbnail(request, image_id: int):
    return _serve(image_id, "thumbnail")
