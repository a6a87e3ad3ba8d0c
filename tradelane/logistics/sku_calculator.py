"""The merchant's calculator for one of its own SKUs: the SKU's trade data and its price in
force in the market (price breaks applied for the quantity) become the calculator's goods
line, shipped from the merchant's first active pickup warehouse.

A read: nothing is written. Catalog and merchants are read through their selectors; the
SKU is looked up within the acting merchant's own SKUs, so another merchant's SKU is
NotFound (a 404 page), never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from tradelane.catalog import selectors as catalog
from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money
from tradelane.merchants import selectors as merchants

from .engine.inputs import GoodsLine, Warehouse
from .sku_quotes import engine_warehouse, goods_line

TRADE_DATA = {
    "hs_code": "HS code",
    "origin_country": "origin",
    "gross_weight_kg": "gross weight",
    "length_cm": "carton length",
    "width_cm": "carton width",
    "height_cm": "carton height",
}


@dataclass(frozen=True)
class PickedSku:
    sku: object  # catalog Sku (read-only here)
    market: str
    quantity: int
    unit_value: Money  # the price in force for this quantity, in the market currency
    moq: int
    break_from: int  # the quantity from which this unit price applies
    goods: GoodsLine
    warehouse: Warehouse
    warehouse_name: str

    def line_initial(self) -> dict:
        """The calculator's goods-line form, pre-filled (the merchant may adjust it)."""
        g = self.goods
        return {
            "hs_code": g.hs_code,
            "origin_country": g.origin_country,
            "unit_value": self.unit_value.amount,
            "currency": self.unit_value.currency,
            "quantity": g.quantity,
            "unit_gross_weight_kg": g.unit_gross_kg,
            "length_cm": g.carton_cm[0],
            "width_cm": g.carton_cm[1],
            "height_cm": g.carton_cm[2],
            "units_per_carton": g.units_per_carton,
            "lead_time_days": g.lead_time_days,
            "battery": g.battery,
            "liquid": g.liquid,
            "magnet": g.magnet,
        }


def pick_sku(*, actor: Actor, sku_id: int, market: str, quantity: int | None = None) -> PickedSku:
    """Raises NotFound (not one of the actor's SKUs), InvalidInput: `incomplete_trade_data`
    (field sku), `no_price` (field market), `below_moq` / `invalid_increment` (quantity)."""
    sku = catalog.get_sku(actor=actor, sku_id=sku_id)
    missing = [label for name, label in TRADE_DATA.items() if not getattr(sku, name)]
    if missing:
        raise InvalidInput(
            f"Complete this SKU's trade data first: {', '.join(missing)}.",
            field="sku",
            code="incomplete_trade_data",
        )
    price = catalog.price_in_force(sku.pk, market)
    if price is None:
        raise InvalidInput(
            f"{sku.code} has no price in force in {market}: set one in the catalog first.",
            field="market",
            code="no_price",
        )
    quantity = quantity or price.moq
    catalog.check_order_quantity(price, quantity, field="quantity")
    break_from = max(minimum for minimum, _ in price.tiers() if quantity >= minimum)
    unit_value = price.unit_price_for(quantity)
    pickup = merchants.list_pickup_warehouses(actor.organisation_id).first()
    return PickedSku(
        sku=sku,
        market=market,
        quantity=quantity,
        unit_value=unit_value,
        moq=price.moq,
        break_from=break_from,
        goods=goods_line(sku, unit_value, quantity),
        warehouse=engine_warehouse(pickup) if pickup is not None else Warehouse(),
        warehouse_name=pickup.name if pickup is not None else "",
    )
