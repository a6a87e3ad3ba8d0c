"""Shared wording of breakdown lines: percentages, rule names, who collects."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

CHECKOUT, DELIVERY, BUYER = "checkout", "delivery", "buyer"


def plain(value: Decimal) -> str:
    """`f"{value.normalize():f}"`: `str()` gives the same text unless it would use an
    exponent (large or tiny values), and costs a sixth of the formatting."""
    value = value.normalize()
    text = str(value)
    return text if "E" not in text else f"{value:f}"


@lru_cache(maxsize=1024)
def pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def regime_rule(regime, what: str) -> str:
    return rule_from(what, regime.effective_from)


@lru_cache(maxsize=1024)
def rule_from(what: str, effective_from) -> str:
    return f"{what} (tax rules from {effective_from})"
