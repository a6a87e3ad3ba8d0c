"""Shared wording of breakdown lines: percentages, rule names, who collects."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

CHECKOUT, DELIVERY, BUYER = "checkout", "delivery", "buyer"


@lru_cache(maxsize=1024)
def pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def regime_rule(regime, what: str) -> str:
    return rule_from(what, regime.effective_from)


@lru_cache(maxsize=1024)
def rule_from(what: str, effective_from) -> str:
    return f"{what} (tax rules from {effective_from})"
