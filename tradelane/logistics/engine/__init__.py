"""The quote engine: pure functions over plain inputs and a network snapshot.

    network = selectors.load_network(market="DE", on=day, currencies={"USD"})  # queries
    quote = engine.quote(network, request)                                    # none

One call prices all three tiers: cartons, chargeable weight, shipping, the promised
delivery window and the landed cost with its breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tradelane.core.money import Money

from .delivery import delivery_days, pickup_date
from .inputs import (
    B2B,
    B2C,
    DAP,
    DDP,
    TIERS,
    Buyer,
    Card,
    DutyRow,
    FeeRule,
    GoodsLine,
    Network,
    QuoteRequest,
    Rate,
    Regime,
    RemoteArea,
    Warehouse,
)
from .landed import Line, prepare, tier_lines
from .records import maker
from .shipping import Shipping, Unavailable, card_grams, pack_and_measure, price_tier
from .wording import BUYER, CHECKOUT, DELIVERY


@dataclass(frozen=True, slots=True)
class Window:
    pickup: date
    earliest: date
    latest: date
    transit_min_days: int
    transit_max_days: int


@dataclass(frozen=True, slots=True)
class TierQuote:
    tier: str
    product_name: str
    unavailable: Unavailable | None
    shipping: Shipping | None
    window: Window | None
    lines: tuple[Line, ...]
    notes: tuple[str, ...]
    invoice_wording: str
    currency: str

    @property
    def available(self) -> bool:
        return self.unavailable is None

    def _sum(self, kinds=None, collected=None) -> Money:
        total = Decimal(0)
        for line in self.lines:
            if (kinds is None or line.kind in kinds) and (
                collected is None or line.collected == collected
            ):
                total += line.amount.amount
        return Money(total, self.currency)

    @property
    def total(self) -> Money:
        return self._sum()

    def subtotal(self, kind: str) -> Money:
        return self._sum(kinds=(kind,))

    @property
    def at_checkout(self) -> Money:
        return self._sum(collected=CHECKOUT)

    @property
    def on_delivery(self) -> Money:
        return self._sum(collected=DELIVERY)


@dataclass(frozen=True, slots=True)
class Quote:
    market: str
    currency: str
    on: date
    incoterm: str
    buyer_kind: str
    tiers: tuple[TierQuote, ...]
    rates: tuple[Rate, ...]  # the FX rates the quote used


_tier_quote = _window = _quote = None  # fast constructors, made below the classes


def _tier_plan(network: Network) -> tuple:
    """Per snapshot: (cards mapping, longest transit, the cards' currencies, and per tier
    (tier, card or None, the card's whole-gram figures, the refusal when not offered))."""
    cards = network.cards
    per_tier = []
    for tier in TIERS:
        card = cards.get(tier)
        refused = None
        if card is None:
            refused = Unavailable(
                "tier_not_offered",
                f"{tier.capitalize()} is not offered on {network.origin_country} → "
                f"{network.market} on {network.on}.",
            )
        per_tier.append((tier, card, None if card is None else card_grams(card), refused))
    return (
        cards,
        max((card.transit_max_days for card in cards.values()), default=0),
        frozenset(card.currency for card in cards.values()),
        tuple(per_tier),
    )


def quote(network: Network, request: QuoteRequest) -> Quote:
    lines = request.lines
    parcels = pack_and_measure(lines)  # cartons, and what each tier checks, measured once
    groups = parcels.groups
    lead = 0
    restricted_goods = False
    for line in lines:
        if line.lead_time_days > lead:
            lead = line.lead_time_days
        if line.battery or line.liquid or line.magnet:
            restricted_goods = True
    pickup = pickup_date(request.quoted_at, request.warehouse, lead)
    memo = network._snapshot_memo
    cards = network.cards
    plan = memo.get("tiers")
    if plan is None or plan[0] is not cards:  # (the loader's mapping is read-only)
        plan = memo["tiers"] = _tier_plan(network)  # derived once per snapshot
    _, longest, card_currencies, per_tier = plan
    days = delivery_days(network, pickup, longest)
    postal = request.postal_code.upper()
    prepared = prepare(network, request)
    currency = network.currency
    tiers = []
    for tier, card, grams, refused in per_tier:
        if refused is not None:
            tiers.append(_tier_quote(tier, "", refused, None, None, (), (), "", currency))
            continue
        priced = price_tier(card, lines, groups, postal, restricted_goods, parcels, grams)
        if priced.__class__ is Unavailable:
            tiers.append(
                _tier_quote(tier, card.product_name, priced, None, None, (), (), "", currency)
            )
            continue
        low, high = card.transit_min_days, card.transit_max_days
        window = _window(
            pickup,
            days[low - 1] if low else pickup,
            days[high - 1] if high else pickup,
            low,
            high,
        )
        breakdown, notes, wording = tier_lines(network, request, priced, card, prepared)
        tiers.append(
            _tier_quote(
                tier, card.product_name, None, priced, window, breakdown, notes, wording, currency
            )
        )
    used = {line.unit_value.currency for line in lines}
    used.update(card_currencies)
    rates = network.rates
    used_rates = tuple(rates[c] for c in sorted(used) if c != currency and c in rates)
    return _quote(
        network.market,
        currency,
        network.on,
        request.incoterm,
        request.buyer.kind,
        tuple(tiers),
        used_rates,
    )


_tier_quote, _window, _quote = maker(TierQuote), maker(Window), maker(Quote)


__all__ = [
    "B2B",
    "B2C",
    "BUYER",
    "CHECKOUT",
    "DAP",
    "DDP",
    "DELIVERY",
    "TIERS",
    "Buyer",
    "Card",
    "DutyRow",
    "FeeRule",
    "GoodsLine",
    "Line",
    "Network",
    "Quote",
    "QuoteRequest",
    "Rate",
    "Regime",
    "RemoteArea",
    "TierQuote",
    "Unavailable",
    "Warehouse",
    "Window",
    "quote",
]
