"""API shapes of the logistics context. Inputs are strict."""

from .network import DutyRateIn, DutyRateOut, EndIn, RateCardOut, RateCardRevisionIn
from .quotes import (
    LANDED_COST_EXAMPLE,
    QUOTE_EXAMPLE,
    LandedCostIn,
    LandedCostOut,
    QuoteIn,
    goods_line,
    quoted_at,
)

__all__ = [
    "LANDED_COST_EXAMPLE",
    "QUOTE_EXAMPLE",
    "DutyRateIn",
    "DutyRateOut",
    "EndIn",
    "LandedCostIn",
    "LandedCostOut",
    "QuoteIn",
    "RateCardOut",
    "RateCardRevisionIn",
    "goods_line",
    "quoted_at",
]
