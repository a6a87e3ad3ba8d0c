"""Fully-managed listings: merchants' supply prices, operators' retail prices, and the
comparison of both models on one SKU."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tradelane.core.access import MERCHANT_MEMBER, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, MoneyOut, Pagination, RowId, StrictIn
from tradelane.core.money import Money

from .. import managed
from ..models import ManagedOffer
from ..schemas import CURRENCY, MARKET
from ..services import managed as services

router = Router(tags=["catalog: fully-managed"])

AMOUNT = r"^-?\d{1,14}(\.\d{1,6})?$"


class SupplyPriceIn(StrictIn):
    market: str = Field(pattern=MARKET)
    currency: str = Field(pattern=CURRENCY)
    supply_price: str = Field(pattern=AMOUNT, description='what you ask per unit, e.g. "7.20"')
    unit_cost: str | None = Field(None, pattern=AMOUNT, description="your own cost, for margins")


class RetailPriceIn(StrictIn):
    market: str = Field(pattern=MARKET)
    currency: str = Field(pattern=CURRENCY)
    retail_price: str = Field(pattern=AMOUNT)


def _money(value, currency: str) -> dict | None:
    return None if value is None else Money(value, currency).as_json()


class OfferOut(Schema):
    id: int
    sku_id: int
    sku_code: str
    merchant_id: int
    market: str
    supply_price: MoneyOut
    unit_cost: MoneyOut | None
    retail_price: MoneyOut | None
    supply_set_at: datetime
    retail_set_at: datetime | None
    version: int

    @staticmethod
    def resolve_sku_code(offer: ManagedOffer) -> str:
        return offer.sku.code

    @staticmethod
    def resolve_merchant_id(offer: ManagedOffer) -> int:
        return offer.sku.organisation_id

    @staticmethod
    def resolve_market(offer: ManagedOffer) -> str:
        return offer.market_id

    @staticmethod
    def resolve_supply_price(offer: ManagedOffer) -> dict:
        return _money(offer.supply_price, offer.currency)

    @staticmethod
    def resolve_unit_cost(offer: ManagedOffer) -> dict | None:
        return _money(offer.unit_cost, offer.currency)

    @staticmethod
    def resolve_retail_price(offer: ManagedOffer) -> dict | None:
        return _money(offer.retail_price, offer.currency)


class ComparisonOut(Schema):
    market: str
    currency: str
    own_price: MoneyOut | None = Field(description="semi-managed: the merchant's price")
    supply_price: MoneyOut | None
    retail_price: MoneyOut | None
    unit_cost: MoneyOut | None
    semi_margin: MoneyOut | None = Field(description="own price − unit cost")
    full_margin: MoneyOut | None = Field(description="supply price − unit cost")
    platform_margin: MoneyOut | None = Field(description="retail − supply")
    platform_margin_pct: str | None


class ModelComparisonOut(Schema):
    sku_id: int
    sku_code: str
    operating_model: str
    markets: list[ComparisonOut]


def _comparison(row: managed.Comparison) -> dict:
    def money(value):
        return _money(value, row.currency)

    return {
        "market": row.market,
        "currency": row.currency,
        "own_price": money(row.own_price),
        "supply_price": money(row.supply_price),
        "retail_price": money(row.retail_price),
        "unit_cost": money(row.unit_cost),
        "semi_margin": money(row.semi_margin),
        "full_margin": money(row.full_margin),
        "platform_margin": money(row.platform_margin),
        "platform_margin_pct": None
        if row.platform_margin_pct is None
        else str(row.platform_margin_pct),
    }


@router.post(
    "/merchant/skus/{sku_id}/supply-price",
    response={200: OfferOut, **ERRORS},
    summary="Set a SKU's fully-managed supply price in a market",
)
@allow(MERCHANT_MEMBER)
def set_supply_price(request, payload: SupplyPriceIn, sku_id: int = RowId):
    """What the platform pays you per unit under the fully-managed model (in the market's
    currency); `unit_cost` (optional) gives margins in the comparison."""
    data = payload.model_dump()
    offer = services.set_supply_price(
        actor=current_actor(request),
        sku_id=sku_id,
        market_code=data["market"],
        currency=data["currency"],
        supply_price=data["supply_price"],
        unit_cost=data["unit_cost"],
    )
    return offer


@router.get(
    "/merchant/skus/{sku_id}/model-comparison",
    response={200: ModelComparisonOut, **ERRORS},
    summary="Semi-managed vs fully-managed economics of one SKU, per market",
)
@allow(MERCHANT_MEMBER)
def model_comparison(request, sku_id: int = RowId):
    sku, fully, rows = managed.compare_models(actor=current_actor(request), sku_id=sku_id)
    return {
        "sku_id": sku.pk,
        "sku_code": sku.code,
        "operating_model": "fully_managed" if fully else "semi_managed",
        "markets": [_comparison(r) for r in rows],
    }


class OfferFilters(Schema):
    market: str | None = Field(None, pattern=MARKET)
    pending: bool = False


@router.get(
    "/ops/catalog/managed-offers",
    response={200: list[OfferOut], **ERRORS},
    summary="Supply prices and their retail prices (operators)",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def list_offers(request, filters: Query[OfferFilters]):
    """Newest supply price first; `pending=true` for those without a retail price."""
    return managed.list_offers(
        actor=current_actor(request), market=filters.market, pending_only=filters.pending
    )


@router.post(
    "/ops/catalog/skus/{sku_id}/retail-price",
    response={200: OfferOut, **ERRORS},
    summary="Set the platform's retail price of a SKU in a market (operators)",
)
@allow(OPERATOR_MEMBER)
def set_retail_price(request, payload: RetailPriceIn, sku_id: int = RowId):
    """Needs the merchant's supply price in that market (422 `no_supply_price`). For a
    fully-managed merchant the retail price becomes the storefront price."""
    data = payload.model_dump()
    offer = services.set_retail_price(
        actor=current_actor(request),
        sku_id=sku_id,
        market_code=data["market"],
        currency=data["currency"],
        retail_price=data["retail_price"],
    )
    return offer
