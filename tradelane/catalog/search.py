"""Storefront search: only SKUs visible in the market, with filters, sort and pages.

One selector, `search_products`, picks the backend: PostgreSQL full-text (SearchRank)
plus trigram similarity on the title; elsewhere (SQLite) a case-insensitive match over
the denormalised search text, ranked by where the words were found. Each page costs a
constant number of queries (count + page), whatever the page size; the count stops at
COUNT_CAP ("more than 1,000") so a broad listing never scans the whole market.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from tradelane.core.api import ID_MAX
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

from .models import Price, Readiness, Sku, StockLevel
from .selectors import in_force

SORTS = ("relevance", "price_asc", "price_desc", "newest")
PAGE_SIZE = 24
PAGE_SIZE_MAX = 100
COUNT_CAP = 1000  # an exact count of a huge market costs a scan of every visible SKU


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP results (`LIMIT` inside the count); pages beyond the cap
    are not offered. `capped` says the true number is larger."""

    @cached_property
    def count(self) -> int:
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @cached_property
    def num_pages(self) -> int:
        return max(1, -(-min(self.count, COUNT_CAP) // self.per_page))


@dataclass(frozen=True)
class Filters:
    category_id: int | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    max_moq: int | None = None
    ready_only: bool = False
    merchant_id: int | None = None
    extra: dict = field(default_factory=dict)


def visible_skus(market_code: str) -> QuerySet[Sku]:
    """SKUs sold in the market now: merchant active today, a price in force, stock available
    (or near-ready with a lead time), complete trade data, product active.
    Annotated with the price in force (`price_id`, `price_amount`, `price_moq`) and
    `available` stock."""
    code = market_code.upper()
    current = in_force(market_code=code, at=timezone.now()).filter(sku_id=OuterRef("pk"))
    available = (
        StockLevel.objects.filter(sku_id=OuterRef("pk"), warehouse__is_active=True)
        .values("sku_id")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    return (
        Sku.objects.filter(
            trade_data_complete=True,
            product__is_active=True,
            organisation_id__in=merchants.active_merchant_ids(code),
        )
        .annotate(
            price_id=Subquery(current.values("pk")[:1]),
            price_amount=Subquery(current.values("unit_price")[:1]),
            price_moq=Subquery(current.values("moq")[:1]),
            available=Coalesce(Subquery(available[:1]), Value(0), output_field=IntegerField()),
        )
        .filter(price_id__isnull=False)
        .filter(Q(available__gt=0) | Q(readiness=Readiness.NEAR_READY, lead_days__gte=1))
    )


def _apply_filters(skus: QuerySet[Sku], filters: Filters) -> QuerySet[Sku]:
    if filters.category_id is not None:
        skus = skus.filter(
            Q(product__category_id=filters.category_id)
            | Q(product__category__parent_id=filters.category_id)
        )
    if filters.min_price is not None:
        skus = skus.filter(price_amount__gte=filters.min_price)
    if filters.max_price is not None:
        skus = skus.filter(price_amount__lte=filters.max_price)
    if filters.max_moq is not None:
        skus = skus.filter(price_moq__lte=filters.max_moq)
    if filters.ready_only:
        skus = skus.filter(readiness=Readiness.READY, available__gt=0)
    if filters.merchant_id is not None:
        skus = skus.filter(organisation_id=filters.merchant_id)
    return skus


def _words(query: str) -> list[str]:
    return [w for w in query.lower().split() if w][:8]


def _search_postgres(skus: QuerySet[Sku], query: str) -> QuerySet[Sku]:
    """Full-text match on the search text (GIN expression index) or a trigram word match
    on it (GIN trigram index, catches typos); both on one table so PostgreSQL can OR the
    two bitmap index scans. Only the matches are ranked."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramSimilarity,
    )

    vector = SearchVector("search_text", config="simple")
    search = SearchQuery(query, config="simple", search_type="websearch")
    return (
        skus.annotate(document=vector)
        .filter(Q(document=search) | Q(search_text__trigram_word_similar=query.lower()))
        .annotate(rank=SearchRank(vector, search) + TrigramSimilarity("product__title", query))
    )


def _search_fallback(skus: QuerySet[Sku], query: str) -> QuerySet[Sku]:
    words = _words(query)
    match = Q()
    for word in words:
        match &= Q(search_text__contains=word)
    rank = Case(
        When(product__title__icontains=query, then=Value(3.0)),
        When(code__iexact=query, then=Value(3.0)),
        When(search_text__contains=query.lower(), then=Value(2.0)),
        default=Value(1.0),
        output_field=FloatField(),
    )
    return skus.filter(match).annotate(rank=rank)


def search_products(
    *,
    market: str,
    query: str = "",
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
):
    """A page (Django `Page`) of visible SKUs in `market`, each with `price_amount`,
    `price_moq`, `available`, `product` and `rank`. Raises NotFound for an unknown
    market, InvalidInput for a bad sort or page size."""
    market_obj = markets.get_market(market)
    if sort not in SORTS:
        raise InvalidInput(f"Sort by one of {', '.join(SORTS)}.", field="sort", code="invalid_sort")
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise InvalidInput(f"Page size 1 to {PAGE_SIZE_MAX}.", field="page_size")
    skus = _apply_filters(visible_skus(market_obj.code), filters or Filters())
    query = (query or "").strip()[:200]
    if query:
        if connection.vendor == "postgresql":
            skus = _search_postgres(skus, query)
        else:
            skus = _search_fallback(skus, query)
    order = {
        "relevance": ("-rank", "-created_at", "-id") if query else ("-created_at", "-id"),
        "price_asc": ("price_amount", "id"),
        "price_desc": ("-price_amount", "-id"),
        "newest": ("-created_at", "-id"),
    }[sort]
    skus = skus.select_related("product", "product__organisation").order_by(*order)
    paginator = CappedPaginator(skus, page_size)
    number = min(max(1, page), max(1, paginator.num_pages))
    result = paginator.page(number)
    result.market = market_obj
    return result


def get_storefront_sku(*, market: str, sku_id: int) -> tuple[Sku, Price]:
    """A visible SKU with its price in force (404 when not sold in the market)."""
    sku = (
        visible_skus(market)
        .filter(pk=sku_id)
        .select_related("product", "product__organisation", "product__category")
        .first()
    )
    if sku is None:
        raise NotFound("This product is not sold in this market.", field="sku_id")
    return sku, Price.objects.get(pk=sku.price_id)


def _int(value, field: str, *, low: int = 1, high: int = ID_MAX) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{field} must be a whole number from {low}.", field=field)
    return int(text)


def _amount(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        raise InvalidInput("Not a number.", field=field) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("99999999999999"):
        raise InvalidInput("A price from 0.", field=field)
    return amount


def parse_filters(params) -> Filters:
    """Filters from query parameters (`category`, `min_price`, `max_price`, `max_moq`,
    `ready`, `merchant`); a malformed one is a 422 naming it."""
    return Filters(
        category_id=_int(params.get("category"), "category"),
        min_price=_amount(params.get("min_price"), "min_price"),
        max_price=_amount(params.get("max_price"), "max_price"),
        max_moq=_int(params.get("max_moq"), "max_moq"),
        ready_only=str(params.get("ready") or "").lower() in ("1", "true", "on", "yes"),
        merchant_id=_int(params.get("merchant"), "merchant"),
    )
