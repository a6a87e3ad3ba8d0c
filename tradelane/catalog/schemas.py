"""API shapes of the catalog. Inputs are strict and bounded; amounts are strings."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from tradelane.core.api import ID_MAX, MoneyOut, StrictIn

from .models import Price, Product, Sku, StockLevel, StockMovement
from .selectors import Visibility

AMOUNT = r"^\d{1,14}(\.\d{1,4})?$"
MARKET = r"^[A-Za-z]{2}$"
CURRENCY = r"^[A-Za-z]{3}$"
Quantity = Field(ge=1, le=10_000_000)


# --- products and SKUs -----------------------------------------------------------------------


class SkuIn(StrictIn):
    code: str = Field(min_length=1, max_length=64)
    attributes: dict[str, str] = Field(default_factory=dict, max_length=20)
    hs_code: str = Field("", max_length=20, description="6 to 10 digits; dots and spaces allowed")
    origin_country: str = Field("", max_length=2, description="ISO 3166-1 alpha-2")
    net_weight_kg: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    gross_weight_kg: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    length_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    width_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    height_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    units_per_carton: int | None = Field(None, ge=1, le=1_000_000)
    has_battery: bool = False
    has_liquid: bool = False
    has_magnet: bool = False
    certifications: list[str] = Field(default_factory=list, max_length=20)
    readiness: str = Field("ready", pattern=r"^(ready|near_ready)$")
    lead_days: int | None = Field(None, ge=1, le=90)


class SkuPatchIn(StrictIn):
    code: str | None = Field(None, min_length=1, max_length=64)
    attributes: dict[str, str] | None = Field(None, max_length=20)
    hs_code: str | None = Field(None, max_length=20)
    origin_country: str | None = Field(None, max_length=2)
    net_weight_kg: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    gross_weight_kg: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    length_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    width_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    height_cm: str | None = Field(None, pattern=r"^\d{1,7}(\.\d{1,3})?$")
    units_per_carton: int | None = Field(None, ge=1, le=1_000_000)
    has_battery: bool | None = None
    has_liquid: bool | None = None
    has_magnet: bool | None = None
    certifications: list[str] | None = Field(None, max_length=20)
    readiness: str | None = Field(None, pattern=r"^(ready|near_ready)$")
    lead_days: int | None = Field(None, ge=1, le=90)


class ProductIn(StrictIn):
    title: str = Field(min_length=1, max_length=200)
    title_es: str = Field("", max_length=200)
    title_fr: str = Field("", max_length=200)
    title_de: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    description_es: str = Field("", max_length=20000)
    description_fr: str = Field("", max_length=20000)
    description_de: str = Field("", max_length=20000)
    category_id: int | None = Field(None, ge=1, le=ID_MAX)
    skus: list[SkuIn] = Field(default_factory=list, max_length=100)


class ProductPatchIn(StrictIn):
    title: str | None = Field(None, min_length=1, max_length=200)
    title_es: str | None = Field(None, max_length=200)
    title_fr: str | None = Field(None, max_length=200)
    title_de: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    description_es: str | None = Field(None, max_length=20000)
    description_fr: str | None = Field(None, max_length=20000)
    description_de: str | None = Field(None, max_length=20000)
    category_id: int | None = Field(None, ge=1, le=ID_MAX)
    is_active: bool | None = None


def _dec(value) -> str | None:
    return None if value is None else str(value)


class SkuOut(Schema):
    id: int
    product_id: int
    code: str
    attributes: dict[str, str]
    hs_code: str
    origin_country: str
    net_weight_kg: str | None
    gross_weight_kg: str | None
    length_cm: str | None
    width_cm: str | None
    height_cm: str | None
    units_per_carton: int | None
    has_battery: bool
    has_liquid: bool
    has_magnet: bool
    certifications: list[str]
    readiness: str
    lead_days: int | None
    trade_data_complete: bool

    @staticmethod
    def of(sku: Sku) -> dict:
        return {
            "id": sku.pk,
            "product_id": sku.product_id,
            "code": sku.code,
            "attributes": sku.attributes,
            "hs_code": sku.hs_code,
            "origin_country": sku.origin_country,
            **{
                k: _dec(getattr(sku, k))
                for k in ("net_weight_kg", "gross_weight_kg", "length_cm", "width_cm", "height_cm")
            },
            "units_per_carton": sku.units_per_carton,
            "has_battery": sku.has_battery,
            "has_liquid": sku.has_liquid,
            "has_magnet": sku.has_magnet,
            "certifications": sku.certifications,
            "readiness": sku.readiness,
            "lead_days": sku.lead_days,
            "trade_data_complete": sku.trade_data_complete,
        }


class ProductOut(Schema):
    id: int
    title: str
    title_es: str
    title_fr: str
    title_de: str
    description: str
    description_es: str
    description_fr: str
    description_de: str
    category_id: int | None
    is_active: bool
    created_at: datetime
    skus: list[SkuOut]

    @staticmethod
    def of(product: Product) -> dict:
        return {
            **{
                k: getattr(product, k)
                for k in (
                    "title",
                    "title_es",
                    "title_fr",
                    "title_de",
                    "description",
                    "description_es",
                    "description_fr",
                    "description_de",
                    "category_id",
                    "is_active",
                    "created_at",
                )
            },
            "id": product.pk,
            "skus": [SkuOut.of(s) for s in product.skus.all()],
        }


class ProductSummaryOut(Schema):
    id: int
    title: str
    category_id: int | None
    is_active: bool
    sku_count: int
    created_at: datetime


# --- prices ----------------------------------------------------------------------------------


class BreakIn(StrictIn):
    min_quantity: int = Quantity
    unit_price: str = Field(pattern=AMOUNT)


class PriceIn(StrictIn):
    market: str = Field(pattern=MARKET)
    currency: str = Field(pattern=CURRENCY)
    unit_price: str = Field(pattern=r"^-?\d{1,14}(\.\d{1,6})?$", description='e.g. "12.50"')
    breaks: list[BreakIn] = Field(default_factory=list, max_length=10)
    moq: int = Quantity
    increment: int = Quantity
    effective_from: datetime | None = Field(None, description="omit for immediately")


class BreakOut(Schema):
    min_quantity: int
    unit_price: MoneyOut


class PriceOut(Schema):
    id: int
    sku_id: int
    market: str
    unit_price: MoneyOut
    breaks: list[BreakOut]
    moq: int
    increment: int
    effective_from: datetime
    created_at: datetime

    @staticmethod
    def of(price: Price) -> dict:
        return {
            "id": price.pk,
            "sku_id": price.sku_id,
            "market": price.market_id,
            "unit_price": price.unit.as_json(),
            "breaks": [
                {"min_quantity": q, "unit_price": m.as_json()} for q, m in price.tiers()[1:]
            ],
            "moq": price.moq,
            "increment": price.increment,
            "effective_from": price.effective_from,
            "created_at": price.created_at,
        }


# --- stock -----------------------------------------------------------------------------------


class StockSetIn(StrictIn):
    on_hand: int = Field(ge=-(2**31), le=1_000_000_000, description="absolute quantity")
    note: str = Field("", max_length=200)


class StockAdjustIn(StrictIn):
    delta: int = Field(ge=-1_000_000_000, le=1_000_000_000)
    reason: str = Field("adjust", pattern=r"^(adjust|recount|damage|received)$")
    note: str = Field("", max_length=200)


class StockOut(Schema):
    sku_id: int
    warehouse_id: int
    on_hand: int
    reserved: int
    available: int
    version: int

    @staticmethod
    def of(level: StockLevel) -> dict:
        return {
            "sku_id": level.sku_id,
            "warehouse_id": level.warehouse_id,
            "on_hand": level.on_hand,
            "reserved": level.reserved,
            "available": level.available,
            "version": level.version,
        }


class MovementOut(Schema):
    id: int
    warehouse_id: int
    delta: int
    on_hand_after: int
    version_after: int
    reason: str
    note: str
    created_at: datetime

    @staticmethod
    def of(m: StockMovement) -> dict:
        return {
            "id": m.pk,
            "warehouse_id": m.stock_level.warehouse_id,
            "delta": m.delta,
            "on_hand_after": m.on_hand_after,
            "version_after": m.version_after,
            "reason": m.reason,
            "note": m.note,
            "created_at": m.created_at,
        }


# --- visibility ------------------------------------------------------------------------------


class VisibilityOut(Schema):
    sku_id: int
    market: str
    visible: bool
    merchant_active: bool
    price: bool
    stock: bool
    trade_data: bool
    missing: list[str] = Field(description="failed checks, in order")
    missing_trade_fields: list[str]

    @staticmethod
    def of(v: Visibility) -> dict:
        return {
            "sku_id": v.sku_id,
            "market": v.market,
            "visible": v.visible,
            "merchant_active": v.merchant_active,
            "price": v.price,
            "stock": v.stock,
            "trade_data": v.trade_data,
            "missing": v.reasons,
            "missing_trade_fields": list(v.missing_trade_fields),
        }


# --- storefront ------------------------------------------------------------------------------


class ListingOut(Schema):
    sku_id: int
    product_id: int
    title: str
    code: str
    attributes: dict[str, str]
    merchant_id: int
    merchant_name: str
    unit_price: MoneyOut
    moq: int
    readiness: str
    lead_days: int | None
    available: int


class ListingPageOut(Schema):
    market: str
    currency: str
    count: int = Field(description="matches, counted up to 1,000")
    count_capped: bool = Field(description="there are more than `count` matches")
    corrected_query: str | None = Field(
        None,
        description="nothing matched `q`: these are the results for this corrected text "
        "(each word replaced by the most similar word listed in the market's catalog)",
    )
    page: int
    pages: int
    items: list[ListingOut]


class ListingDetailOut(ListingOut):
    description: str
    increment: int
    breaks: list[BreakOut]
    hs_code: str
    origin_country: str
    certifications: list[str]
