"""Landed cost of one tier: goods + shipping + duties + import taxes + fees.

Every amount is a breakdown line in the market currency, rounded to the currency's minor
unit at the line (half up); the total is the exact sum of the lines. Bases are the
rounded amounts the buyer sees. Thresholds are compared in the market currency after
converting the threshold at the snapshot's rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from tradelane.core.money import Money

from .duties import match_duties, normalise_hs
from .fees import add_fees, fee_applies
from .inputs import B2B, DDP, GoodsLine, Network, QuoteRequest, Regime
from .shipping import Shipping

ZERO = Decimal(0)
CHECKOUT, DELIVERY, BUYER = "checkout", "delivery", "buyer"
# MX simplified courier regime (RGCE rule 3.7.35) applies up to USD 2,500 (facts §3.2).
MX_COURIER_CEILING = Money(Decimal(2500), "USD")
REVERSE_CHARGE, NO_TAX_AT_SALE = "reverse_charge", "no_tax_at_sale"
IMPORTER_PAYS, EXEMPT_WITH_CERTIFICATE = "importer_pays_at_border", "exempt_with_certificate"


@dataclass(frozen=True, slots=True)
class Line:
    kind: str  # goods | shipping | duty | tax | fee
    label: str
    amount: Money
    rule: str
    as_of: date | None
    collected: str  # checkout | delivery (DAP estimate) | buyer (reverse charge)


@dataclass(slots=True)
class Landed:
    lines: list[Line]
    notes: list[str]
    invoice_wording: str


# Hot-path constructors: the engine builds dozens of these per quote. They set the slots
# directly (what the frozen dataclasses' __init__ does, minus the per-field indirection and
# Money's input checks: the amount is a finite Decimal from quantize and the currency is
# the snapshot's, validated once per quote in `prepare`).
_new = object.__new__
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__
_LINE_SLOTS = tuple(Line.__dict__[name].__set__ for name in Line.__slots__)
assert Line.__slots__ == ("kind", "label", "amount", "rule", "as_of", "collected")


def _line(kind, label, amount: Money, rule, as_of, collected) -> Line:
    line = _new(Line)
    s_kind, s_label, s_amount, s_rule, s_as_of, s_collected = _LINE_SLOTS
    s_kind(line, kind)
    s_label(line, label)
    s_amount(line, amount)
    s_rule(line, rule)
    s_as_of(line, as_of)
    s_collected(line, collected)
    return line


_EXPONENTS: dict[int, Decimal] = {}


class _Builder:
    __slots__ = ("currency", "exponent", "lines", "notes", "rates")

    def __init__(self, network: Network):
        self.currency = network.currency
        exponent = _EXPONENTS.get(network.minor_units)
        if exponent is None:
            exponent = _EXPONENTS[network.minor_units] = Decimal(1).scaleb(-network.minor_units)
        self.exponent = exponent
        self.rates = network.rates
        self.lines: list[Line] = []
        self.notes: list[str] = []

    def add(self, kind, label, amount: Decimal, rule, as_of, collected) -> Decimal:
        rounded = amount.quantize(self.exponent, ROUND_HALF_UP)
        money = _new(Money)
        _set_amount(money, rounded)
        _set_currency(money, self.currency)
        self.lines.append(_line(kind, label, money, rule, as_of, collected))
        return rounded

    def local(self, money: Money) -> Decimal:
        """An amount in the market currency, full precision."""
        return money.amount * self.rates[money.currency].rate


@lru_cache(maxsize=1024)
def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True, slots=True)
class Prepared:
    """What every tier shares: the goods lines and each line's duty rows with their
    wording (computed once per quote, not once per tier)."""

    goods: tuple[Line, ...]
    values: tuple[Decimal, ...]
    duties: tuple[tuple[tuple[Decimal, str, str, date | None], ...], ...]
    # per-quote memo of the breakdown segments that do not depend on the tier (or depend
    # only on its rounded freight/duty/cartons): tiers share those immutable lines
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


def prepare(network: Network, request: QuoteRequest) -> Prepared:
    builder = _Builder(network)
    values = tuple(goods_lines(builder, request))
    duties = []
    for index, line in enumerate(request.lines):
        key = ("labels", index, line.hs_code, line.origin_country)
        specs = network._duty_memo.get(key)
        if specs is None:
            specs = tuple(_duty_specs(network, index, line))
            network._duty_memo[key] = specs
        duties.append(specs)
    if network._snapshot_memo.get("currency") != network.currency:
        # validate the currency the fast constructors then use, once per snapshot
        network._snapshot_memo["currency"] = Money(ZERO, network.currency).currency
    return Prepared(tuple(builder.lines), values, tuple(duties))


def _duty_specs(network, index, line):
    matches = match_duties(network, line.hs_code, line.origin_country)
    if not any(m.row.program == "mfn" for m in matches):
        yield (None, f"No MFN duty table for {network.market}: duty not estimated.", "", None)
    for match in matches:
        row = match.row
        if row.rate == 0 and row.program != "mfn":
            continue
        what = "MFN duty" if row.program == "mfn" else row.label
        label = f"{what} {_pct(row.rate)}, line {index + 1} (HS {line.hs_code})"
        rule = row.description
        if match.fallback:
            label += " — fallback rate"
            rule = f"{match.fallback}: {row.description}"
        yield (row.rate, label, f"{rule} (from {row.effective_from})", row.as_of)


GOODS_RULE = "Customs value declared by the merchant"


@lru_cache(maxsize=256)
def _goods_fx_rule(rate: Decimal, source: str, as_of) -> str:
    return f"{GOODS_RULE}; FX {rate.normalize():f} ({source} {as_of})"


@lru_cache(maxsize=256)
def _card_rule(tier: str, effective_from, rate: Decimal | None) -> str:
    fx = f"; FX {rate.normalize():f}" if rate is not None else ""
    return f"Rate card {tier} from {effective_from}{fx}"


def goods_lines(builder: _Builder, request: QuoteRequest) -> list[Decimal]:
    values = []
    for index, line in enumerate(request.lines):
        amount = builder.local(line.unit_value) * line.quantity
        label = (
            f"Goods, line {index + 1}: {line.quantity} × {line.unit_value.amount.normalize():f} "
            f"{line.unit_value.currency} (HS {line.hs_code})"
        )
        rule = GOODS_RULE
        if line.unit_value.currency != builder.currency:
            rate = builder.rates[line.unit_value.currency]
            rule = _goods_fx_rule(rate.rate, rate.source, rate.as_of)
        values.append(builder.add("goods", label, amount, rule, None, CHECKOUT))
    return values


def shipping_lines(builder: _Builder, shipping: Shipping, card) -> Decimal:
    rate = builder.rates[card.currency]
    rule = _card_rule(
        card.tier, card.effective_from, rate.rate if card.currency != builder.currency else None
    )
    total = builder.add(
        "shipping",
        f"Shipping {card.tier}: {shipping.cartons} carton(s), {shipping.chargeable_kg.normalize():f} kg chargeable",
        shipping.transport * rate.rate,
        rule,
        card.as_of,
        CHECKOUT,
    )
    if shipping.remote:
        total += builder.add(
            "shipping",
            f"Remote-area surcharge ({shipping.remote_name})",
            shipping.remote * rate.rate,
            rule,
            card.as_of,
            CHECKOUT,
        )
    if shipping.fuel:
        total += builder.add(
            "shipping",
            f"Fuel surcharge {_pct(card.fuel_rate)}",
            shipping.fuel * rate.rate,
            rule,
            card.as_of,
            CHECKOUT,
        )
    return total


def _regime_rule(regime: Regime, what: str) -> str:
    return _rule_from(what, regime.effective_from)


@lru_cache(maxsize=1024)
def _rule_from(what: str, effective_from) -> str:
    return f"{what} (tax rules from {effective_from})"


@dataclass(frozen=True, slots=True)
class _Facts:
    """What a quote's tiers share in the landed-cost rules: the goods and the buyer."""

    goods: Decimal
    b2b: bool
    has_id: bool
    border: str
    mx: bool  # Mexico's China-origin courier regime applies
    cif: bool
    duty: str  # de_minimis | flat | ad_valorem
    flat: tuple
    tariff_lines: int


def _facts(network: Network, request: QuoteRequest, prepared: Prepared, local) -> _Facts:
    regime = network.regime
    lines = request.lines
    goods = sum(prepared.values, ZERO)
    b2b = request.buyer.kind == B2B
    mx = (
        regime.cn_global_rate is not None
        and not b2b
        and all(line.origin_country == "CN" for line in lines)
        and goods <= local(MX_COURIER_CEILING)
    )
    flat: tuple = ()
    tariff_lines = 0
    duty = "ad_valorem"
    if not mx:
        flat = tuple(
            fee
            for fee in network.fees
            if fee.basis == "per_tariff_line" and fee_applies(fee, goods, b2b, local)
        )
        duty_dm = regime.duty_de_minimis
        if duty_dm is not None and goods <= local(duty_dm):
            duty = "de_minimis"
        elif flat:
            duty = "flat"
            tariff_lines = len({normalise_hs(line.hs_code) for line in lines})
    return _Facts(
        goods,
        b2b,
        request.buyer.tax_id is not None,
        CHECKOUT if request.incoterm == DDP else DELIVERY,
        mx,
        network.valuation == "cif",
        duty,
        flat,
        tariff_lines,
    )


def _segment(memo: dict, key, network: Network, fill, *args):
    """(lines, notes, result) of `fill(builder, *args)`, computed once per quote and key."""
    segment = memo.get(key)
    if segment is None:
        builder = _Builder(network)
        result = fill(builder, *args)
        segment = memo[key] = (builder.lines, builder.notes, result)
    return segment


def landed_cost(
    network: Network,
    request: QuoteRequest,
    shipping: Shipping,
    card,
    prepared: Prepared | None = None,
) -> Landed:
    prepared = prepared or prepare(network, request)
    builder = _Builder(network)
    lines = builder.lines
    lines.extend(prepared.goods)
    freight = shipping_lines(builder, shipping, card)
    memo = prepared.memo
    facts = memo.get("facts")
    if facts is None:
        facts = memo["facts"] = _facts(network, request, prepared, builder.local)
    notes = builder.notes
    regime = network.regime

    # 1. Mexico's China-origin courier regime: one global rate covers duty and IVA.
    if facts.mx:
        segment = _segment(memo, ("mx", freight), network, _mx_duty, regime, facts, freight)
        lines.extend(segment[0])
        lines.extend(_fee_segment(memo, network, request, shipping, facts))
        return Landed(lines, notes, "")

    # 2. Duty.
    kind = facts.duty
    if kind == "ad_valorem":
        key = ("duty", freight) if facts.cif else ("duty",)
        duty_freight = freight if facts.cif else ZERO
        segment = _segment(
            memo, key, network, _ad_valorem, prepared, prepared.values, duty_freight, facts.border
        )
    elif kind == "flat":
        segment = _segment(memo, ("duty",), network, _flat_duty, facts)
    else:
        segment = _segment(memo, ("duty",), network, _duty_de_minimis, regime, facts.border)
    lines.extend(segment[0])
    notes.extend(segment[1])
    duty = segment[2]

    # 3. Import tax (VAT/GST).
    plan = memo.get("tax")
    if plan is None:
        plan = memo["tax"] = _tax_plan(network, regime, facts, builder.local)
    formula, label, rule, as_of, collected, tax_notes, wording = plan
    if formula != NO_LINE:
        if formula == ZERO_LINE:
            amount = ZERO
        elif formula == ON_GOODS_AND_SHIPPING:
            amount = (facts.goods + freight) * regime.rate
        else:
            customs_value = facts.goods + freight if facts.cif else facts.goods
            amount = (customs_value + duty) * regime.rate
        builder.add("tax", label, amount, rule, as_of, collected)
    if tax_notes:
        notes.extend(tax_notes)

    # 4. Fixed fees.
    lines.extend(_fee_segment(memo, network, request, shipping, facts))
    return Landed(lines, notes, wording)


def _mx_duty(builder, regime, facts, freight) -> None:
    builder.add(
        "duty",
        f"Global rate {_pct(regime.cn_global_rate)} (duty + {regime.tax_name}) on goods + shipping",
        (facts.goods + freight) * regime.cn_global_rate,
        _regime_rule(
            regime, "China-origin courier simplified regime ≤ USD 2,500 (RGCE rule 3.7.35)"
        ),
        regime.as_of,
        facts.border,
    )


def _duty_de_minimis(builder, regime, border) -> Decimal:
    duty_dm = regime.duty_de_minimis
    builder.add(
        "duty",
        f"No duty: consignment ≤ {duty_dm.amount.normalize():f} {duty_dm.currency} duty de minimis",
        ZERO,
        _regime_rule(regime, "Duty de minimis"),
        regime.as_of,
        border,
    )
    return ZERO


def _flat_duty(builder, facts) -> Decimal:
    duty = ZERO
    tariff_lines = facts.tariff_lines
    for fee in facts.flat:
        duty += builder.add(
            "duty",
            f"{fee.name}: {fee.amount.amount.normalize():f} {fee.amount.currency} × "
            f"{tariff_lines} distinct tariff line(s), instead of ad-valorem duty",
            builder.local(fee.amount) * tariff_lines,
            f"Flat duty from {fee.effective_from}",
            fee.as_of,
            facts.border,
        )
    return duty


def _fee_segment(memo, network, request, shipping, facts) -> list[Line]:
    return _segment(
        memo, ("fees", shipping.cartons), network, add_fees, network, request, shipping, facts
    )[0]


def _ad_valorem(builder, prepared: Prepared, values, freight, border) -> Decimal:
    duty = ZERO
    full = sum(values, ZERO)
    for value, specs in zip(values, prepared.duties, strict=True):
        base = value + freight * value / full if full and freight else value
        for rate, label, rule, as_of in specs:
            if rate is None:
                builder.notes.append(label)
                continue
            duty += builder.add("duty", label, base * rate, rule, as_of, border)
    return duty


NO_LINE, ZERO_LINE, ON_GOODS_AND_SHIPPING, ON_CUSTOMS_VALUE_AND_DUTY = range(4)


def _tax_plan(network: Network, regime: Regime, facts: _Facts, local) -> tuple:
    """Which import-tax line a quote gets, decided once per quote (the tiers differ only in
    the amount): (formula, label, rule, as_of, collected, notes, invoice wording)."""
    rate = regime.rate
    b2b, has_id = facts.b2b, facts.has_id
    rule = regime.b2b_rule
    if rate == 0:
        notes = ()
        if network.market == "US":
            notes = (
                "No federal VAT. State sales tax, where due, is collected by the marketplace at "
                "sale and is not included here.",
            )
        wording = ""
        if b2b and has_id and rule == EXEMPT_WITH_CERTIFICATE:
            wording = regime.b2b_invoice_wording
        return (NO_LINE, "", "", None, "", notes, wording)
    goods, border = facts.goods, facts.border
    name = regime.tax_name
    at_sale_limit = regime.collect_at_sale
    small = at_sale_limit is not None and goods <= local(at_sale_limit)
    notes = []
    if b2b and not has_id and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        notes.append("No valid tax id was given: the business buyer is taxed like a consumer.")
    if b2b and has_id and small and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        return (
            ZERO_LINE,
            f"{name} {_pct(rate)}: reverse charge, the buyer accounts for it",
            _regime_rule(regime, "B2B with a valid tax id"),
            regime.as_of,
            BUYER,
            tuple(notes),
            regime.b2b_invoice_wording,
        )
    if small and not (b2b and rule == IMPORTER_PAYS):
        limit = at_sale_limit
        return (
            ON_GOODS_AND_SHIPPING,
            f"{name} {_pct(rate)} collected at sale on goods + shipping",
            _regime_rule(
                regime,
                f"Tax collected at sale for consignments ≤ {limit.amount.normalize():f} {limit.currency}",
            ),
            regime.as_of,
            CHECKOUT,
            tuple(notes),
            "",
        )
    tax_dm = regime.tax_de_minimis
    if tax_dm is not None and goods <= local(tax_dm):
        return (
            ZERO_LINE,
            f"No {name}: consignment ≤ {tax_dm.amount.normalize():f} {tax_dm.currency} tax de minimis",
            _regime_rule(regime, "Tax de minimis"),
            regime.as_of,
            border,
            tuple(notes),
            "",
        )
    base = "goods + shipping + duty" if network.valuation == "cif" else "goods + duty"
    if b2b and rule == IMPORTER_PAYS:
        notes.append(
            f"Import {name} is paid by the importer of record at the border and is recoverable "
            "as input tax by a registered business."
        )
    return (
        ON_CUSTOMS_VALUE_AND_DUTY,
        f"Import {name} {_pct(rate)} on {base}",
        _regime_rule(regime, "Import tax at the border"),
        regime.as_of,
        border,
        tuple(notes),
        "",
    )


__all__ = ["Landed", "Line", "landed_cost", "GoodsLine"]
