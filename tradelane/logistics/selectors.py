"""Reads of the logistics network. Reference data: no tenant scoping (like markets).

`load_network` is the one place the quote engine's data comes from: a handful of
queries, then the engine computes without touching the database. Snapshots are kept per
process, keyed by (market, day, origin, currencies), and trusted only while the
reference-data version (one cheap query, `markets.selectors.reference_version`) is the
one they were loaded under: every write to lanes, rate cards, duty rates, markets, tax
regimes, fees, regional taxes and FX rates replaces that version in its transaction, so
the next quote in any process reloads.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from django.db.models import Q, QuerySet
from django.utils import timezone

from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.models import AuditEntry
from tradelane.markets import selectors as markets

from .engine.inputs import (
    Card,
    DutyRow,
    FeeRule,
    Network,
    Rate,
    Regime,
    RegionalTax,
    RemoteArea,
)
from .models import DutyProgram, DutyRate, Lane, RateCard, Tier


def _in_force(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on))


def _d(value) -> Decimal:
    return Decimal(str(value))


# --- operator lists -------------------------------------------------------------------------


def list_lanes() -> QuerySet[Lane]:
    return Lane.objects.select_related("destination").order_by("origin_country", "destination_id")


def list_rate_cards(
    *, market: str | None = None, tier: str | None = None, on: date | None = None
) -> QuerySet[RateCard]:
    cards = RateCard.objects.select_related("lane").order_by(
        "lane__destination_id", "tier", "effective_from"
    )
    if market:
        cards = cards.filter(lane__destination_id=market.upper())
    if tier:
        if tier not in Tier.values:
            raise InvalidInput(f"Unknown tier {tier!r}.", field="tier", code="unknown_tier")
        cards = cards.filter(tier=tier)
    if on:
        cards = cards.filter(_in_force(on))
    return cards


def get_rate_card(card_id: int) -> RateCard:
    card = RateCard.objects.select_related("lane").filter(pk=card_id).first()
    if card is None:
        raise NotFound("No such rate card.", field="id", code="unknown_rate_card")
    return card


def list_duty_rates(
    *, market: str | None = None, hs: str | None = None, on: date | None = None
) -> QuerySet[DutyRate]:
    rates = DutyRate.objects.all().order_by("market_id", "program", "hs_prefix", "effective_from")
    if market:
        rates = rates.filter(market_id=market.upper())
    if hs:
        digits = re.sub(r"\D", "", hs)[:10]
        prefixes = [digits[:n] for n in range(0, len(digits) + 1)]
        rates = rates.filter(hs_prefix__in=prefixes)
    if on:
        rates = rates.filter(_in_force(on))
    return rates


def get_duty_rate(rate_id: int) -> DutyRate:
    rate = DutyRate.objects.filter(pk=rate_id).first()
    if rate is None:
        raise NotFound("No such duty rate.", field="id", code="unknown_duty_rate")
    return rate


def list_network_audit(*, limit: int = 50) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type__in=("logistics.ratecard", "logistics.dutyrate")
    ).select_related("actor_user")[:limit]


# --- the snapshot ---------------------------------------------------------------------------


def _card(row: RateCard) -> Card:
    bands = tuple(sorted((_d(b["from_kg"]), _d(b["per_kg"])) for b in row.bands or ()))
    remote = tuple(
        RemoteArea(
            a["name"], re.compile(a["pattern"], re.IGNORECASE), _d(a["per_kg"]), _d(a["minimum"])
        )
        for a in row.remote_areas or ()
    )
    return Card(
        tier=row.tier,
        card_id=row.pk,
        product_name=row.product_name,
        currency=row.currency,
        handling_fee=row.handling_fee,
        first_kg=row.first_kg,
        first_price=row.first_price,
        step_kg=row.step_kg,
        step_price=row.step_price,
        bands=bands,
        min_billable_kg=row.min_billable_kg,
        rounding_kg=row.rounding_kg,
        volumetric_divisor=Decimal(row.volumetric_divisor) if row.volumetric_divisor else None,
        fuel_rate=row.fuel_surcharge_rate,
        remote_areas=remote,
        max_weight_kg=row.max_weight_kg,
        max_side_cm=row.max_side_cm,
        max_sum_of_sides_cm=row.max_sum_of_sides_cm,
        max_length_plus_girth_cm=row.max_length_plus_girth_cm,
        carries_battery=row.carries_battery,
        carries_liquid=row.carries_liquid,
        carries_magnet=row.carries_magnet,
        transit_min_days=row.transit_min_days,
        transit_max_days=row.transit_max_days,
        as_of=row.as_of,
        effective_from=row.effective_from,
        pricing_basis=row.pricing_basis,
    )


def _duty(row: DutyRate) -> DutyRow:
    return DutyRow(
        program=row.program,
        label=str(DutyProgram(row.program).label),
        origin_country=row.origin_country,
        hs_prefix=row.hs_prefix,
        rate=row.rate,
        description=row.description,
        exclusive_of=row.exclusive_of,
        as_of=row.as_of,
        effective_from=row.effective_from,
    )


SNAPSHOTS_PER_PROCESS = 256
_MEMO_CAP = 4096  # HS codes / pickup days memoised per snapshot before a memo starts afresh


class _Snapshots:
    """The per-process cache: immutable snapshots of one reference-data version."""

    def __init__(self):
        self.version: str | None = None
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.loads = 0  # how many snapshots this process built from the database

    def clear(self) -> None:
        with self.lock:
            self.version = None
            self.entries.clear()
            self.loads = 0


snapshots = _Snapshots()


def load_network(
    *, market: str, on: date, origin: str = "CN", currencies: set[str] | frozenset = frozenset()
) -> Network:
    """Everything the engine needs for one destination on one day: the cached snapshot
    when the reference-data version is unchanged (1 query), else loaded (8-10 queries).

    Raises InvalidInput: `unknown_market`, `unsupported_lane` (field destination.market),
    `no_tax_rules` (no regime in force that day), `no_fx_rate` (a currency without a rate).
    """
    # The version is read before the data: a write committing in between can only make
    # the snapshot newer than its version, never older.
    version = markets.reference_version()
    key = ((market or "").upper(), on, origin, frozenset(currencies))
    if version is not None:
        with snapshots.lock:
            if snapshots.version != version:
                snapshots.version = version
                snapshots.entries.clear()
            network = snapshots.entries.get(key)
            if network is not None:
                snapshots.entries.move_to_end(key)
                if len(network._duty_memo) > _MEMO_CAP:  # bounded: a long-lived snapshot
                    network._duty_memo.clear()
                if len(network._calendar_memo) > _MEMO_CAP:
                    network._calendar_memo.clear()
                return network
    network = _load_network(market=market, on=on, origin=origin, currencies=currencies)
    snapshots.loads += 1
    if version is not None:
        with snapshots.lock:
            if snapshots.version == version:
                snapshots.entries[key] = network
                while len(snapshots.entries) > SNAPSHOTS_PER_PROCESS:
                    snapshots.entries.popitem(last=False)
    return network


def _load_network(
    *, market: str, on: date, origin: str, currencies: set[str] | frozenset
) -> Network:
    try:
        market_row = markets.get_market(market)
    except NotFound:
        raise InvalidInput(
            f"No market {market!r}.", field="destination.market", code="unknown_market"
        ) from None
    lane = Lane.objects.filter(origin_country=origin, destination=market_row, active=True).first()
    if lane is None:
        raise InvalidInput(
            f"No lane from {origin} to {market_row.code}: the platform does not ship there yet.",
            field="destination.market",
            code="unsupported_lane",
        )
    regime_row = markets.get_tax_regime(market_row, on=on)
    if regime_row is None:
        raise InvalidInput(
            f"{market_row.code} has no tax rules in force on {on}.",
            field="quoted_at",
            code="no_tax_rules",
        )
    regime = Regime(
        tax_name=regime_row.tax_name,
        rate=regime_row.standard_rate,
        duty_de_minimis=regime_row.duty_de_minimis,
        tax_de_minimis=regime_row.tax_de_minimis,
        collect_at_sale=regime_row.collect_at_sale_threshold,
        b2b_rule=regime_row.b2b_rule,
        b2b_invoice_wording=regime_row.b2b_invoice_wording,
        cn_global_rate=regime_row.china_origin_global_rate,
        as_of=regime_row.as_of,
        effective_from=regime_row.effective_from,
    )
    fees = tuple(
        FeeRule(
            name=fee.name,
            amount=fee.money,
            basis=fee.basis,
            max_consignment=fee.max_consignment,
            applies_to_b2b=fee.applies_to_b2b,
            as_of=fee.as_of,
            effective_from=fee.effective_from,
        )
        for fee in markets.list_fees(market_row, on=on)
    )
    regional = tuple(
        RegionalTax(
            region=row.region,
            region_name=row.region_name,
            postal_prefixes=tuple(row.postal_prefixes.upper().split()),
            national_tax_name=row.national_tax_name,
            tax_name=row.tax_name,
            rate=row.rate,
            replaces_national=row.replaces_national,
            as_of=row.as_of,
            effective_from=row.effective_from,
        )
        for row in markets.list_regional_taxes(market_row, on=on)
    )
    cards = {row.tier: _card(row) for row in lane.rate_cards.filter(_in_force(on))}
    duties = tuple(_duty(row) for row in DutyRate.objects.filter(_in_force(on), market=market_row))
    needed = set(currencies) | {card.currency for card in cards.values()}
    needed |= {fee.amount.currency for fee in fees}
    needed |= {fee.max_consignment.currency for fee in fees if fee.max_consignment}
    for money in (regime.duty_de_minimis, regime.tax_de_minimis, regime.collect_at_sale):
        if money is not None:
            needed.add(money.currency)
    if regime.cn_global_rate is not None:
        needed.add("USD")  # the courier regime's USD 2,500 ceiling
    rates = {}
    for currency in sorted(needed):
        try:
            found = markets.get_rate(currency, market_row.currency, on=on)
        except NotFound:
            field = (
                "lines.unit_customs_value.currency"
                if currency in currencies
                else "destination.market"
            )
            raise InvalidInput(
                f"No {currency}/{market_row.currency} exchange rate is known on or before {on}.",
                field=field,
                code="no_fx_rate",
            ) from None
        rates[currency] = Rate(
            currency, market_row.currency, found.rate, found.as_of, found.source, found.method
        )
    pattern = re.compile(market_row.postal_code_regex) if market_row.postal_code_regex else None
    return Network(
        market=market_row.code,
        currency=market_row.currency,
        minor_units=market_row.minor_units,
        on=on,
        origin_country=origin,
        valuation=lane.customs_valuation,
        cards=MappingProxyType(cards),
        non_delivery_weekdays=frozenset(lane.non_delivery_weekdays),
        holidays=frozenset(date.fromisoformat(d) for d in lane.holidays),
        duties=duties,
        regime=regime,
        fees=fees,
        rates=MappingProxyType(rates),
        postal_pattern=pattern,
        regional_taxes=regional,
    )


def today() -> date:
    return timezone.localdate()
