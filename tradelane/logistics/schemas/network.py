"""API shapes for the network tables: rate cards and duty rates."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import Field

from ..models import DutyRate, RateCard
from .fields import AMOUNT, CM, COUNTRY, CURRENCY, FRACTION, KG, STRICT


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
    pricing_basis: Literal["per_parcel", "per_shipment"]
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
                "pricing_basis",
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
    pricing_basis: Literal["per_parcel", "per_shipment"] | None = Field(
        None,
        description="per_shipment: a multi-carton shipment is priced once on the sum of its "
        "cartons' chargeable weights (each carton still within the parcel limits)",
    )
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
