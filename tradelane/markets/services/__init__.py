"""Writes for markets, tax regimes, fees and FX rates: one transaction each, audited.

Split by concept; import from here (`from tradelane.markets import services`).
"""

from .fx import ImportResult, import_ecb_rates, set_fx_rate
from .markets import EDITABLE_MARKET_FIELDS, change_market_status, launch_market, update_market
from .reference import load_reference_markets
from .rules import add_fee, add_tax_regime, end_fee, end_tax_regime
from .versions import bump_reference_version

__all__ = [
    "EDITABLE_MARKET_FIELDS",
    "ImportResult",
    "add_fee",
    "add_tax_regime",
    "bump_reference_version",
    "change_market_status",
    "end_fee",
    "end_tax_regime",
    "import_ecb_rates",
    "launch_market",
    "load_reference_markets",
    "set_fx_rate",
    "update_market",
]
