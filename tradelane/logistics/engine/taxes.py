"""The import-tax lines of a landed cost: VAT/GST at the border or at sale, de minimis,
B2B reverse charge, and a province's own tax (CA HST, QST, PST) by postal code."""

from __future__ import annotations

from decimal import Decimal

from .inputs import Network, Regime, RegionalTax
from .wording import BUYER, CHECKOUT
from .wording import pct as _pct
from .wording import regime_rule as _regime_rule

ZERO = Decimal(0)
REVERSE_CHARGE, NO_TAX_AT_SALE = "reverse_charge", "no_tax_at_sale"
IMPORTER_PAYS, EXEMPT_WITH_CERTIFICATE = "importer_pays_at_border", "exempt_with_certificate"

NO_LINE, ZERO_LINE, ON_GOODS_AND_SHIPPING, ON_CUSTOMS_VALUE_AND_DUTY = range(4)


def _region(network: Network, postal_code: str) -> RegionalTax | None:
    if network.regional_taxes:
        postal = postal_code.strip().upper()
        for region in network.regional_taxes:
            if region.matches(postal):
                return region
    return None


def _tax_parts(regime: Regime, region: RegionalTax | None, label: str, rule: str):
    """The tax lines on one base: the market's tax, and the province's beside it (QST, PST)
    or instead of it (HST). `label` has {name}, {rate} and {where} placeholders."""
    national_rule = _regime_rule(regime, rule)
    if region is None:
        text = label.format(name=regime.tax_name, rate=_pct(regime.rate), where="")
        return ((regime.rate, text, national_rule, regime.as_of),)
    where = f" ({region.region_name})"
    regional_rule = (
        f"{national_rule}; {region.region_name} {region.tax_name} {_pct(region.rate)} "
        f"from {region.effective_from}"
    )
    if region.replaces_national:  # harmonised: one tax including the national rate
        text = label.format(name=region.tax_name, rate=_pct(region.rate), where=where)
        return ((region.rate, text, regional_rule, region.as_of),)
    text = label.format(name=region.national_tax_name, rate=_pct(regime.rate), where="")
    parts = [(regime.rate, text, national_rule, regime.as_of)]
    if region.tax_name and region.rate:
        text = label.format(name=region.tax_name, rate=_pct(region.rate), where=where)
        parts.append((region.rate, text, regional_rule, region.as_of))
    return tuple(parts)


def tax_plan(network: Network, regime: Regime, facts, local, postal_code: str) -> tuple:
    """Which import-tax lines a quote gets, decided once per quote (the tiers differ only in
    the amounts): (formula, ((rate, label, rule, as_of), ...), collected, notes, wording).

    The plan depends on the goods value only through two comparisons (collected at sale,
    tax de minimis) and on the postal code only through its province: the worded plan is
    kept per snapshot under those few facts, not per cart."""
    at_sale_limit = regime.collect_at_sale
    small = at_sale_limit is not None and facts.goods <= local(at_sale_limit)
    tax_dm = regime.tax_de_minimis
    under_dm = tax_dm is not None and facts.goods <= local(tax_dm)
    region = _region(network, postal_code)
    key = (
        "tax_plan",
        facts.b2b,
        facts.has_id,
        facts.border,
        small,
        under_dm,
        None if region is None else network.regional_taxes.index(region),
    )
    memo = network._snapshot_memo
    plan = memo.get(key)
    if plan is None:
        plan = memo[key] = _plan(network, regime, facts, small, under_dm, region)
    return plan


def _plan(network: Network, regime: Regime, facts, small, under_dm, region) -> tuple:
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
        return (NO_LINE, (), "", notes, wording)
    border = facts.border
    name = regime.tax_name
    at_sale_limit = regime.collect_at_sale
    notes = []
    if b2b and not has_id and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        notes.append("No valid tax id was given: the business buyer is taxed like a consumer.")
    if b2b and has_id and small and rule in (REVERSE_CHARGE, NO_TAX_AT_SALE):
        return (
            ZERO_LINE,
            (
                (
                    ZERO,
                    f"{name} {_pct(rate)}: reverse charge, the buyer accounts for it",
                    _regime_rule(regime, "B2B with a valid tax id"),
                    regime.as_of,
                ),
            ),
            BUYER,
            tuple(notes),
            regime.b2b_invoice_wording,
        )
    if small and not (b2b and rule == IMPORTER_PAYS):
        limit = at_sale_limit
        return (
            ON_GOODS_AND_SHIPPING,
            _tax_parts(
                regime,
                region,
                "{name} {rate}{where} collected at sale on goods + shipping",
                f"Tax collected at sale for consignments ≤ {limit.amount.normalize():f} "
                f"{limit.currency}",
            ),
            CHECKOUT,
            tuple(notes),
            "",
        )
    tax_dm = regime.tax_de_minimis
    if under_dm:
        return (
            ZERO_LINE,
            (
                (
                    ZERO,
                    f"No {name}: consignment ≤ {tax_dm.amount.normalize():f} {tax_dm.currency} "
                    "tax de minimis",
                    _regime_rule(regime, "Tax de minimis"),
                    regime.as_of,
                ),
            ),
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
        _tax_parts(
            regime,
            region,
            "Import {name} {rate}{where} on " + base,
            "Import tax at the border",
        ),
        border,
        tuple(notes),
        "",
    )
