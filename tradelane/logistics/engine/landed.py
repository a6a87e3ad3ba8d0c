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

from tradelane.core.money import Money

from .duties import match_duties, normalise_hs
from .fees import add_fees, fee_applies_under
from .inputs import B2B, DDP, GoodsLine, Network, QuoteRequest
from .records import maker
from .shipping import Shipping
from .taxes import NO_LINE, ON_GOODS_AND_SHIPPING, ZERO_LINE, tax_plan
from .wording import CHECKOUT, DELIVERY
from .wording import pct as _pct
from .wording import plain as _plain
from .wording import regime_rule as _regime_rule

ZERO = Decimal(0)
# MX simplified courier regime (RGCE rule 3.7.35) applies up to USD 2,500 (facts §3.2).
MX_COURIER_CEILING = Money(Decimal(2500), "USD")


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
_line = maker(Line)  # (kind, label, amount, rule, as_of, collected)
_money = maker(Money)  # (amount, currency): a finite quantized Decimal, a validated code


_EXPONENTS: dict[int, Decimal] = {}


class _Builder:
    __slots__ = ("currency", "exponent", "lines", "memo", "notes", "rates")

    def __init__(self, network: Network):
        self.currency = network.currency
        exponent = _EXPONENTS.get(network.minor_units)
        if exponent is None:
            exponent = _EXPONENTS[network.minor_units] = Decimal(1).scaleb(-network.minor_units)
        self.exponent = exponent
        self.rates = network.rates
        self.memo = network._snapshot_memo  # values derived from the snapshot alone
        self.lines: list[Line] = []
        self.notes: list[str] = []

    def add(self, kind, label, amount: Decimal, rule, as_of, collected) -> Decimal:
        rounded = amount.quantize(self.exponent, ROUND_HALF_UP)
        self.lines.append(
            _line(kind, label, _money(rounded, self.currency), rule, as_of, collected)
        )
        return rounded

    def local(self, money: Money) -> Decimal:
        """An amount in the market currency, full precision."""
        return money.amount * self.rates[money.currency].rate


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
    # the quote's builder, reused by every tier and segment (each with its own lists)
    return _prepared(tuple(builder.lines), values, tuple(duties), {"builder": builder})


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


def _goods_rule(builder: _Builder, currency: str) -> str:
    """The goods lines' rule for a currency (once per snapshot: it names the FX rate)."""
    key = ("goods_rule", currency)
    rule = builder.memo.get(key)
    if rule is None:
        rate = builder.rates[currency]
        rule = builder.memo[key] = (
            f"{GOODS_RULE}; FX {rate.rate.normalize():f} ({rate.source} {rate.as_of})"
        )
    return rule


def _card_texts(builder: _Builder, card) -> tuple:
    """(card, FX rate, rule, fuel label) of a tier's card, once per snapshot."""
    key = ("card_texts", card.tier)
    texts = builder.memo.get(key)
    if texts is None or texts[0] is not card:
        rate = builder.rates[card.currency].rate
        fx = f"; FX {rate.normalize():f}" if card.currency != builder.currency else ""
        texts = builder.memo[key] = (
            card,
            rate,
            f"Rate card {card.tier} from {card.effective_from}{fx}",
            f"Fuel surcharge {_pct(card.fuel_rate)}",
        )
    return texts


def goods_lines(builder: _Builder, request: QuoteRequest) -> list[Decimal]:
    values = []
    currency, exponent, rates = builder.currency, builder.exponent, builder.rates
    out = builder.lines
    rules = {currency: GOODS_RULE}  # per quote: one goods rule per currency
    for index, line in enumerate(request.lines, 1):
        value = line.unit_value
        unit, code = value.amount, value.currency
        rule = rules.get(code)
        if rule is None:
            rule = rules[code] = _goods_rule(builder, code)
        # builder.add, inlined (a line per goods line)
        rounded = (unit * rates[code].rate * line.quantity).quantize(exponent, ROUND_HALF_UP)
        out.append(
            _line(
                "goods",
                f"Goods, line {index}: {line.quantity} × {_plain(unit)} {code} (HS {line.hs_code})",
                _money(rounded, currency),
                rule,
                None,
                CHECKOUT,
            )
        )
        values.append(rounded)
    return values


def shipping_lines(builder: _Builder, shipping: Shipping, card) -> Decimal:
    _, rate, rule, fuel_label = _card_texts(builder, card)
    # builder.add, inlined (one to three lines per tier)
    exponent, currency, as_of = builder.exponent, builder.currency, card.as_of
    out = builder.lines
    total = (shipping.transport * rate).quantize(exponent, ROUND_HALF_UP)
    label = (
        f"Shipping {card.tier}: {shipping.cartons} carton(s), "
        f"{_plain(shipping.chargeable_kg)} kg chargeable"
    )
    out.append(_line("shipping", label, _money(total, currency), rule, as_of, CHECKOUT))
    if shipping.remote:
        amount = (shipping.remote * rate).quantize(exponent, ROUND_HALF_UP)
        label = f"Remote-area surcharge ({shipping.remote_name})"
        out.append(_line("shipping", label, _money(amount, currency), rule, as_of, CHECKOUT))
        total += amount
    if shipping.fuel:
        amount = (shipping.fuel * rate).quantize(exponent, ROUND_HALF_UP)
        out.append(_line("shipping", fuel_label, _money(amount, currency), rule, as_of, CHECKOUT))
        total += amount
    return total


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


def _limits(network: Network, local) -> tuple:
    """Per snapshot: the thresholds `_facts` compares the goods with, in the market
    currency (MX courier ceiling, duty de minimis, each per-tariff-line fee's ceiling)."""
    regime = network.regime
    duty_dm = regime.duty_de_minimis
    return (
        (network.fees, network.rates, regime),  # what they were derived from
        local(MX_COURIER_CEILING) if regime.cn_global_rate is not None else None,
        None if duty_dm is None else local(duty_dm),
        tuple(
            (fee, None if fee.max_consignment is None else local(fee.max_consignment))
            for fee in network.fees
            if fee.basis == "per_tariff_line"
        ),
    )


def _facts(network: Network, request: QuoteRequest, prepared: Prepared, local) -> _Facts:
    lines = request.lines
    goods = sum(prepared.values, ZERO)
    b2b = request.buyer.kind == B2B
    memo = network._snapshot_memo
    limits = memo.get("limits")
    if limits is None or not (
        limits[0][0] is network.fees
        and limits[0][1] is network.rates
        and limits[0][2] is network.regime
    ):
        limits = memo["limits"] = _limits(network, local)
    _, mx_ceiling, duty_dm, flat_fees = limits
    mx = mx_ceiling is not None and not b2b and goods <= mx_ceiling
    if mx:
        for line in lines:
            if line.origin_country != "CN":
                mx = False
                break
    flat: tuple = ()
    tariff_lines = 0
    duty = "ad_valorem"
    if not mx:
        if flat_fees:
            flat = tuple(
                fee for fee, ceiling in flat_fees if fee_applies_under(fee, goods, b2b, ceiling)
            )
        if duty_dm is not None and goods <= duty_dm:
            duty = "de_minimis"
        elif flat:
            duty = "flat"
            tariff_lines = len({normalise_hs(line.hs_code) for line in lines})
    return _new_facts(
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


_prepared, _new_facts = maker(Prepared), maker(_Facts)


def _segment(memo: dict, key, builder: _Builder, fill, *args):
    """(lines, notes, result) of `fill(builder, *args)`, computed once per quote and key
    (into lists of its own: the builder's are put back after)."""
    segment = memo.get(key)
    if segment is None:
        lines, notes = builder.lines, builder.notes
        builder.lines, builder.notes = [], []
        result = fill(builder, *args)
        segment = memo[key] = (builder.lines, builder.notes, result)
        builder.lines, builder.notes = lines, notes
    return segment


def landed_cost(
    network: Network,
    request: QuoteRequest,
    shipping: Shipping,
    card,
    prepared: Prepared | None = None,
) -> Landed:
    lines, notes, wording = tier_lines(
        network, request, shipping, card, prepared or prepare(network, request)
    )
    return Landed(list(lines), list(notes), wording)


def tier_lines(
    network: Network, request: QuoteRequest, shipping: Shipping, card, prepared: Prepared
) -> tuple[tuple[Line, ...], tuple[str, ...], str]:
    """(breakdown lines, notes, invoice wording) of one tier: what `landed_cost` returns,
    as the tuples a `TierQuote` keeps."""
    memo = prepared.memo
    builder = memo.get("builder")
    if builder is None:
        builder = memo["builder"] = _Builder(network)
    builder.lines = lines = list(prepared.goods)
    builder.notes = notes = []
    freight = shipping_lines(builder, shipping, card)
    facts = memo.get("facts")
    if facts is None:
        facts = memo["facts"] = _facts(network, request, prepared, builder.local)
    regime = network.regime

    # 1. Mexico's China-origin courier regime: one global rate covers duty and IVA.
    if facts.mx:  # (per tier: the base includes the tier's freight)
        _mx_duty(builder, regime, facts, freight)
        lines.extend(_fee_segment(memo, builder, network, request, shipping, facts))
        return tuple(lines), tuple(notes), ""

    # 2. Duty.
    kind = facts.duty
    if kind == "ad_valorem" and facts.cif:  # per tier: the base includes the tier's freight
        segment = None
        duty = _ad_valorem(builder, prepared, prepared.values, freight, facts.border)
    else:
        segment = memo.get("duty")
        if segment is not None:
            pass
        elif kind == "ad_valorem":
            segment = _segment(
                memo, "duty", builder, _ad_valorem, prepared, prepared.values, ZERO, facts.border
            )
        elif kind == "flat":
            # its wording and amount depend only on the snapshot's fees that apply (kept by
            # identity: the snapshot holds them), the count of tariff lines and the border
            key = ("flat_duty", facts.tariff_lines, facts.border, *map(id, facts.flat))
            segment = network._snapshot_memo.get(key)
            if segment is None:
                segment = network._snapshot_memo[key] = _segment(
                    {}, "duty", builder, _flat_duty, facts
                )
            memo["duty"] = segment
        else:
            segment = _segment(memo, "duty", builder, _duty_de_minimis, regime, facts.border)
    if segment is not None:
        lines.extend(segment[0])
        if segment[1]:
            notes.extend(segment[1])
        duty = segment[2]

    # 3. Import tax (VAT/GST).
    plan = memo.get("tax")
    if plan is None:
        plan = memo["tax"] = tax_plan(network, regime, facts, builder.local, request.postal_code)
    formula, parts, collected, tax_notes, wording = plan
    if formula != NO_LINE:
        if formula == ZERO_LINE:
            base = ZERO
        elif formula == ON_GOODS_AND_SHIPPING:
            base = facts.goods + freight
        else:
            base = (facts.goods + freight if facts.cif else facts.goods) + duty
        exponent, currency = builder.exponent, builder.currency
        for rate, label, rule, as_of in parts:  # builder.add, inlined
            amount = _money((base * rate).quantize(exponent, ROUND_HALF_UP), currency)
            lines.append(_line("tax", label, amount, rule, as_of, collected))
    if tax_notes:
        notes.extend(tax_notes)

    # 4. Fixed fees.
    fees = memo.get("fees")
    if fees is None:
        fees = _fee_segment(memo, builder, network, request, shipping, facts)
    else:
        fees = fees[0]
    if fees:
        lines.extend(fees)
    return tuple(lines), tuple(notes), wording


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


def _fee_segment(memo, builder, network, request, shipping, facts) -> list[Line]:
    # every tier ships the same cartons: the fees are the quote's, computed once
    return _segment(memo, "fees", builder, add_fees, network, request, shipping, facts)[0]


def _ad_valorem(builder, prepared: Prepared, values, freight, border) -> Decimal:
    duty = ZERO
    full = sum(values, ZERO)
    exponent, currency, out = builder.exponent, builder.currency, builder.lines
    for value, specs in zip(values, prepared.duties, strict=True):
        base = value + freight * value / full if full and freight else value
        for rate, label, rule, as_of in specs:
            if rate is None:
                builder.notes.append(label)
                continue
            # builder.add, inlined (a line per duty program per goods line)
            amount = (base * rate).quantize(exponent, ROUND_HALF_UP)
            out.append(_line("duty", label, _money(amount, currency), rule, as_of, border))
            duty += amount
    return duty


__all__ = ["Landed", "Line", "landed_cost", "tier_lines", "GoodsLine"]
