"""Quotes for catalog SKUs: turn (SKU, quantity) lines into engine inputs, then quote.

A read: nothing is written. The customs value of a line is the SKU's price in force in the
destination market for that quantity (price breaks applied, in the market's currency);
the goods' trade data come from the SKU; the origin is the merchant's pickup warehouse
that holds the stock (else its first active pickup warehouse, the SKU being near-ready).
One quote has one origin: SKUs of different merchants or warehouses are refused.

Catalog, merchants and markets are read through their selectors only. Queries: market,
the visible SKUs with their prices in force (one), stock per warehouse (one), pickup warehouses
(one per merchant, so one), then `quote_landed_cost` loads the network once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tradelane.catalog import search as catalog_search
from tradelane.catalog import selectors as catalog
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

from . import engine, quoting
from .engine.inputs import GoodsLine, Warehouse

NEAR_READY = "near_ready"


@dataclass(frozen=True, slots=True)
class SkuLine:
    sku_id: int
    quantity: int


def quote_skus(
    *,
    market: str,
    postal_code: str,
    lines: list[SkuLine],
    buyer_kind: str = engine.B2C,
    buyer_tax_id: str | None = None,
    incoterm: str = engine.DDP,
    quoted_at: datetime | None = None,
) -> engine.Quote:
    """Three tiers for SKU lines sold in `market`.

    Raises NotFound (`lines[i].sku_id`) for a SKU not sold in the market, InvalidInput for
    a quantity below the MOQ or off its increment (`lines[i].quantity`), SKUs shipping from
    different origins (`lines[i].sku_id`, code `mixed_origins`), and whatever
    `quote_landed_cost` refuses (market, postal code, tax id, incoterm).
    """
    if not lines:
        raise InvalidInput("Give at least one SKU line.", field="lines")
    try:
        market_obj = markets.get_market(market)
    except NotFound:
        raise InvalidInput(
            f"No market {market!r}.", field="destination.market", code="unknown_market"
        ) from None
    code = market_obj.code
    ids = [line.sku_id for line in lines]
    sold = catalog_search.priced_skus(code, ids)
    stock = catalog.available_by_warehouse(ids)

    goods, origin, origin_merchant, pickups = [], None, None, {}
    for i, line in enumerate(lines):
        sku, price = sold[line.sku_id]
        catalog.check_order_quantity(price, line.quantity, field=f"lines[{i}].quantity")
        if origin_merchant is not None and sku.organisation_id != origin_merchant:
            raise InvalidInput(
                "One quote ships from one merchant's warehouse: quote this SKU separately.",
                field=f"lines[{i}].sku_id",
                code="mixed_origins",
            )
        if sku.organisation_id not in pickups:
            pickups[sku.organisation_id] = list(
                merchants.list_pickup_warehouses(sku.organisation_id)
            )
        warehouse = origin_warehouse(
            pickups[sku.organisation_id], line.quantity, stock.get(sku.pk, {}), i
        )
        if origin is not None and warehouse.pk != origin.pk:
            raise InvalidInput(
                f"This SKU ships from {warehouse.name}, the others from {origin.name}: "
                "quote it separately.",
                field=f"lines[{i}].sku_id",
                code="mixed_origins",
            )
        origin, origin_merchant = warehouse, sku.organisation_id
        goods.append(goods_line(sku, price.unit_price_for(line.quantity), line.quantity))
    return quoting.quote_landed_cost(
        market=code,
        postal_code=postal_code,
        lines=goods,
        buyer_kind=buyer_kind,
        buyer_tax_id=buyer_tax_id,
        incoterm=incoterm,
        quoted_at=quoted_at,
        warehouse=engine_warehouse(origin),
    )


def goods_line(sku, unit_value, quantity: int) -> GoodsLine:
    """The engine's view of `quantity` units of a SKU (trade data complete: it is visible)."""
    return GoodsLine(
        hs_code=sku.hs_code,
        origin_country=sku.origin_country,
        unit_value=unit_value,
        quantity=quantity,
        unit_net_kg=sku.net_weight_kg,
        unit_gross_kg=sku.gross_weight_kg,
        carton_cm=(sku.length_cm, sku.width_cm, sku.height_cm),
        units_per_carton=sku.units_per_carton or 1,
        battery=sku.has_battery,
        liquid=sku.has_liquid,
        magnet=sku.has_magnet,
        lead_time_days=(sku.lead_days or 0) if sku.readiness == NEAR_READY else 0,
    )


def engine_warehouse(warehouse) -> Warehouse:
    """Merchants' opening days are ISO weekdays (1 = Monday); the engine counts from 0."""
    return Warehouse(
        country=warehouse.country,
        time_zone=warehouse.time_zone,
        opening_weekdays=frozenset(day - 1 for day in warehouse.opening_days if 1 <= day <= 7),
        pickup_cutoff=warehouse.pickup_cutoff,
    )


def origin_warehouse(pickups: list, quantity: int, available: dict[int, int], index: int):
    """The first pickup warehouse holding the whole quantity, else the first holding any,
    else the merchant's first active pickup warehouse (near-ready goods)."""
    for enough in (quantity, 1):
        for warehouse in pickups:
            if available.get(warehouse.pk, 0) >= enough:
                return warehouse
    if not pickups:
        raise InvalidInput(
            "The merchant has no active pickup warehouse.",
            field=f"lines[{index}].sku_id",
            code="no_pickup_warehouse",
        )
    return pickups[0]
