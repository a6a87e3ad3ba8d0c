"""Landed cost of one tier: goods + shipping + duties + import taxes + fees.

Every amount is a breakdown line in the market currency, rounded to the currency's minor
unit at the line (half up); the total is the exact sum of the lines. Bases are the
rounded amounts the buyer sees. Thresholds are compared in the market currency after
converting the threshold at the snapshot's rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tradelane.core.money import Money

from .duties import match_duties, normalise_hs
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


class _Builder:
    __slots__ = ("currency", "exponent", "lines", "notes", "rates")

    def __init__(self, network: Network):
        self.currency = network.currency
        self.exponent = Decimal(1).scaleb(-network.minor_units)
        self.rates = network.rates
        self.lines: list[Line] = []
        self.notes: list[str] = []

    def add(self, kind, label, amount: Decimal, rule, as_of, collected) -> Decimal:
        rounded = amount.quantize(self.exponent, ROUND_HALF_UP)
        self.lines.append(Line(kind, label, Money(rounded, self.currency), rule, as_of, collected))
        return rounded

    def local(self, money: Money) -> Decimal:
        """An amount in the market currency, full precision."""
        return money.amount * self.rates[money.currency].rate


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True, slots=True)
class Prepared:
    """What every tier shares: the goods lines and each line's duty rows with their
    wording (computed once per quote, not once per tier)."""

    goods: tuple[Line, ...]
    values: tuple[Decimal, ...]
    duties: tuple[tuple[tuple[Decimal, str, str, date | None], ...], ...]


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


def goods_lines(builder: _Builder, request: QuoteRequest) -> list[Decimal]:
    values = []
    for index, line in enumerate(request.lines):
        amount = builder.local(line.unit_value) * line.quantity
        label = (
            f"Goods, line {index + 1}: {line.quantity} × {line.unit_value.amount.normalize():f} "
            f"{line.unit_value.currency} (HS {line.hs_code})"
        )
        rule = "Customs value declared by the merchant"
        if line.unit_value.currency != builder.currency:
            rate = builder.rates[line.unit_value.currency]
            rule += f"; FX {rate.rate.normalize():f} ({rate.source} {rate.as_of})"
        values.append(builder.add("goods", label, amount, rule, None, CHECKOUT))
    return values


def shipping_lines(builder: _Builder, shipping: Shipping, card) -> Decimal:
    rate = builder.rates[card.currency]
    fx = f"; FX {rate.rate.normalize():f}" if card.currency != builder.currency else ""
    rule = f"Rate card {card.tier} from {card.effective_from}{fx}"
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
    return f"{what} (tax rules from {regime.effective_from})"


def landed_cost(
    network: Network,
    request: QuoteRequest,
    shipping: Shipping,
    card,
    prepared: Prepared | None = None,
) -> Landed:
    prepared = prepared or prepare(network, request)
    builder = _Builder(network)
    builder.lines.extend(prepared.goods)
    regime = network.regime
    lines = request.lines
    values = prepared.values
    goods = sum(values, ZERO)
    freight = shipping_lines(builder, shipping, card)
    b2b = request.buyer.kind == B2B
    has_id = request.buyer.tax_id is not None
    border = CHECKOUT if request.incoterm == DDP else DELIVERY
    wording = ""

    def limit(money: Money) -> Decimal:
        return builder.local(money)

    # 1. Mexico's China-origin courier regime: one global rate covers duty and IVA.
    if (
        regime.cn_global_rate is not None
        and not b2b
        and all(line.origin_country == "CN" for line in lines)
        and goods <= limit(MX_COURIER_CEILING)
    ):
        builder.add(
            "duty",
            f"Global rate {_pct(regime.cn_global_rate)} (duty + {regime.tax_name}) on goods + shipping",
            (goods + freight) * regime.cn_global_rate,
            _regime_rule(
                regime, "China-origin courier simplified regime ≤ USD 2,500 (RGCE rule 3.7.35)"
            ),
            regime.as_of,
            border,
        )
        _fees(builder, network, request, shipping, goods, b2b, border)
        return Landed(builder.lines, builder.notes, wording)

    # 2. Duty.
    cif = network.valuation == "cif"
    customs_value = goods + freight if cif else goods
    duty = ZERO
    duty_dm = regime.duty_de_minimis
    flat = [
        fee
        for fee in network.fees
        if fee.basis == "per_tariff_line" and _fee_applies(fee, goods, b2b, limit)
    ]
    if duty_dm is not None and goods <= limit(duty_dm):
        builder.add(
            "duty",
            f"No duty: consignment ≤ {duty_dm.amount.normalize():f} {duty_dm.currency} duty de minimis",
            ZERO,
            _regime_rule(regime, "Duty de minimis"),
            regime.as_of,
            border,
        )
    elif flat:
        tariff_lines = len({normalise_hs(line.hs_code) for line in lines})
        for fee in flat:
            duty += builder.add(
                "duty",
                f"{fee.name}: {fee.amount.amount.normalize():f} {fee.amount.currency} × "
                f"{tariff_lines} distinct tariff line(s), instead of ad-valorem duty",
                builder.local(fee.amount) * tariff_lines,
                f"Flat duty from {fee.effective_from}",
                fee.as_of,
                border,
            )
    else:
        duty = _ad_valorem(builder, prepared, values, freight if cif else ZERO, border)

    # 3. Import tax (VAT/GST).
    if regime.rate == 0:
        if network.market == "US":
            builder.notes.append(
                "No federal VAT. State sales tax, where due, is collected by the marketplace at "
                "sale and is not included here."
            )
        if b2b and has_id and regime.b2b_rule == EXEMPT_WITH_CERTIFICATE:
            wording = regime.b2b_invoice_wording
    else:
        wording = _tax(
            builder, network, regime, goods, freight, customs_value, duty, b2b, has_id, border
        )

    # 4. Fixed fees.
    _fees(builder, network, request, shipping, goods, b2b, border)
    return Landed(builder.lines, builder.notes, wording)


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


def _tax(builder, network, regime, goods, freight, customs_value, duty, b2b, has_id, border) -> str:
    rate = regime.rate
    name = regime.tax_name
    at_sale_limit = regime.collect_at_sale
    small = at_sale_limit is not None and goods <= builder.local(at_sale_limit)
    rule = regime.b2b_rule
    if b2b and not has_id and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        builder.notes.append(
            "No valid tax id was given: the business buyer is taxed like a consumer."
        )
    if b2b and has_id and small and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        builder.add(
            "tax",
            f"{name} {_pct(rate)}: reverse charge, the buyer accounts for it",
            ZERO,
            _regime_rule(regime, "B2B with a valid tax id"),
            regime.as_of,
            BUYER,
        )
        return regime.b2b_invoice_wording
    if small and not (b2b and rule == IMPORTER_PAYS):
        limit = at_sale_limit
        builder.add(
            "tax",
            f"{name} {_pct(rate)} collected at sale on goods + shipping",
            (goods + freight) * rate,
            _regime_rule(
                regime,
                f"Tax collected at sale for consignments ≤ {limit.amount.normalize():f} {limit.currency}",
            ),
            regime.as_of,
            CHECKOUT,
        )
        return ""
    tax_dm = regime.tax_de_minimis
    if tax_dm is not None and goods <= builder.local(tax_dm):
        builder.add(
            "tax",
            f"No {name}: consignment ≤ {tax_dm.amount.normalize():f} {tax_dm.currency} tax de minimis",
            ZERO,
            _regime_rule(regime, "Tax de minimis"),
            regime.as_of,
            border,
        )
        return ""
    base = "goods + shipping + duty" if network.valuation == "cif" else "goods + duty"
    builder.add(
        "tax",
        f"Import {name} {_pct(rate)} on {base}",
        (customs_value + duty) * rate,
        _regime_rule(regime, "Import tax at the border"),
        regime.as_of,
        border,
    )
    if b2b and rule == IMPORTER_PAYS:
        builder.notes.append(
            f"Import {name} is paid by the importer of record at the border and is recoverable "
            "as input tax by a registered business."
        )
    return ""


def _fee_applies(fee, goods: Decimal, b2b: bool, limit) -> bool:
    if b2b and not fee.applies_to_b2b:
        return False
    return fee.max_consignment is None or goods <= limit(fee.max_consignment)


def _fees(builder, network, request, shipping, goods, b2b, border) -> None:
    for fee in network.fees:
        if fee.basis == "per_tariff_line":
            continue  # a flat customs duty: handled as the duty
        if not _fee_applies(fee, goods, b2b, builder.local):
            continue
        if fee.basis == "per_parcel":
            count = shipping.cartons
        elif fee.basis == "per_item":
            count = sum(line.quantity for line in request.lines)
        else:
            count = 1
        builder.add(
            "fee",
            f"{fee.name}: {fee.amount.amount.normalize():f} {fee.amount.currency} × {count}",
            builder.local(fee.amount) * count,
            f"{fee.basis.replace('_', ' ')} fee from {fee.effective_from}",
            fee.as_of,
            border,
        )


__all__ = ["Landed", "Line", "landed_cost", "GoodsLine"]
