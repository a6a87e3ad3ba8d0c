"""Maintenance of the storefront read model (`Listing`): one row per SKU × priced market.

Called explicitly by the catalog's write services inside their transactions (no signals):

- `refresh_skus` — prices, trade data, readiness, product text/activity/category changed:
  rewrites the SKUs' rows from the source tables and adds their words to the search
  vocabulary (`SearchTerm`): 6 queries whatever the number of SKUs.
- `refresh_availability` — stock crossed zero (or a warehouse was (de)activated): one
  UPDATE of the `in_stock`/`sellable` flags. Stock writes call it only when a level's
  available quantity crosses zero, so a reservation that leaves stock available costs
  nothing here.
- `activate_due_prices` — a scheduled price version has started (Celery beat).

Whether the merchant is active in a market today is not stored: the storefront joins
`merchants.active_merchant_ids` at read time, so admissions that start or end with the
calendar are exact without any write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from .models import Listing, Price, Readiness, SearchTerm, Sku, StockLevel

ACTIVATION_BATCH = 500
_WORD = re.compile(r"[^\W\d_]+")

_FIELDS = [
    "organisation",
    "product",
    "price",
    "currency",
    "unit_price",
    "moq",
    "next_price_at",
    "readiness",
    "lead_days",
    "near_ready",
    "in_stock",
    "trade_data_complete",
    "product_active",
    "sellable",
    "title",
    "search_text",
    "search_vector",
    "created_at",
    "updated_at",
]


def _in_stock_skus(ids: list[int]) -> set[int]:
    return set(
        StockLevel.objects.filter(
            sku_id__in=ids, warehouse__is_active=True, on_hand__gt=F("reserved")
        ).values_list("sku_id", flat=True)
    )


def search_vector(title: str, search_text: str):
    """The value of `Listing.search_vector`: on PostgreSQL the title's words with weight A
    and the search text's with weight B ('simple' configuration), computed by the database
    in the INSERT; None elsewhere. Catalog migration 0006 and bench/catalog_generate.py
    write the same expression in SQL."""
    if connection.vendor != "postgresql":
        return None
    from django.contrib.postgres.search import SearchVector

    return SearchVector(Value(title), config="simple", weight="A") + SearchVector(
        Value(search_text), config="simple", weight="B"
    )


def words_of(text: str) -> set[str]:
    """The vocabulary words of a text (`SearchTerm`): runs of letters, 3 to 40 characters
    (numbers and codes are not corrected). Catalog migration 0007 and bench/catalog_generate.py split alike in SQL."""
    return {w for w in _WORD.findall(text or "") if 3 <= len(w) <= 40}


def refresh_skus(*, sku_ids: Iterable[int]) -> None:
    """Rewrite every listing of these SKUs from prices, stock, SKU and product rows.
    Call it inside the transaction that changed them (after the change)."""
    ids = sorted(set(sku_ids))
    if not ids:
        return
    now = timezone.now()
    skus = list(Sku.objects.filter(pk__in=ids).select_related("product", "product__category"))
    current: dict[tuple[int, str], Price] = {}
    for price in Price.objects.filter(sku_id__in=ids, effective_from__lte=now).order_by(
        "sku_id", "market_id", "-effective_from", "-id"
    ):
        current.setdefault((price.sku_id, price.market_id), price)
    upcoming: dict[tuple[int, str], tuple] = {}
    for sku_id, market_id, starts, currency in (
        Price.objects.filter(sku_id__in=ids, effective_from__gt=now)
        .order_by("effective_from", "id")
        .values_list("sku_id", "market_id", "effective_from", "currency")
    ):
        upcoming.setdefault((sku_id, market_id), (starts, currency))
    stocked = _in_stock_skus(ids)
    rows = []
    for sku in skus:
        product = sku.product
        near_ready = sku.readiness == Readiness.NEAR_READY and bool(sku.lead_days)
        in_stock = sku.pk in stocked
        markets = {m for (s, m) in current if s == sku.pk} | {
            m for (s, m) in upcoming if s == sku.pk
        }
        for market in sorted(markets):
            price = current.get((sku.pk, market))
            starts, currency = upcoming.get((sku.pk, market), (None, None))
            rows.append(
                Listing(
                    sku=sku,
                    market_id=market,
                    organisation_id=sku.organisation_id,
                    product=product,
                    price=price,
                    currency=price.currency if price else currency,
                    unit_price=price.unit_price if price else None,
                    moq=price.moq if price else None,
                    next_price_at=starts,
                    readiness=sku.readiness,
                    lead_days=sku.lead_days,
                    near_ready=near_ready,
                    in_stock=in_stock,
                    trade_data_complete=sku.trade_data_complete,
                    product_active=product.is_active,
                    sellable=bool(
                        price
                        and sku.trade_data_complete
                        and product.is_active
                        and (in_stock or near_ready)
                    ),
                    title=product.title,
                    search_text=sku.search_text,
                    search_vector=search_vector(product.title, sku.search_text),
                    created_at=sku.created_at,
                    updated_at=now,
                )
            )
    if rows:
        Listing.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["sku", "market"],
            update_fields=_FIELDS,
        )
    words = set().union(*(words_of(sku.search_text) for sku in skus))
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True
        )


def refresh_product(*, product_id: int) -> None:
    refresh_skus(sku_ids=Sku.objects.filter(product_id=product_id).values_list("pk", flat=True))


def _sellable_now(in_stock) -> Case:
    return Case(
        When(
            Q(price__isnull=False, trade_data_complete=True, product_active=True)
            & (Q(near_ready=True) | in_stock),
            then=Value(True),
        ),
        default=Value(False),
    )


def refresh_availability(
    *, sku_ids: Iterable[int] | None = None, organisation_id: int | None = None
) -> None:
    """Recompute `in_stock` and `sellable` of these SKUs' listings (or all of a merchant's,
    after a warehouse is activated or deactivated). One UPDATE."""
    listings = Listing.objects.all()
    if sku_ids is not None:
        listings = listings.filter(sku_id__in=sorted(set(sku_ids)))
    if organisation_id is not None:
        listings = listings.filter(organisation_id=organisation_id)
    in_stock = Exists(
        StockLevel.objects.filter(
            sku_id=OuterRef("sku_id"), warehouse__is_active=True, on_hand__gt=F("reserved")
        )
    )
    listings.update(in_stock=in_stock, sellable=_sellable_now(in_stock), updated_at=timezone.now())


def availability_crossed_zero(available_before: int, available_after: int) -> bool:
    return (available_before > 0) != (available_after > 0)


def activate_due_prices(*, batch: int = ACTIVATION_BATCH) -> int:
    """Bring listings whose next scheduled price version has started up to date, in
    batches of `batch` SKUs, one transaction each. Idempotent. Returns SKUs refreshed."""
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Listing.objects.filter(next_price_at__lte=timezone.now())
                .order_by("sku_id")
                .values_list("sku_id", flat=True)
                .distinct()[:batch]
            )
            if not ids:
                return done
            list(Sku.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
            refresh_skus(sku_ids=ids)
        done += len(ids)


def rebuild_all(*, batch: int = 2000) -> int:
    """Rebuild every listing from the source tables, `batch` SKUs per transaction
    (after a migration, or to repair). Returns the number of SKUs."""
    done, last = 0, 0
    while True:
        ids = list(
            Sku.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with transaction.atomic():
            refresh_skus(sku_ids=ids)
        done, last = done + len(ids), ids[-1]
