"""The storefront: search and product pages of a market, for signed-in members."""

from django.http import HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import Field

from tradelane.core.access import ANY_MEMBER, allow
from tradelane.core.api import ERRORS, ID_MAX, RowId
from tradelane.core.money import Money

from .. import search, selectors, storefront_cache
from ..schemas import ListingDetailOut, ListingPageOut
from .common import MarketCode

router = Router(tags=["catalog: storefront"])
JSON = JSONRenderer()  # the API's renderer (config/api.py sets no other)
JSON_TYPE = f"{JSON.media_type}; charset={JSON.charset}"


class SearchParams(Schema):
    q: str = Field("", max_length=200)
    category: int | None = Field(None, ge=1, le=ID_MAX)
    min_price: str | None = Field(None, pattern=r"^\d{1,14}(\.\d{1,4})?$")
    max_price: str | None = Field(None, pattern=r"^\d{1,14}(\.\d{1,4})?$")
    max_moq: int | None = Field(None, ge=1, le=10_000_000)
    ready: bool = False
    merchant: int | None = Field(None, ge=1, le=ID_MAX)
    sort: str = Field("relevance", pattern=r"^(relevance|price_asc|price_desc|newest)$")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(search.PAGE_SIZE, ge=1, le=search.PAGE_SIZE_MAX)


def listing(sku, currency: str) -> dict:
    return {
        "sku_id": sku.pk,
        "product_id": sku.product_id,
        "title": sku.product.title,
        "code": sku.code,
        "attributes": sku.attributes,
        "merchant_id": sku.organisation_id,
        "merchant_name": sku.product.organisation.name,
        "unit_price": Money(sku.price_amount, currency).as_json(),
        "moq": sku.price_moq,
        "readiness": sku.readiness,
        "lead_days": sku.lead_days,
        "available": max(sku.available, 0),
    }


@router.get(
    "/store/{market}/products",
    response={200: ListingPageOut, **ERRORS},
    summary="Search a market's storefront",
)
@allow(ANY_MEMBER)
def search_products(request, market: str = MarketCode, params: Query[SearchParams] = None):
    """Only SKUs sold in the market (merchant active, price in force, stock or near-ready,
    complete trade data). Prices are in the market's currency. The JSON may be a few
    seconds old (`storefront_cache`: checkout always re-prices); the cache is read only
    after the access rule admitted the caller, and only successful pages are stored."""
    data = params.model_dump()
    key = storefront_cache.key_for(kind="api", market=market, params=data, language=get_language())
    body = storefront_cache.cached(key, lambda: _search_page_json(request, market, data))
    return HttpResponse(body, content_type=JSON_TYPE)


def _search_page_json(request, market: str, data: dict) -> bytes:
    """The page as the operation's response schema renders it (validated, then JSON)."""
    page = search.search_products(
        market=market,
        query=data["q"],
        filters=search.parse_filters(data),
        sort=data["sort"],
        page=data["page"],
        page_size=data["page_size"],
    )
    currency = page.market.currency
    out = ListingPageOut.model_validate(
        {
            "market": page.market.code,
            "currency": currency,
            "count": min(page.paginator.count, search.COUNT_CAP),
            "count_capped": page.paginator.capped,
            "corrected_query": page.corrected_query,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "items": [listing(sku, currency) for sku in page.object_list],
        }
    )
    return JSON.render(request, out.model_dump(), response_status=200)


@router.get(
    "/store/{market}/products/{sku_id}",
    response={200: ListingDetailOut, **ERRORS},
    summary="A product as sold in a market",
)
@allow(ANY_MEMBER)
def get_listing(request, market: str = MarketCode, sku_id: int = RowId):
    sku, price = search.get_storefront_sku(market=market, sku_id=sku_id)
    return {
        **listing(sku, price.currency),
        "description": sku.product.description,
        "increment": price.increment,
        "breaks": [{"min_quantity": q, "unit_price": m.as_json()} for q, m in price.tiers()[1:]],
        "hs_code": sku.hs_code,
        "origin_country": sku.origin_country,
        "certifications": sku.certifications,
    }


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None


@router.get(
    "/catalog/categories",
    response={200: list[CategoryOut], **ERRORS},
    summary="The category tree (flat, with parent ids)",
)
@allow(ANY_MEMBER)
def list_categories(request):
    return [
        {"id": c.pk, "name": c.name, "slug": c.slug, "parent_id": c.parent_id}
        for c in selectors.list_categories()
    ]
