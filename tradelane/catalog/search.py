"""Storefront search: only SKUs visible in the market, with filters, sort and pages.

`search_products` reads the `Listing` read model (one row per SKU × market, kept by
`catalog.listings` in the write transactions) and picks the backend: PostgreSQL
full-text on the stored weighted `search_vector` (title A, rest B; SearchRank) plus
trigram similarity on the title, and a mistyped word corrected against the vocabulary
of listed words (`SearchTerm`) when nothing matched; elsewhere (SQLite) a
case-insensitive match over the denormalised search text, ranked by where the words were
found. Each page costs a constant number of queries whatever the page size; the count
stops at COUNT_CAP ("more than 1,000") so a broad listing never scans the whole market.

`visible_skus` is the same rule computed live from the source tables; carts and
checkout use it (exact to the instant), as does the product page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
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
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from tradelane.core.api import ID_MAX
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

from . import selectors
from .models import Category, Listing, Price, Readiness, Sku, StockLevel
from .selectors import in_force

SORTS = ("relevance", "price_asc", "price_desc", "newest")
PAGE_SIZE = 24
PAGE_SIZE_MAX = 100
COUNT_CAP = 1000  # an exact count of a huge market costs a scan of every visible SKU


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP results (`LIMIT` inside the count); pages beyond the cap
    are not offered. `capped` says the true number is larger."""

    def __init__(self, object_list, per_page, *, count_of=None, count: int | None = None):
        super().__init__(object_list, per_page)
        self.count_of = object_list if count_of is None else count_of
        self.known_count = count

    @cached_property
    def count(self) -> int:
        if self.known_count is not None:
            return self.known_count
        return self.count_of.order_by()[: COUNT_CAP + 1].count()

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
    return listed_skus(market_code).filter(
        Q(available__gt=0) | Q(readiness=Readiness.NEAR_READY, lead_days__gte=1)
    )


def listed_skus(market_code: str) -> QuerySet[Sku]:
    """`visible_skus` whether or not they are in stock: checkout tells "sold out" (409)
    from "not sold here" (404)."""
    code = market_code.upper()
    current = in_force(market_code=code, at=timezone.now()).filter(sku_id=OuterRef("pk"))
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
            available=_available("pk"),
        )
        .filter(price_id__isnull=False)
    )


def _available(sku_ref: str) -> Coalesce:
    """On hand − reserved over the SKU's active warehouses (0 without stock), for the SKU
    whose id the outer query's `sku_ref` holds."""
    total = (
        StockLevel.objects.filter(sku_id=OuterRef(sku_ref), warehouse__is_active=True)
        .values("sku_id")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    return Coalesce(Subquery(total[:1]), Value(0), output_field=IntegerField())


def priced_skus(
    market_code: str, sku_ids: list[int], *, in_stock_only: bool = True
) -> dict[int, tuple[Sku, Price]]:
    """`{sku_id: (sku, price in force)}` for SKUs requested as order or quote lines (product
    and merchant joined; `sku.price_id`, `price_amount` and `price_moq` set as
    `visible_skus` annotates them). Raises NotFound `lines[i].sku_id` for the first one not
    sold in the market (`in_stock_only=False`: sold-out SKUs are returned, for checkout to
    say "sold out" rather than "not sold here"). One query: each SKU's price in force with
    its SKU, product and merchant, under `visible_skus`'s rule."""
    code = market_code.upper()
    newest = in_force(market_code=code, at=timezone.now()).filter(sku_id=OuterRef("sku_id"))
    prices = Price.objects.filter(
        pk=Subquery(newest.values("pk")[:1]),
        sku_id__in=set(sku_ids),
        sku__trade_data_complete=True,
        sku__product__is_active=True,
        sku__organisation_id__in=merchants.active_merchant_ids(code),
    ).select_related("sku", "sku__product", "sku__organisation")
    if in_stock_only:
        prices = prices.annotate(available=_available("sku_id")).filter(
            Q(available__gt=0) | Q(sku__readiness=Readiness.NEAR_READY, sku__lead_days__gte=1)
        )
    by_sku = {price.sku_id: price for price in prices}
    found = {}
    for i, sku_id in enumerate(sku_ids):
        price = by_sku.get(sku_id)
        if price is None:
            raise NotFound("This product is not sold in this market.", field=f"lines[{i}].sku_id")
        sku = price.sku
        sku.price_id, sku.price_amount, sku.price_moq = price.pk, price.unit_price, price.moq
        found[sku_id] = (sku, price)
    return found


def storefront_listings(market_code: str) -> QuerySet[Listing]:
    """The read model's rows sold in the market now: sellable (price in force, complete
    trade data, active product, stock or near-ready) and the merchant active today."""
    code = market_code.upper()
    return Listing.objects.filter(
        market_id=code,
        sellable=True,
        organisation_id__in=merchants.active_merchant_ids(code),
    )


def _apply_filters(listings: QuerySet[Listing], filters: Filters) -> QuerySet[Listing]:
    if filters.category_id is not None:
        # joined live: the category tree is edited by operators without a service
        listings = listings.filter(
            product__category_id__in=Category.objects.filter(
                Q(pk=filters.category_id) | Q(parent_id=filters.category_id)
            ).values("pk")
        )
    if filters.min_price is not None:
        listings = listings.filter(unit_price__gte=filters.min_price)
    if filters.max_price is not None:
        listings = listings.filter(unit_price__lte=filters.max_price)
    if filters.max_moq is not None:
        listings = listings.filter(moq__lte=filters.max_moq)
    if filters.ready_only:
        listings = listings.filter(readiness=Readiness.READY, in_stock=True)
    if filters.merchant_id is not None:
        listings = listings.filter(organisation_id=filters.merchant_id)
    return listings


def normalise_query(text: str | None) -> str:
    """The search text as searched (and as the storefront cache keys it): whitespace
    collapsed, at most 200 characters."""
    return " ".join((text or "").split())[:200]


def _words(query: str) -> list[str]:
    return [w for w in query.lower().split() if w][:8]


def _match_postgres(listings: QuerySet[Listing], query: str) -> QuerySet[Listing]:
    """Full-text match on the stored `search_vector` (each market has its own partial GIN
    index: `catalog.search_indexes`)."""
    from django.contrib.postgres.search import SearchQuery

    return listings.filter(
        search_vector=SearchQuery(query, config="simple", search_type="websearch")
    )


# Each word of the query (up to 8) and the vocabulary word most like it (trigram
# similarity above pg_trgm's threshold, 0.3 by default; a known word is its own best match).
_CORRECTIONS = (
    "SELECT (SELECT t.word FROM catalog_searchterm t WHERE t.word %% q.word "
    "ORDER BY similarity(t.word, q.word) DESC, t.word LIMIT 1) "
    "FROM unnest(%s::text[]) WITH ORDINALITY AS q(word, n) ORDER BY q.n"
)


def corrected_query(query: str) -> str | None:
    """PostgreSQL: the query with each word of letters replaced by the most similar word of
    the listings' vocabulary (`SearchTerm`), or None when that changes nothing. One query on
    a small table (its trigram index), not a trigram scan of every listing."""
    words = _words(query)
    wrong = [w for w in words if w.isalpha()]  # numbers and codes are kept as typed
    if not wrong:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_CORRECTIONS, [wrong])
        fixes = {w: fix for w, (fix,) in zip(wrong, cursor.fetchall(), strict=True) if fix}
    fixed = [fixes.get(w, w) for w in words]
    return " ".join(fixed) if fixed != words else None


def _rank_postgres(listings: QuerySet[Listing], query: str) -> QuerySet[Listing]:
    """ts_rank over the stored weighted vector (a title word counts more than one in the
    description) plus the title's trigram similarity (so a typo still ranks)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity

    search = SearchQuery(query, config="simple", search_type="websearch")
    return listings.annotate(
        rank=SearchRank(F("search_vector"), search) + TrigramSimilarity("title", query)
    )


def _match_fallback(listings: QuerySet[Listing], query: str) -> QuerySet[Listing]:
    match = Q()
    for word in _words(query):
        match &= Q(search_text__contains=word)
    return listings.filter(match)


def _rank_fallback(listings: QuerySet[Listing], query: str) -> QuerySet[Listing]:
    rank = Case(
        When(title__icontains=query, then=Value(3.0)),
        When(sku__code__iexact=query, then=Value(3.0)),
        When(search_text__contains=query.lower(), then=Value(2.0)),
        default=Value(1.0),
        output_field=FloatField(),
    )
    return listings.annotate(rank=rank)


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
    `price_moq`, `available`, `product` (with its organisation) and `rank`.

    Reads the `Listing` read model, 3 queries whatever the page size: without a search
    text a capped count, the page and its available stock; with one, the matches (ranked
    for relevance, counted with the page's ids for other sorts), the page's rows joined,
    and their stock. Two more when nothing matched on PostgreSQL (the words corrected
    against the vocabulary, then searched again: `corrected_query` on the page says so),
    and one more only if a scheduled price started less than a minute ago on that page. Raises NotFound for an unknown market, InvalidInput for a
    bad sort or page size."""
    market_obj = markets.get_market(market)
    if sort not in SORTS:
        raise InvalidInput(f"Sort by one of {', '.join(SORTS)}.", field="sort", code="invalid_sort")
    if not 1 <= page_size <= PAGE_SIZE_MAX:
        raise InvalidInput(f"Page size 1 to {PAGE_SIZE_MAX}.", field="page_size")
    listings = _apply_filters(storefront_listings(market_obj.code), filters or Filters())
    query = normalise_query(query)
    postgres = connection.vendor == "postgresql"
    order = {
        "relevance": ("-created_at", "-sku_id"),
        "price_asc": ("unit_price", "sku_id"),
        "price_desc": ("-unit_price", "-sku_id"),
        "newest": ("-created_at", "-sku_id"),
    }[sort]
    corrected = None
    if not query:
        paginator = CappedPaginator(_with_page_joins(listings).order_by(*order), page_size)
        result = paginator.page(min(max(1, page), paginator.num_pages))
        result.object_list = _skus_of(list(result.object_list))
    elif sort == "relevance":
        result, corrected = _ranked_search(listings, query, page, page_size, postgres)
    else:
        result, corrected = _sorted_search(listings, query, order, page, page_size, postgres)
    result.market = market_obj
    result.corrected_query = corrected
    return result


def _matching(base: QuerySet[Listing], query: str, postgres: bool) -> QuerySet[Listing]:
    return _match_postgres(base, query) if postgres else _match_fallback(base, query)


def _ranked_search(base, query: str, page: int, page_size: int, postgres: bool):
    """Relevance: the window (the first COUNT_CAP + 1 matches: the capped count) ranked in
    the same read, sorted here (rank, then the newest SKU: the highest id). Relevance
    ranks only those rows (pages past COUNT_CAP are never offered), so a broad word costs
    one bounded index read, not a ranking of every match."""
    corrected, window = None, _ranked_window(base, query, postgres)
    if not window and postgres:  # nothing matched: search what they probably meant
        corrected = corrected_query(query)
        if corrected is not None:
            window = _ranked_window(base, corrected, postgres)
    rows = sorted(window[:COUNT_CAP], key=lambda row: (row[1] or 0.0, row[2]), reverse=True)
    paginator = CappedPaginator(rows, page_size, count=len(window))
    result = paginator.page(min(max(1, page), paginator.num_pages))
    result.object_list = _page_rows(result.object_list, ranked=True)
    return result, corrected


def _ranked_window(base, query: str, postgres: bool) -> list[tuple]:
    """(pk, rank, sku_id) of the first COUNT_CAP + 1 matches (no timestamps: 1,000 to parse)."""
    rank = _rank_postgres if postgres else _rank_fallback
    rows = rank(_matching(base, query, postgres).order_by(), query)
    return list(rows.values_list("pk", "rank", "sku_id")[: COUNT_CAP + 1])


def _sorted_search(base, query: str, order, page: int, page_size: int, postgres: bool):
    """Price or newest: sorting reads every match anyway, so the page's ids come with the
    number of matches (`COUNT(*) OVER ()`) in one query on the read model; then the
    page's rows are joined. A page past the end (or past COUNT_CAP) gives the last one."""
    corrected, number = None, max(1, page)
    matched = _matching(base, query, postgres)
    total, ids = _sorted_page(matched, order, number, page_size)
    if total is None:  # no row on this page: nothing matched, or a page past the end
        total = matched.order_by()[: COUNT_CAP + 1].count() if number > 1 else 0
        if not total and postgres:  # nothing matched: search what they probably meant
            corrected = corrected_query(query)
            if corrected is not None:
                matched = _matching(base, corrected, postgres)
                total, ids = _sorted_page(matched, order, 1, page_size)
                number, total = 1, total or 0
    paginator = CappedPaginator([], page_size, count=min(total, COUNT_CAP + 1))
    if number > paginator.num_pages:
        number = paginator.num_pages
        ids = _sorted_page(matched, order, number, page_size)[1] if total else []
    result = Page(_page_rows([(pk,) for pk in ids], ranked=False), number, paginator)
    return result, corrected


def _sorted_page(matched, order, number: int, page_size: int) -> tuple[int | None, list[int]]:
    """(number of matches, or None when the page is empty; the page's ids)."""
    start = (number - 1) * page_size
    rows = list(
        matched.annotate(total=Window(Count("pk")))
        .order_by(*order)
        .values_list("pk", "total")[start : start + page_size]
    )
    return (rows[0][1] if rows else None), [pk for pk, _total in rows]


def _page_rows(values, *, ranked: bool) -> list[Sku]:
    """The page's SKUs from its (pk, …) tuples, in that order: SKU, product and merchant
    joined for those rows only (with `rank` when `ranked`)."""
    page_ids = [row[0] for row in values]
    rows = {row.pk: row for row in _with_page_joins(Listing.objects.filter(pk__in=page_ids))}
    if ranked:
        for pk, rank, *_ in values:
            if pk in rows:
                rows[pk].rank = rank
    return _skus_of([rows[pk] for pk in page_ids if pk in rows])


def _with_page_joins(listings: QuerySet[Listing]) -> QuerySet[Listing]:
    return listings.select_related("sku", "product", "organisation").defer(
        "search_text",
        "search_vector",  # matched and ranked in SQL, never read here
    )


def _skus_of(rows: list[Listing]) -> list[Sku]:
    """The page's SKUs, shaped as the pages and the API read them."""
    available = selectors.available_by_sku([row.sku_id for row in rows]) if rows else {}
    now = timezone.now()
    stale = [row.sku_id for row in rows if row.next_price_at and row.next_price_at <= now]
    started = {}
    if stale:  # a scheduled version started and the beat task has not run yet
        market = rows[0].market_id
        for price in in_force(market_code=market, at=now).filter(sku_id__in=stale):
            started.setdefault(price.sku_id, price)
    skus = []
    for row in rows:
        sku, price = row.sku, started.get(row.sku_id)
        row.product.organisation = row.organisation
        sku.product = row.product
        sku.price_id = price.pk if price else row.price_id
        sku.price_amount = price.unit_price if price else row.unit_price
        sku.price_moq = price.moq if price else row.moq
        sku.available = available.get(row.sku_id, 0)
        sku.rank = getattr(row, "rank", None)
        skus.append(sku)
    return skus


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
