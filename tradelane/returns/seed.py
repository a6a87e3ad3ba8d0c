"""Default return policies per market (data, loaded by a migration and by
`services.load_default_policies`, never overwriting operator edits).

B2B has no statutory right of withdrawal: the default covers defects, transit damage,
not-as-described, wrong and missing items for 30 days from delivery (platform benchmark:
Alibaba.com Trade Assurance, 30 days after receipt). "Changed mind" is covered only where a
merchant opts in, with the market's consumer-style window (reference/cross-border-facts.md
§6.1): EU and GB 14 days from delivery, MX 5 business days (LFPC art. 56), JP 8 days
(no stated policy), KR 7 days, SA 7 days, US 30 days (market norm); markets without a
statutory window use 14 days.
"""

from __future__ import annotations

from dataclasses import dataclass

from .states import B2B_REASONS, Reason


@dataclass(frozen=True)
class MarketDefault:
    window_days: int = 30
    changed_mind_days: int = 14
    changed_mind_business_days: bool = False
    decision_days: int = 3  # the merchant decides within this many days
    auto_approve_days: int = 7  # transit damage with a photo, within 7 days of delivery
    auto_approve_reasons: tuple[str, ...] = (Reason.DAMAGED_IN_TRANSIT,)
    covered_reasons: tuple[str, ...] = tuple(B2B_REASONS)
    source: str = "platform default; no statutory change-of-mind window"


EU = "EU consumer withdrawal: 14 days from delivery (Directive 2011/83/EU)"
GENERIC = MarketDefault()
DEFAULTS: dict[str, MarketDefault] = {
    "DE": MarketDefault(changed_mind_days=14, source=EU),
    "FR": MarketDefault(changed_mind_days=14, source=EU),
    "ES": MarketDefault(changed_mind_days=14, source=EU),
    "IT": MarketDefault(changed_mind_days=14, source=EU),
    "NL": MarketDefault(changed_mind_days=14, source=EU),
    "GB": MarketDefault(
        changed_mind_days=14, source="UK Consumer Contracts Regulations 2013: 14 days"
    ),
    "US": MarketDefault(changed_mind_days=30, source="no federal right; market norm 30 days"),
    "MX": MarketDefault(
        changed_mind_days=5,
        changed_mind_business_days=True,
        source="LFPC art. 56: 5 business days",
    ),
    "JP": MarketDefault(changed_mind_days=8, source="no stated policy: 8 days from receipt"),
    "KR": MarketDefault(changed_mind_days=7, source="7 days from receipt"),
    "SA": MarketDefault(changed_mind_days=7, source="7 days if unused"),
}


def default_for(market: str) -> MarketDefault:
    return DEFAULTS.get(market.upper(), GENERIC)
