"""Reference data for the 20 markets, from /work/shared/reference/cross-border-facts.md.

Plain data, loaded by `services.load_reference_markets()` (a data migration and the
`load_markets` command). Compiled 2026-11-25; each figure set carries its confidence,
source and as-of date. Effective dates are half-open: `to` is the first day a rule no
longer applies. Amounts are (amount, currency) pairs; None means "there is none".
"""

from .dates import AS_OF, LAUNCH_LIVE_FROM, LAUNCH_RECRUITING_FROM
from .fees import FEES
from .markets import MARKETS
from .regimes_americas import REGIMES as _AMERICAS
from .regimes_asia_gulf import REGIMES as _ASIA_GULF
from .regimes_europe import REGIMES as _EUROPE
from .regional import REGIONAL_TAXES

REGIMES: dict[str, list[dict]] = {**_AMERICAS, **_EUROPE, **_ASIA_GULF}

__all__ = [
    "AS_OF",
    "FEES",
    "LAUNCH_LIVE_FROM",
    "LAUNCH_RECRUITING_FROM",
    "MARKETS",
    "REGIMES",
    "REGIONAL_TAXES",
]
