"""Reads for markets and FX. Markets are public reference data: no tenant scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.models import AuditEntry
from tradelane.core.money import Money, validate_currency

from .models import (
    Fee,
    FxRate,
    Market,
    MarketStatusChange,
    ReferenceVersion,
    RegionalTax,
    TaxRegime,
)
from .states import MarketStatus

PIVOT = "EUR"
CROSS_RATE_PLACES = Decimal("1e-12")


def _today() -> date:
    return timezone.localdate()


def _in_force(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gt=on))


# --- markets ------------------------------------------------------------------------------


def list_markets(status: str | None = None) -> QuerySet[Market]:
    markets = Market.objects.all().order_by("code")
    if status is not None:
        if status not in MarketStatus.values:
            raise InvalidInput(
                f"Unknown market status {status!r}.", field="status", code="invalid_status"
            )
        markets = markets.filter(status=status)
    return markets


def list_markets_with_regime(status: str | None = None, *, on: date | None = None) -> list[Market]:
    """Markets with `.regime` set to the tax regime in force on `on` (today), or None."""
    on = on or _today()
    in_force = TaxRegime.objects.filter(_in_force(on))
    markets = list(
        list_markets(status).prefetch_related(
            Prefetch("tax_regimes", queryset=in_force, to_attr="_regimes")
        )
    )
    for market in markets:
        market.regime = market._regimes[0] if market._regimes else None
    return markets


def get_market(code: str) -> Market:
    market = Market.objects.filter(pk=(code or "").upper()).first()
    if market is None:
        raise NotFound(f"No market {code!r}.", field="code", code="unknown_market")
    return market


def get_tax_regime(market: Market, *, on: date | None = None) -> TaxRegime | None:
    """The regime in force on `on` (default today); None when the market has none then."""
    on = on or _today()
    return (
        TaxRegime.objects.filter(_in_force(on), market=market).order_by("-effective_from").first()
    )


def list_fees(market: Market, *, on: date | None = None) -> list[Fee]:
    """The fixed fees in force on `on` (default today)."""
    on = on or _today()
    return list(Fee.objects.filter(_in_force(on), market=market).order_by("effective_from", "name"))


def list_regional_taxes(market: Market, *, on: date | None = None) -> list[RegionalTax]:
    """The provincial/state taxes in force on `on` (default today), by region."""
    on = on or _today()
    return list(
        RegionalTax.objects.filter(_in_force(on), market=market).order_by(
            "region", "effective_from"
        )
    )


def reference_version() -> str | None:
    """The token every write to quote reference data replaces (one query); None = no row
    (a cache must then not trust what it holds)."""
    # plain SQL: this runs on every quote, and the ORM's query compilation would cost more
    # than the query itself
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


_VERSION_SQL = f"SELECT token FROM {ReferenceVersion._meta.db_table} WHERE id = 1"  # noqa: S608


def list_tax_regimes(market: Market) -> QuerySet[TaxRegime]:
    return TaxRegime.objects.filter(market=market).order_by("effective_from")


def list_all_fees(market: Market) -> QuerySet[Fee]:
    return Fee.objects.filter(market=market).order_by("effective_from", "name")


def list_status_changes(market: Market) -> QuerySet[MarketStatusChange]:
    return (
        MarketStatusChange.objects.filter(subject=market)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def list_market_audit(market: Market, *, limit: int = 50) -> QuerySet[AuditEntry]:
    """Audit entries of the market (regime and fee changes are audited on the market too)."""
    return AuditEntry.objects.filter(
        target_type="markets.market", target_id=market.pk
    ).select_related("actor_user")[:limit]


# --- FX -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateQuote:
    """The rate used for base → quote: what a row that converted money must store."""

    base: str
    quote: str
    rate: Decimal
    as_of: date | None
    source: str
    rate_id: int | None  # the FxRate row when one row gave the rate directly
    rate_ids: tuple[int, ...]  # every FxRate row used (two for a cross via EUR)
    method: str  # identity | direct | inverse | cross


@dataclass(frozen=True)
class Conversion:
    original: Money
    converted: Money
    rate: RateQuote


def list_fx_rates(
    *,
    base: str | None = None,
    quote: str | None = None,
    as_of: date | None = None,
    source: str | None = None,
) -> QuerySet[FxRate]:
    rates = (
        FxRate.objects.select_related("created_by")  # the ops list shows who entered it
        .all()
        .order_by("-as_of", "base", "quote", "source")
    )
    if base:
        rates = rates.filter(base=validate_currency(base, field="base"))
    if quote:
        rates = rates.filter(quote=validate_currency(quote, field="quote"))
    if as_of:
        rates = rates.filter(as_of=as_of)
    if source:
        rates = rates.filter(source=source)
    return rates


def get_fx_rate(rate_id: int) -> FxRate:
    rate = FxRate.objects.filter(pk=rate_id).first()
    if rate is None:
        raise NotFound("No such FX rate.", field="id", code="unknown_fx_rate")
    return rate


def _latest(base: str, quote: str, on: date) -> FxRate | None:
    return (
        FxRate.objects.filter(base=base, quote=quote, as_of__lte=on)
        .order_by("-as_of", "-created_at", "-id")
        .first()
    )


def get_rate(base: str, quote: str, *, on: date | None = None) -> RateQuote:
    """The latest rate published on or before `on`: direct, inverse, or crossed via EUR.

    Raises NotFound (`no_fx_rate`) when no rate is known for the pair by that date.
    """
    base = validate_currency(base, field="from")
    quote = validate_currency(quote, field="to")
    on = on or _today()
    if base == quote:
        return RateQuote(base, quote, Decimal(1), on, "identity", None, (), "identity")
    direct = _latest(base, quote, on)
    if direct is not None:
        return RateQuote(
            base, quote, direct.rate, direct.as_of, direct.source, direct.pk, (direct.pk,), "direct"
        )
    inverse = _latest(quote, base, on)
    if inverse is not None:
        rate = (Decimal(1) / inverse.rate).quantize(CROSS_RATE_PLACES)
        return RateQuote(
            base, quote, rate, inverse.as_of, inverse.source, None, (inverse.pk,), "inverse"
        )
    legs = [_pivot_leg(base, on), _pivot_leg(quote, on)]
    if all(leg is not None for leg in legs):
        (base_rate, base_row), (quote_rate, quote_row) = legs
        rate = (quote_rate / base_rate).quantize(CROSS_RATE_PLACES)
        sources = sorted({base_row.source, quote_row.source})
        return RateQuote(
            base,
            quote,
            rate,
            min(base_row.as_of, quote_row.as_of),
            "+".join(sources),
            None,
            (base_row.pk, quote_row.pk),
            "cross",
        )
    raise NotFound(
        f"No {base}/{quote} rate is known on or before {on}.", field="to", code="no_fx_rate"
    )


def _pivot_leg(currency: str, on: date) -> tuple[Decimal, FxRate] | None:
    """1 EUR = x `currency`, and the row it came from."""
    if currency == PIVOT:
        return None
    row = _latest(PIVOT, currency, on)
    if row is not None:
        return row.rate, row
    row = _latest(currency, PIVOT, on)
    if row is not None:
        return Decimal(1) / row.rate, row
    return None


def convert(money: Money, to_currency: str, *, on: date | None = None) -> Conversion:
    """Convert at the rate in force on `on`; full precision (round at the boundary)."""
    quote = get_rate(money.currency, to_currency, on=on)
    return Conversion(money, Money(money.amount * quote.rate, quote.quote), quote)
