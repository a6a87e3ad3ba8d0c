"""Returns API: return rates per SKU, merchant and top-level category.

Return rate over a period (the last 30, 90 or 365 days; 90 by default; optionally in one
market) = units in return requests created in the period that were not cancelled or denied
÷ units of the order lines of orders delivered in the period. Each side counts by its own
date (a rate can exceed 100%); with no unit delivered the rate is `null`. Paginated like
every list (`page`, `page_size` ≤ 100); a page costs a constant number of queries."""

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from tradelane.core.access import MERCHANT_MEMBER, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, ID_MAX, Pagination

from .. import reports

router = Router(tags=["returns"])

PERIOD = Query(
    reports.DEFAULT_PERIOD,
    description="The period: the last 30, 90 (default) or 365 days.",
)
MARKET = Query(
    None,
    max_length=2,
    description="Only orders delivered to and returns in this market (ISO code, e.g. DE).",
)
SORT = Query(
    reports.DEFAULT_SORT,
    description=(
        "rate (highest first, no deliveries last), returned or delivered (most units "
        "first), name (A to Z)."
    ),
)


class ReasonOut(Schema):
    reason: str
    label: str
    units: int


class RateFields(Schema):
    units_delivered: int = Field(..., description="Units of orders delivered in the period.")
    units_returned: int = Field(
        ..., description="Units in return requests of the period, not cancelled or denied."
    )
    rate_percent: str | None = Field(
        ..., description='returned ÷ delivered in percent to 0.1 ("12.5"); null without deliveries.'
    )
    top_reasons: list[ReasonOut] = Field(..., description="At most 3, most units first.")


class SkuRateOut(RateFields):
    sku_id: int
    sku_code: str
    title: str
    merchant_id: int
    merchant_name: str


class MerchantRateOut(RateFields):
    merchant_id: int
    merchant_name: str


class CategoryRateOut(RateFields):
    category_id: int | None = Field(..., description="The top-level category; null: none.")
    category_name: str


def _rate(row: reports.RateRow) -> dict:
    return {
        "units_delivered": row.delivered,
        "units_returned": row.returned,
        "rate_percent": f"{row.percent:f}" if row.percent is not None else None,
        "top_reasons": [
            {"reason": r.reason, "label": r.label, "units": r.units} for r in row.top_reasons
        ],
    }


def _sku(row):
    return {
        "sku_id": row.key,
        "sku_code": row.code,
        "title": row.label,
        "merchant_id": row.merchant_id,
        "merchant_name": row.merchant_name,
        **_rate(row),
    }


def _merchant(row):
    return {"merchant_id": row.key, "merchant_name": row.label, **_rate(row)}


def _category(row):
    return {"category_id": row.key, "category_name": str(row.label), **_rate(row)}


class _Mapped:
    """Rows mapped to dicts after pagination sliced them (lazy `RateRows` or a list)."""

    def __init__(self, rows, mapper):
        self.rows = rows
        self.mapper = mapper

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, item):
        return [self.mapper(row) for row in self.rows[item]]


@router.get(
    "/returns/rates/skus",
    response={200: list[SkuRateOut], **ERRORS},
    summary="Return rate per SKU",
)
@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
@paginate(Pagination)
def sku_rates(
    request,
    period: int = PERIOD,
    market: str | None = MARKET,
    sort: str = SORT,
    merchant: int | None = Query(
        None, ge=1, le=ID_MAX, description="Operators: one merchant's SKUs (default all)."
    ),
):
    """A merchant's own SKUs (another merchant's id is a 404); an operator's: every
    merchant's, or one with `merchant`. Only SKUs with units delivered or returned in the
    period. 422 naming `period`, `market` or `sort` for a value out of range."""
    window = reports.window(period=period, market=market)
    rows = reports.sku_rates(
        actor=current_actor(request), window=window, merchant_id=merchant, sort=sort
    )
    return _Mapped(rows, _sku)


@router.get(
    "/returns/rates/merchants",
    response={200: list[MerchantRateOut], **ERRORS},
    summary="Return rate per merchant (operators)",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def merchant_rates(request, period: int = PERIOD, market: str | None = MARKET, sort: str = SORT):
    """Every merchant with units delivered or returned in the period. 422 naming `period`,
    `market` or `sort`."""
    window = reports.window(period=period, market=market)
    return _Mapped(
        reports.merchant_rates(actor=current_actor(request), window=window, sort=sort), _merchant
    )


@router.get(
    "/returns/rates/categories",
    response={200: list[CategoryRateOut], **ERRORS},
    summary="Return rate per top-level catalog category (operators)",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def category_rates(request, period: int = PERIOD, market: str | None = MARKET, sort: str = SORT):
    """A SKU counts in its product's top-level category (`category_id` null: none).
    422 naming `period`, `market` or `sort`."""
    window = reports.window(period=period, market=market)
    return _Mapped(
        reports.category_rates(actor=current_actor(request), window=window, sort=sort), _category
    )
