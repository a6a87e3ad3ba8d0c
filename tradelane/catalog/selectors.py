"""Catalog reads for merchants (scoped to the acting organisation) and price history.

Storefront search lives in `search.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.money import Money
from tradelane.merchants import selectors as merchants

from . import tradedata
from .models import (
    Category,
    Price,
    Product,
    ProductImage,
    Readiness,
    Sku,
    StockLevel,
    StockMovement,
)


def list_categories() -> QuerySet[Category]:
    return Category.objects.select_related("parent").order_by("name", "id")


# --- merchant: products and SKUs -------------------------------------------------------------


def list_products(*, actor: Actor, query: str = "") -> QuerySet[Product]:
    products = (
        Product.objects.filter(organisation_id=actor.organisation_id)
        .select_related("category")
        .annotate(sku_count=Count("skus"))
        .order_by("-created_at", "-id")
    )
    if query:
        products = products.filter(title__icontains=query.strip()[:100])
    return products


def get_product(*, actor: Actor, product_id: int) -> Product:
    product = (
        Product.objects.filter(pk=product_id, organisation_id=actor.organisation_id)
        .select_related("category")
        .prefetch_related(Prefetch("skus", queryset=Sku.objects.order_by("code", "id")), "images")
        .first()
    )
    if product is None:
        raise NotFound("No such product.", field="product_id")
    return product


def list_skus(*, actor: Actor) -> QuerySet[Sku]:
    return (
        Sku.objects.filter(organisation_id=actor.organisation_id)
        .select_related("product")
        .order_by("product__title", "code", "id")
    )


def get_sku(*, actor: Actor, sku_id: int) -> Sku:
    sku = list_skus(actor=actor).filter(pk=sku_id).first()
    if sku is None:
        raise NotFound("No such SKU.", field="sku_id")
    return sku


# --- prices ----------------------------------------------------------------------------------


def in_force(*, market_code: str, at: datetime | None = None) -> QuerySet[Price]:
    """Price versions of a market that had started by `at`, newest first."""
    return Price.objects.filter(
        market_id=market_code.upper(), effective_from__lte=at or timezone.now()
    ).order_by("-effective_from", "-id")


def price_in_force(sku_id: int, market_code: str, *, at: datetime | None = None) -> Price | None:
    return in_force(market_code=market_code, at=at).filter(sku_id=sku_id).first()


def price_in_force_subquery(market_code: str, *, at: datetime | None = None) -> Subquery:
    return Subquery(
        in_force(market_code=market_code, at=at).filter(sku_id=OuterRef("pk")).values("pk")[:1]
    )


def list_price_history(*, actor: Actor, sku_id: int, market_code: str | None = None):
    sku = get_sku(actor=actor, sku_id=sku_id)
    prices = Price.objects.filter(sku=sku).order_by("market_id", "-effective_from", "-id")
    if market_code:
        prices = prices.filter(market_id=market_code.upper())
    return prices


def lowest_price(sku, market, *, since: datetime, until: datetime | None = None) -> Money | None:
    """The lowest unit price in force at any moment from `since` to `until` (default now):
    the version in force at `since` and every version that started after it.

    `sku` and `market` are instances or ids/codes. Used by campaign rules (prior 30 days).
    """
    sku_id = getattr(sku, "pk", sku)
    code = getattr(market, "pk", market).upper()
    until = until or timezone.now()
    versions = Price.objects.filter(sku_id=sku_id, market_id=code)
    candidates = []
    first = versions.filter(effective_from__lte=since).order_by("-effective_from", "-id").first()
    if first is not None:
        candidates.append(first)
    candidates += list(versions.filter(effective_from__gt=since, effective_from__lte=until))
    if not candidates:
        return None
    return min((p.unit for p in candidates), key=lambda m: m.amount)


def check_order_quantity(price: Price, quantity: int, *, field: str) -> None:
    """A quantity the price in force sells: at least the MOQ, in steps of the increment.
    Raises InvalidInput `below_moq` or `invalid_increment` naming `field`."""
    if quantity < price.moq:
        raise InvalidInput(f"The minimum order is {price.moq}.", field=field, code="below_moq")
    if (quantity - price.moq) % price.increment:
        raise InvalidInput(
            f"Order {price.moq} or more in steps of {price.increment}.",
            field=field,
            code="invalid_increment",
        )


def price_grid(*, actor: Actor, skus: list[Sku], market_codes: list[str]) -> dict:
    """{(sku_id, market): (price in force | None, next scheduled | None)} in two queries."""
    now = timezone.now()
    ids = [s.pk for s in skus]
    grid: dict = {}
    started = Price.objects.filter(
        sku_id__in=ids, market_id__in=market_codes, effective_from__lte=now
    ).order_by("sku_id", "market_id", "-effective_from", "-id")
    for price in started:
        key = (price.sku_id, price.market_id)
        if key not in grid:
            grid[key] = [price, None]
    scheduled = Price.objects.filter(
        sku_id__in=ids, market_id__in=market_codes, effective_from__gt=now
    ).order_by("sku_id", "market_id", "effective_from", "id")
    for price in scheduled:
        entry = grid.setdefault((price.sku_id, price.market_id), [None, None])
        if entry[1] is None:
            entry[1] = price
    return {key: tuple(value) for key, value in grid.items()}


# --- stock -----------------------------------------------------------------------------------


def list_stock(*, actor: Actor, sku_id: int | None = None) -> QuerySet[StockLevel]:
    levels = (
        StockLevel.objects.filter(sku__organisation_id=actor.organisation_id)
        .select_related("sku", "sku__product", "warehouse")
        .order_by("sku__code", "warehouse__name", "id")
    )
    if sku_id is not None:
        levels = levels.filter(sku_id=sku_id)
    return levels


def get_stock(*, actor: Actor, sku_id: int, warehouse_id: int) -> StockLevel:
    get_sku(actor=actor, sku_id=sku_id)
    merchants.get_warehouse(actor=actor, warehouse_id=warehouse_id)
    level = StockLevel.objects.filter(sku_id=sku_id, warehouse_id=warehouse_id).first()
    return level or StockLevel(sku_id=sku_id, warehouse_id=warehouse_id, version=0)


def list_movements(*, actor: Actor, sku_id: int, limit: int = 100) -> QuerySet[StockMovement]:
    get_sku(actor=actor, sku_id=sku_id)
    return (
        StockMovement.objects.filter(stock_level__sku_id=sku_id)
        .select_related("stock_level__warehouse", "actor")
        .order_by("-id")[:limit]
    )


def available_by_sku(sku_ids: list[int]) -> dict[int, int]:
    rows = (
        StockLevel.objects.filter(sku_id__in=sku_ids, warehouse__is_active=True)
        .values("sku_id")
        .annotate(on_hand=Sum("on_hand"), reserved=Sum("reserved"))
    )
    return {r["sku_id"]: r["on_hand"] - r["reserved"] for r in rows}


def available_by_warehouse(sku_ids: list[int]) -> dict[int, dict[int, int]]:
    """{sku_id: {warehouse_id: available}} over active warehouses (for pickup planning)."""
    rows = StockLevel.objects.filter(sku_id__in=sku_ids, warehouse__is_active=True).values_list(
        "sku_id", "warehouse_id", "on_hand", "reserved"
    )
    result: dict[int, dict[int, int]] = {}
    for sku_id, warehouse_id, on_hand, reserved in rows:
        result.setdefault(sku_id, {})[warehouse_id] = on_hand - reserved
    return result


# --- visibility ------------------------------------------------------------------------------

CHECKS = ("merchant_active", "price", "stock", "trade_data")


@dataclass(frozen=True)
class Visibility:
    """Why a SKU is or is not sold in a market: each check passes or says what is missing."""

    sku_id: int
    market: str
    merchant_active: bool
    price: bool
    stock: bool
    trade_data: bool
    missing_trade_fields: tuple[str, ...] = ()

    @property
    def visible(self) -> bool:
        return self.merchant_active and self.price and self.stock and self.trade_data

    @property
    def reasons(self) -> list[str]:
        return [check for check in CHECKS if not getattr(self, check)]


def visibility_checklist(
    *, actor: Actor, skus: list[Sku] | None = None, market_codes: list[str] | None = None
) -> tuple[list[str], dict[tuple[int, str], Visibility]]:
    """The per-SKU × market checklist. Markets: those given, else the merchant's active
    markets plus any market it has priced in. A constant number of queries."""
    skus = list(list_skus(actor=actor)) if skus is None else skus
    active = set(merchants.list_active_markets(actor.organisation_id))
    if market_codes is None:
        priced = Price.objects.filter(sku__organisation_id=actor.organisation_id)
        market_codes = sorted(active | set(priced.values_list("market_id", flat=True).distinct()))
    ids = [s.pk for s in skus]
    grid = price_grid(actor=actor, skus=skus, market_codes=market_codes)
    stock = available_by_sku(ids)
    out = {}
    for sku in skus:
        missing = tuple(tradedata.missing_trade_fields(sku))
        has_stock = stock.get(sku.pk, 0) > 0 or (
            sku.readiness == Readiness.NEAR_READY and bool(sku.lead_days)
        )
        for code in market_codes:
            current = grid.get((sku.pk, code), (None, None))[0]
            out[(sku.pk, code)] = Visibility(
                sku_id=sku.pk,
                market=code,
                merchant_active=code in active,
                price=current is not None,
                stock=has_stock,
                trade_data=not missing,
                missing_trade_fields=missing,
            )
    return market_codes, out


# --- images ----------------------------------------------------------------------------------


def get_image(image_id: int) -> ProductImage:
    """An image of an active product (images are public catalogue content)."""
    image = (
        ProductImage.objects.filter(pk=image_id, product__is_active=True)
        .only("image", "thumbnail", "content_type")
        .first()
    )
    if image is None:
        raise NotFound("No such image.", field="image_id")
    return image
