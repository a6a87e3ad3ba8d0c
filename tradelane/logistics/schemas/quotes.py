"""API shapes for landed-cost and SKU quotes, and their conversion to engine inputs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from tradelane.core.api import ID_MAX, MoneyOut
from tradelane.core.money import Money

from .. import engine
from .fields import AMOUNT, CM, COUNTRY, CURRENCY, KG, STRICT


class MoneyIn(Schema):
    model_config = STRICT
    amount: str = Field(pattern=AMOUNT, examples=["12.50"])
    currency: str = Field(pattern=CURRENCY, examples=["USD"])


class DimensionsIn(Schema):
    model_config = STRICT
    length: str = Field(pattern=CM, description="cm")
    width: str = Field(pattern=CM, description="cm")
    height: str = Field(pattern=CM, description="cm")


class GoodsLineIn(Schema):
    model_config = STRICT
    hs_code: str = Field(
        min_length=1,
        max_length=16,
        description="HS/tariff code (4–10 digits, dots allowed). Unknown or malformed codes "
        "get the market's explained fallback rate.",
        examples=["4202.92"],
    )
    origin_country: str = Field("CN", pattern=COUNTRY, description="country of origin of the goods")
    unit_customs_value: MoneyIn = Field(description="customs value of ONE unit")
    quantity: int = Field(ge=1, le=100_000)
    unit_net_weight_kg: str = Field(pattern=KG)
    unit_gross_weight_kg: str = Field(pattern=KG, description="packed weight of one unit")
    carton_dimensions_cm: DimensionsIn = Field(
        description="packed size of one carton holding `units_per_carton` units"
    )
    units_per_carton: int = Field(1, ge=1, le=10_000)
    battery: bool = False
    liquid: bool = False
    magnet: bool = False
    lead_time_days: int = Field(
        0,
        ge=0,
        le=180,
        description="0 = ready stock; n = near-ready, handover after n working days",
    )


class DestinationIn(Schema):
    model_config = STRICT
    market: str = Field(pattern=COUNTRY, examples=["DE"])
    postal_code: str = Field(min_length=1, max_length=20, examples=["10115"])


class WarehouseIn(Schema):
    model_config = STRICT
    country: str = Field("CN", pattern=COUNTRY)
    time_zone: str = Field("Asia/Shanghai", min_length=3, max_length=60)
    opening_weekdays: list[int] = Field(
        [0, 1, 2, 3, 4], min_length=1, max_length=7, description="0 = Monday … 6 = Sunday"
    )
    pickup_cutoff: str = Field("16:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


LANDED_COST_EXAMPLE = {
    "lines": [
        {
            "hs_code": "4202.92",
            "origin_country": "CN",
            "unit_customs_value": {"amount": "12.50", "currency": "USD"},
            "quantity": 10,
            "unit_net_weight_kg": "0.4",
            "unit_gross_weight_kg": "0.5",
            "carton_dimensions_cm": {"length": "30", "width": "20", "height": "10"},
            "units_per_carton": 5,
        }
    ],
    "destination": {"market": "DE", "postal_code": "10115"},
    "buyer_type": "b2c",
    "incoterm": "DDP",
    "quoted_at": "2026-07-06T03:00:00Z",
}


class LandedCostIn(Schema):
    model_config = ConfigDict(
        strict=True, extra="forbid", json_schema_extra={"examples": [LANDED_COST_EXAMPLE]}
    )
    lines: list[GoodsLineIn] = Field(min_length=1, max_length=50)
    destination: DestinationIn
    buyer_type: Literal["b2c", "b2b"] = "b2c"
    buyer_tax_id: str | None = Field(
        None, max_length=40, description="checked offline (format + check digit)"
    )
    incoterm: Literal["DDP", "DAP"] = "DDP"
    quoted_at: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$",
        description="ISO-8601 with offset; default now. The rules in force on its UTC date apply.",
    )
    origin_warehouse: WarehouseIn | None = None


class SkuLineIn(Schema):
    model_config = STRICT
    sku_id: int = Field(ge=1, le=ID_MAX, description="a SKU sold in the destination market")
    quantity: int = Field(
        ge=1, le=100_000, description="units; at least the MOQ, in the price's steps"
    )


QUOTE_EXAMPLE = {
    "lines": [{"sku_id": 1, "quantity": 10}],
    "destination": {"market": "DE", "postal_code": "10115"},
    "buyer_type": "b2b",
    "buyer_tax_id": "DE136695976",
    "incoterm": "DDP",
}


class QuoteIn(Schema):
    """SKU lines only: customs values are the prices in force, computed on the server."""

    model_config = ConfigDict(
        strict=True, extra="forbid", json_schema_extra={"examples": [QUOTE_EXAMPLE]}
    )
    lines: list[SkuLineIn] = Field(min_length=1, max_length=50)
    destination: DestinationIn
    buyer_type: Literal["b2c", "b2b"] = "b2c"
    buyer_tax_id: str | None = Field(
        None, max_length=40, description="checked offline (format + check digit)"
    )
    incoterm: Literal["DDP", "DAP"] = "DDP"


class BreakdownLineOut(Schema):
    kind: str = Field(description="goods | shipping | duty | tax | fee")
    label: str
    amount: MoneyOut
    rule: str = Field(description="the rule or rate card the amount comes from")
    as_of: date | None = Field(description="as-of date of the rule's figures")
    collected: str = Field(
        description="checkout | delivery (DAP: due on delivery, estimate) | buyer (reverse charge)"
    )


class WindowOut(Schema):
    pickup: date
    earliest: date
    latest: date
    transit_business_days: list[int]


class UnavailableOut(Schema):
    code: str = Field(
        description="over_max_weight | over_max_dimensions | restricted_goods | tier_not_offered"
    )
    message: str


class TierOut(Schema):
    tier: str
    product_name: str
    available: bool
    unavailable: UnavailableOut | None
    cartons: int | None
    actual_weight_kg: str | None
    volumetric_weight_kg: str | None
    chargeable_weight_kg: str | None
    goods: MoneyOut | None
    shipping: MoneyOut | None
    duties: MoneyOut | None
    taxes: MoneyOut | None
    fees: MoneyOut | None
    total: MoneyOut | None = Field(description="landed cost: exactly the sum of the breakdown")
    payable_at_checkout: MoneyOut | None
    due_on_delivery: MoneyOut | None = Field(description="DAP: estimate of what is due on delivery")
    delivery: WindowOut | None
    breakdown: list[BreakdownLineOut]
    invoice_wording: str
    notes: list[str]


class RateOut(Schema):
    currency: str
    to: str
    rate: str
    as_of: date | None
    source: str


class LandedCostOut(Schema):
    market: str
    currency: str
    rules_on: date
    incoterm: str
    buyer_type: str
    tiers: list[TierOut]
    fx: list[RateOut] = Field(description="exchange rates used")

    @staticmethod
    def of(quote: engine.Quote) -> dict:
        return {
            "market": quote.market,
            "currency": quote.currency,
            "rules_on": quote.on,
            "incoterm": quote.incoterm,
            "buyer_type": quote.buyer_kind,
            "tiers": [_tier(t) for t in quote.tiers],
            "fx": [
                {
                    "currency": r.currency,
                    "to": r.to,
                    "rate": format(r.rate.normalize(), "f"),
                    "as_of": r.as_of,
                    "source": r.source,
                }
                for r in quote.rates
            ],
        }


def _kg(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.001")), "f")


def _tier(t: engine.TierQuote) -> dict:
    out = {
        "tier": t.tier,
        "product_name": t.product_name,
        "available": t.available,
        "unavailable": {"code": t.unavailable.code, "message": t.unavailable.message}
        if t.unavailable
        else None,
        "breakdown": [
            {
                "kind": line.kind,
                "label": line.label,
                "amount": line.amount.as_json(),
                "rule": line.rule,
                "as_of": line.as_of,
                "collected": line.collected,
            }
            for line in t.lines
        ],
        "invoice_wording": t.invoice_wording,
        "notes": list(t.notes),
    }
    empty = dict.fromkeys(
        ("cartons", "actual_weight_kg", "volumetric_weight_kg", "chargeable_weight_kg", "goods",
         "shipping", "duties", "taxes", "fees", "total", "payable_at_checkout", "due_on_delivery",
         "delivery"),
    )  # fmt: skip
    if not t.available:
        return {**out, **empty}
    s, w = t.shipping, t.window
    money = lambda m: m.as_json()  # noqa: E731
    return {
        **out,
        "cartons": s.cartons,
        "actual_weight_kg": _kg(s.actual_kg),
        "volumetric_weight_kg": _kg(s.volumetric_kg),
        "chargeable_weight_kg": _kg(s.chargeable_kg),
        "goods": money(t.subtotal("goods")),
        "shipping": money(t.subtotal("shipping")),
        "duties": money(t.subtotal("duty")),
        "taxes": money(t.subtotal("tax")),
        "fees": money(t.subtotal("fee")),
        "total": money(t.total),
        "payable_at_checkout": money(t.at_checkout),
        "due_on_delivery": money(t.on_delivery),
        "delivery": {
            "pickup": w.pickup,
            "earliest": w.earliest,
            "latest": w.latest,
            "transit_business_days": [w.transit_min_days, w.transit_max_days],
        },
    }


def goods_line(line: GoodsLineIn, index: int) -> engine.GoodsLine:
    from tradelane.core.errors import InvalidInput
    from tradelane.core.money import validate_currency

    field = f"lines[{index}]"
    currency = validate_currency(
        line.unit_customs_value.currency, field=f"{field}.unit_customs_value.currency"
    )
    dims = line.carton_dimensions_cm
    size = tuple(Decimal(v) for v in (dims.length, dims.width, dims.height))
    if any(v <= 0 for v in size):
        raise InvalidInput("Dimensions must be above zero.", field=f"{field}.carton_dimensions_cm")
    gross, net = Decimal(line.unit_gross_weight_kg), Decimal(line.unit_net_weight_kg)
    if gross <= 0:
        raise InvalidInput("Weight must be above zero.", field=f"{field}.unit_gross_weight_kg")
    if net > gross:
        raise InvalidInput(
            "Net weight cannot exceed gross weight.", field=f"{field}.unit_net_weight_kg"
        )
    return engine.GoodsLine(
        hs_code=line.hs_code.strip(),
        origin_country=line.origin_country,
        unit_value=Money(Decimal(line.unit_customs_value.amount), currency),
        quantity=line.quantity,
        unit_net_kg=net,
        unit_gross_kg=gross,
        carton_cm=size,
        units_per_carton=line.units_per_carton,
        battery=line.battery,
        liquid=line.liquid,
        magnet=line.magnet,
        lead_time_days=line.lead_time_days,
    )


def quoted_at(value: str | None) -> datetime | None:
    if value is None:
        return None
    from tradelane.core.errors import InvalidInput

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid time.", field="quoted_at") from None
