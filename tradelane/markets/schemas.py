"""API shapes for markets and FX. Amounts and rates are strings; inputs are strict."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from tradelane.core.api import MoneyOut
from tradelane.core.money import Money

from .models import B2BRule, Confidence, Fee, FeeBasis, Market, TaxRegime
from .selectors import Conversion, RateQuote

CURRENCY = r"^[A-Z]{3}$"
DECIMAL = r"^\d{1,10}(\.\d{1,8})?$"
AMOUNT = r"^\d{1,14}(\.\d{1,4})?$"
FRACTION = r"^(0(\.\d{1,6})?|1(\.0{1,6})?)$"
DAY = r"^\d{4}-\d{2}-\d{2}$"


def _money(value: Money | None) -> dict | None:
    return MoneyOut.of(value)


def _rate(value) -> str | None:
    return None if value is None else format(value.normalize(), "f")


class RegimeSummaryOut(Schema):
    tax_name: str
    standard_rate: str = Field(description="fraction as a string: 0.2 = 20%")
    duty_de_minimis: MoneyOut | None = Field(description="null: no duty de minimis")
    tax_de_minimis: MoneyOut | None = Field(description="null: no tax de minimis")
    collect_at_sale_threshold: MoneyOut | None = Field(
        description="tax collected at sale up to this value"
    )
    b2b_rule: str
    effective_from: date
    effective_to: date | None

    @staticmethod
    def of(regime: TaxRegime | None) -> dict | None:
        if regime is None:
            return None
        return {
            "tax_name": regime.tax_name,
            "standard_rate": _rate(regime.standard_rate),
            "duty_de_minimis": _money(regime.duty_de_minimis),
            "tax_de_minimis": _money(regime.tax_de_minimis),
            "collect_at_sale_threshold": _money(regime.collect_at_sale_threshold),
            "b2b_rule": regime.b2b_rule,
            "effective_from": regime.effective_from,
            "effective_to": regime.effective_to,
        }


class RegimeOut(RegimeSummaryOut):
    id: int
    rate_notes: str
    collection_model: str
    b2b_tax_id_kind: str
    b2b_invoice_wording: str
    b2b_confidence: str
    china_origin_global_rate: str | None
    china_origin_notes: str
    confidence: str = Field(description="verified | uncertain | placeholder")
    source_note: str
    as_of: date | None

    @staticmethod
    def of(regime: TaxRegime) -> dict:
        return {
            **RegimeSummaryOut.of(regime),
            "id": regime.pk,
            "rate_notes": regime.rate_notes,
            "collection_model": regime.collection_model,
            "b2b_tax_id_kind": regime.b2b_tax_id_kind,
            "b2b_invoice_wording": regime.b2b_invoice_wording,
            "b2b_confidence": regime.b2b_confidence,
            "china_origin_global_rate": _rate(regime.china_origin_global_rate),
            "china_origin_notes": regime.china_origin_notes,
            "confidence": regime.confidence,
            "source_note": regime.source_note,
            "as_of": regime.as_of,
        }


class FeeOut(Schema):
    id: int
    name: str
    amount: MoneyOut
    basis: str
    max_consignment: MoneyOut | None
    applies_to_b2b: bool
    effective_from: date
    effective_to: date | None
    notes: str
    confidence: str
    source_note: str
    as_of: date | None

    @staticmethod
    def of(fee: Fee) -> dict:
        return {
            "id": fee.pk,
            "name": fee.name,
            "amount": fee.money.as_json(),
            "basis": fee.basis,
            "max_consignment": _money(fee.max_consignment),
            "applies_to_b2b": fee.applies_to_b2b,
            "effective_from": fee.effective_from,
            "effective_to": fee.effective_to,
            "notes": fee.notes,
            "confidence": fee.confidence,
            "source_note": fee.source_note,
            "as_of": fee.as_of,
        }


class MarketOut(Schema):
    code: str
    name: str
    currency: str
    minor_units: int
    display_decimals: int
    locales: list[str]
    default_locale: str
    status: str
    recruiting_from: date | None
    live_from: date | None
    tax: RegimeSummaryOut | None = Field(description="the tax regime in force today")

    @staticmethod
    def of(market: Market, regime: TaxRegime | None) -> dict:
        return {
            "code": market.code,
            "name": market.name,
            "currency": market.currency,
            "minor_units": market.minor_units,
            "display_decimals": market.shown_decimals,
            "locales": market.locales,
            "default_locale": market.default_locale,
            "status": market.status,
            "recruiting_from": market.recruiting_from,
            "live_from": market.live_from,
            "tax": RegimeSummaryOut.of(regime),
        }


class MarketDetailOut(MarketOut):
    currency_numeric: str
    postal_code_regex: str
    postal_code_example: str
    postal_code_required: bool
    phone_prefix: str
    source_note: str
    as_of: date | None
    tax_regimes: list[RegimeOut]
    fees: list[FeeOut]

    @staticmethod
    def of(market: Market, regime, regimes, fees) -> dict:
        return {
            **MarketOut.of(market, regime),
            "currency_numeric": market.currency_numeric,
            "postal_code_regex": market.postal_code_regex,
            "postal_code_example": market.postal_code_example,
            "postal_code_required": market.postal_code_required,
            "phone_prefix": market.phone_prefix,
            "source_note": market.source_note,
            "as_of": market.as_of,
            "tax_regimes": [RegimeOut.of(r) for r in regimes],
            "fees": [FeeOut.of(f) for f in fees],
        }


class MarketPatchIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=100)
    locales: list[str] | None = Field(None, min_length=1, max_length=10)
    default_locale: str | None = Field(None, min_length=2, max_length=16)
    display_decimals: int | None = Field(None, ge=0, le=4)
    postal_code_regex: str | None = Field(None, max_length=300)
    postal_code_example: str | None = Field(None, max_length=40)
    postal_code_required: bool | None = None
    phone_prefix: str | None = Field(None, min_length=2, max_length=8)
    source_note: str | None = Field(None, max_length=5000)


class StatusIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    status: Literal["planned", "recruiting", "live"]
    note: str = Field("", max_length=500)


class LaunchIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    note: str = Field("", max_length=500)


class FxRateOut(Schema):
    id: int
    base: str
    quote: str
    rate: str
    as_of: date
    source: str

    @staticmethod
    def of(row) -> dict:
        return {
            "id": row.pk,
            "base": row.base,
            "quote": row.quote,
            "rate": _rate(row.rate),
            "as_of": row.as_of,
            "source": row.source,
        }


class FxRateIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    base: str = Field(pattern=CURRENCY)
    quote: str = Field(pattern=CURRENCY)
    rate: str = Field(pattern=DECIMAL, description='1 base = rate quote, e.g. "1.0512"')
    as_of: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    source: str = Field(min_length=1, max_length=40)


class RateUsedOut(Schema):
    base: str
    quote: str
    rate: str
    as_of: date | None
    source: str
    method: str = Field(description="identity | direct | inverse | cross (via EUR)")
    rate_id: int | None
    rate_ids: list[int]

    @staticmethod
    def of(quote: RateQuote) -> dict:
        return {
            "base": quote.base,
            "quote": quote.quote,
            "rate": _rate(quote.rate),
            "as_of": quote.as_of,
            "source": quote.source,
            "method": quote.method,
            "rate_id": quote.rate_id,
            "rate_ids": list(quote.rate_ids),
        }


class ConversionOut(Schema):
    original: MoneyOut
    converted: MoneyOut = Field(description="rounded to the target currency's minor unit")
    converted_exact: str = Field(description="full precision, before rounding")
    rate: RateUsedOut

    @staticmethod
    def of(conversion: Conversion) -> dict:
        return {
            "original": {
                "amount": str(conversion.original.amount),
                "currency": conversion.original.currency,
            },
            "converted": conversion.converted.as_json(),
            "converted_exact": format(conversion.converted.amount.normalize(), "f"),
            "rate": RateUsedOut.of(conversion.rate),
        }


# --- tax regimes and fees (input) ------------------------------------------------------------

B2BRuleIn = Literal[tuple(B2BRule.values)]
ConfidenceIn = Literal[tuple(Confidence.values)]
FeeBasisIn = Literal[tuple(FeeBasis.values)]


class MoneyIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    amount: str = Field(pattern=AMOUNT, description='non-negative, e.g. "150.00"')
    currency: str = Field(pattern=CURRENCY)


class TaxRegimeIn(Schema):
    """A new regime; its period may not overlap another regime of the market."""

    model_config = ConfigDict(strict=True, extra="forbid")

    effective_from: str = Field(pattern=DAY, description="YYYY-MM-DD, first day in force")
    effective_to: str | None = Field(
        None, pattern=DAY, description="YYYY-MM-DD, first day no longer in force; null = open"
    )
    tax_name: str = Field(min_length=1, max_length=60)
    standard_rate: str = Field(pattern=FRACTION, description='fraction: "0.19" = 19%')
    b2b_rule: B2BRuleIn
    duty_de_minimis: MoneyIn | None = Field(None, description="null: no duty de minimis")
    tax_de_minimis: MoneyIn | None = Field(None, description="null: no tax de minimis")
    collect_at_sale_threshold: MoneyIn | None = None
    china_origin_global_rate: str | None = Field(None, pattern=FRACTION)
    rate_notes: str = Field("", max_length=2000)
    collection_model: str = Field("", max_length=2000)
    b2b_tax_id_kind: str = Field("", max_length=120)
    b2b_invoice_wording: str = Field("", max_length=300)
    china_origin_notes: str = Field("", max_length=2000)
    confidence: ConfidenceIn = "placeholder"
    b2b_confidence: ConfidenceIn = "placeholder"
    source_note: str = Field("", max_length=2000)
    close_open: bool = Field(
        False, description="end the open-ended regime that started earlier on effective_from"
    )


class FeeIn(Schema):
    """A new fixed fee; it may not overlap a fee of the same name in the market."""

    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    amount: MoneyIn
    basis: FeeBasisIn
    max_consignment: MoneyIn | None = Field(None, description="null: every consignment")
    applies_to_b2b: bool = False
    effective_from: str = Field(pattern=DAY, description="YYYY-MM-DD, first day in force")
    effective_to: str | None = Field(
        None, pattern=DAY, description="YYYY-MM-DD, first day no longer in force; null = open"
    )
    notes: str = Field("", max_length=2000)
    confidence: ConfidenceIn = "placeholder"
    source_note: str = Field("", max_length=2000)
    close_open: bool = Field(
        False, description="end the open-ended fee of the same name on effective_from"
    )


class EndIn(Schema):
    model_config = ConfigDict(strict=True, extra="forbid")

    effective_to: str = Field(
        pattern=DAY, description="YYYY-MM-DD, first day no longer in force; after today"
    )
