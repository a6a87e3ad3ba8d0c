"""API shapes for landed-cost quotes and the network tables. Inputs are strict."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from tradelane.core.api import MoneyOut
from tradelane.core.money import Money

from . import engine
from .models import DutyRate, RateCard

AMOUNT = r"^\d{1,12}(\.\d{1,4})?$"
KG = r"^\d{1,5}(\.\d{1,3})?$"
CM = r"^\d{1,4}(\.\d{1,1})?$"
CURRENCY = r"^[A-Z]{3}$"
COUNTRY = r"^[A-Z]{2}$"
FRACTION = r"^(0(\.\d{1,6})?|[1-4](\.\d{1,6})?|5(\.0{1,6})?)$"
STRICT = ConfigDict(strict=True, extra="forbid")


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
    sku_id: int = Field(ge=1, le=2**63 - 1, description="a SKU sold in the destination market")
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


# --- network tables -----------------------------------------------------------------------


def _num(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


class RateCardOut(Schema):
    id: int
    origin_country: str
    market: str
    tier: str
    product_name: str
    currency: str
    handling_fee: str
    first_kg: str
    first_price: str
    step_kg: str
    step_price: str
    bands: list[dict]
    min_billable_kg: str
    rounding_kg: str
    volumetric_divisor: int | None
    fuel_surcharge_rate: str
    remote_areas: list[dict]
    max_weight_kg: str
    max_side_cm: str
    max_sum_of_sides_cm: str | None
    max_length_plus_girth_cm: str | None
    carries_battery: bool
    carries_liquid: bool
    carries_magnet: bool
    transit_min_days: int
    transit_max_days: int
    effective_from: date
    effective_to: date | None
    confidence: str
    source_note: str
    as_of: date | None

    @staticmethod
    def of(card: RateCard) -> dict:
        out = {
            name: getattr(card, name)
            for name in (
                "id", "tier", "product_name", "currency", "bands", "volumetric_divisor",
                "remote_areas", "carries_battery", "carries_liquid", "carries_magnet",
                "transit_min_days", "transit_max_days", "effective_from", "effective_to",
                "confidence", "source_note", "as_of",
            )
        }  # fmt: skip
        for name in (
            "handling_fee", "first_kg", "first_price", "step_kg", "step_price", "min_billable_kg",
            "rounding_kg", "fuel_surcharge_rate", "max_weight_kg", "max_side_cm",
            "max_sum_of_sides_cm", "max_length_plus_girth_cm",
        ):  # fmt: skip
            out[name] = _num(getattr(card, name))
        out["origin_country"] = card.lane.origin_country
        out["market"] = card.lane.destination_id
        return out


class BandIn(Schema):
    model_config = STRICT
    from_kg: str = Field(pattern=KG)
    per_kg: str = Field(pattern=AMOUNT)


class RemoteAreaIn(Schema):
    model_config = STRICT
    name: str = Field(min_length=1, max_length=100)
    pattern: str = Field(min_length=1, max_length=300)
    per_kg: str = Field(pattern=AMOUNT)
    minimum: str = Field(pattern=AMOUNT)


class RateCardRevisionIn(Schema):
    """A new version from `effective_from` (tomorrow or later); only the fields given change."""

    model_config = STRICT
    effective_from: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    note: str = Field("", max_length=300)
    product_name: str | None = Field(None, max_length=120)
    currency: str | None = Field(None, pattern=CURRENCY)
    handling_fee: str | None = Field(None, pattern=AMOUNT)
    first_kg: str | None = Field(None, pattern=KG)
    first_price: str | None = Field(None, pattern=AMOUNT)
    step_kg: str | None = Field(None, pattern=KG)
    step_price: str | None = Field(None, pattern=AMOUNT)
    bands: list[BandIn] | None = Field(None, max_length=20)
    min_billable_kg: str | None = Field(None, pattern=KG)
    rounding_kg: str | None = Field(None, pattern=KG)
    volumetric_divisor: int | None = Field(None, ge=1000, le=20000)
    fuel_surcharge_rate: str | None = Field(None, pattern=r"^(0(\.\d{1,6})?|1(\.0{1,6})?)$")
    remote_areas: list[RemoteAreaIn] | None = Field(None, max_length=20)
    max_weight_kg: str | None = Field(None, pattern=KG)
    max_side_cm: str | None = Field(None, pattern=CM)
    max_sum_of_sides_cm: str | None = Field(None, pattern=CM)
    max_length_plus_girth_cm: str | None = Field(None, pattern=CM)
    carries_battery: bool | None = None
    carries_liquid: bool | None = None
    carries_magnet: bool | None = None
    transit_min_days: int | None = Field(None, ge=0, le=120)
    transit_max_days: int | None = Field(None, ge=0, le=120)
    confidence: Literal["verified", "uncertain", "placeholder"] | None = None
    source_note: str | None = Field(None, max_length=5000)


class DutyRateOut(Schema):
    id: int
    market: str
    program: str
    origin_country: str
    hs_prefix: str = Field(description="empty = the market's fallback for unknown/malformed codes")
    rate: str
    description: str
    exclusive_of: str
    effective_from: date
    effective_to: date | None
    confidence: str
    source_note: str
    as_of: date | None

    @staticmethod
    def of(row: DutyRate) -> dict:
        return {
            "id": row.pk,
            "market": row.market_id,
            "program": row.program,
            "origin_country": row.origin_country,
            "hs_prefix": row.hs_prefix,
            "rate": _num(row.rate),
            "description": row.description,
            "exclusive_of": row.exclusive_of,
            "effective_from": row.effective_from,
            "effective_to": row.effective_to,
            "confidence": row.confidence,
            "source_note": row.source_note,
            "as_of": row.as_of,
        }


class DutyRateIn(Schema):
    model_config = STRICT
    market: str = Field(pattern=COUNTRY)
    program: str = Field(min_length=2, max_length=20)
    origin_country: str = Field("", pattern=r"^([A-Z]{2})?$")
    hs_prefix: str = Field("", pattern=r"^(\d{2,10})?$")
    rate: str = Field(pattern=FRACTION, description="fraction: 0.25 = 25%")
    description: str = Field(min_length=1, max_length=200)
    exclusive_of: str = Field("", max_length=20)
    effective_from: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    effective_to: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    confidence: Literal["verified", "uncertain", "placeholder"] = "placeholder"
    source_note: str = Field("", max_length=5000)


class EndIn(Schema):
    model_config = STRICT
    effective_to: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


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
