"""Plain inputs of the engine: the goods, the warehouse, the destination, the buyer, and
the network snapshot (rate cards, calendar, duty rows, tax rules, FX) loaded once.

Nothing here touches the database: `selectors.load_network` builds a `Network`, and the
engine computes from these values only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from tradelane.core.money import Money

TIERS = ("economy", "standard", "premium")
B2C, B2B = "b2c", "b2b"
DDP, DAP = "DDP", "DAP"


@dataclass(frozen=True, slots=True)
class GoodsLine:
    """One kind of goods. `carton_cm` is the packed size of one carton holding
    `units_per_carton` units (1 = each unit ships in its own packed box)."""

    hs_code: str
    origin_country: str
    unit_value: Money  # customs value of one unit
    quantity: int
    unit_net_kg: Decimal
    unit_gross_kg: Decimal
    carton_cm: tuple[Decimal, Decimal, Decimal]
    units_per_carton: int = 1
    battery: bool = False
    liquid: bool = False
    magnet: bool = False
    lead_time_days: int = 0  # 0 = ready stock; n = near-ready, handover after n working days


@dataclass(frozen=True, slots=True)
class Warehouse:
    country: str = "CN"
    time_zone: str = "Asia/Shanghai"
    opening_weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # 0 = Monday
    pickup_cutoff: time = time(16, 0)


@dataclass(frozen=True, slots=True)
class Buyer:
    kind: str = B2C  # b2c | b2b
    tax_id: str | None = None  # already validated and normalised (see taxids.py)


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    lines: tuple[GoodsLine, ...]
    postal_code: str
    quoted_at: datetime  # aware
    warehouse: Warehouse = Warehouse()
    buyer: Buyer = Buyer()
    incoterm: str = DDP


# --- the network snapshot ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteArea:
    name: str
    pattern: re.Pattern
    per_kg: Decimal
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class Card:
    tier: str
    card_id: int | None
    product_name: str
    currency: str
    handling_fee: Decimal
    first_kg: Decimal
    first_price: Decimal
    step_kg: Decimal
    step_price: Decimal
    bands: tuple[tuple[Decimal, Decimal], ...]  # (from_kg, per_kg), ascending
    min_billable_kg: Decimal
    rounding_kg: Decimal
    volumetric_divisor: Decimal | None  # cm³ per kg
    fuel_rate: Decimal
    remote_areas: tuple[RemoteArea, ...]
    max_weight_kg: Decimal
    max_side_cm: Decimal
    max_sum_of_sides_cm: Decimal | None
    max_length_plus_girth_cm: Decimal | None
    carries_battery: bool
    carries_liquid: bool
    carries_magnet: bool
    transit_min_days: int
    transit_max_days: int
    as_of: date | None
    effective_from: date
    pricing_basis: str = "per_parcel"  # per_parcel | per_shipment


@dataclass(frozen=True, slots=True)
class DutyRow:
    program: str
    label: str  # human name of the program
    origin_country: str  # "" = any origin
    hs_prefix: str  # "" = any code (fallback)
    rate: Decimal
    description: str
    exclusive_of: str
    as_of: date | None
    effective_from: date


@dataclass(frozen=True, slots=True)
class Regime:
    tax_name: str
    rate: Decimal
    duty_de_minimis: Money | None
    tax_de_minimis: Money | None
    collect_at_sale: Money | None
    b2b_rule: str
    b2b_invoice_wording: str
    cn_global_rate: Decimal | None
    as_of: date | None
    effective_from: date


@dataclass(frozen=True, slots=True)
class RegionalTax:
    """A province's tax on imports beside (or, harmonised, instead of) the national one."""

    region: str
    region_name: str
    postal_prefixes: tuple[str, ...]
    national_tax_name: str
    tax_name: str  # "" = the region adds none
    rate: Decimal
    replaces_national: bool
    as_of: date | None
    effective_from: date

    def matches(self, postal_code: str) -> bool:
        return postal_code.startswith(self.postal_prefixes)


@dataclass(frozen=True, slots=True)
class FeeRule:
    name: str
    amount: Money
    basis: str  # per_parcel | per_consignment | per_item | per_tariff_line
    max_consignment: Money | None
    applies_to_b2b: bool
    as_of: date | None
    effective_from: date


@dataclass(frozen=True, slots=True)
class Rate:
    """1 unit of `currency` = `rate` units of the market currency (what convert used)."""

    currency: str
    to: str
    rate: Decimal
    as_of: date | None
    source: str
    method: str


@dataclass(slots=True)
class Network:
    market: str
    currency: str
    minor_units: int
    on: date
    origin_country: str
    valuation: str  # cif | fob
    cards: Mapping[str, Card]  # tier → card in force (missing tier = not offered)
    non_delivery_weekdays: frozenset[int]
    holidays: frozenset[date]
    duties: tuple[DutyRow, ...]
    regime: Regime | None
    fees: tuple[FeeRule, ...]
    rates: Mapping[str, Rate]  # currency → market currency
    postal_pattern: re.Pattern | None = None
    regional_taxes: tuple[RegionalTax, ...] = ()
    # memo of the delivery calendar: start day → the dates after n business days
    _calendar_memo: dict = field(default_factory=dict)
    _duty_memo: dict = field(default_factory=dict)
    # values derived from the snapshot's own fields (not an init field, so that
    # dataclasses.replace() starts a fresh memo for the changed copy)
    _snapshot_memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # the duty table indexed by HS prefix (built on first use from `duties`, which it
    # names; part of the snapshot like its rows, not a memo of quotes)
    _duty_index: tuple | None = field(default=None, init=False, repr=False, compare=False)
