"""FX rates: operator upserts and the all-or-nothing ECB import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput
from tradelane.core.money import to_decimal, validate_currency

from ..ecb import parse_ecb_xml
from ..models import FxRate
from .versions import bump_reference_version


def _fx_rate(value) -> Decimal:
    rate = to_decimal(value, field="rate")
    if rate <= 0 or rate >= Decimal("1e10"):
        raise InvalidInput("The rate must be a positive number below 10,000,000,000.", field="rate")
    if rate != rate.quantize(Decimal("1e-8")):
        raise InvalidInput("The rate may have at most 8 decimals.", field="rate")
    return rate


def set_fx_rate(
    *, actor: Actor | None, base: str, quote: str, rate, as_of: date, source: str
) -> tuple[FxRate, bool]:
    """Create or replace the rate for (base, quote, as_of, source); audited. Returns (row, created)."""
    base = validate_currency(base, field="base")
    quote = validate_currency(quote, field="quote")
    if base == quote:
        raise InvalidInput("Base and quote must differ.", field="quote", code="same_currency")
    value = _fx_rate(rate)
    source = (source or "").strip()
    if not source or len(source) > 40:
        raise InvalidInput("A source of 1 to 40 characters is required (e.g. ECB).", field="source")
    if not isinstance(as_of, date):
        raise InvalidInput("A date is required.", field="as_of")
    key = {"base": base, "quote": quote, "as_of": as_of, "source": source}
    with transaction.atomic():
        row = FxRate.objects.select_for_update().filter(**key).first()
        created = False
        if row is None:
            try:
                with transaction.atomic():  # savepoint: a concurrent insert may win the race
                    row = FxRate.objects.create(
                        **key, rate=value, created_by=getattr(actor, "user", None)
                    )
                    created = True
            except IntegrityError:
                row = FxRate.objects.select_for_update().get(**key)
        old = None if created else row.rate
        if not created and row.rate != value:
            row.rate = value
            row.save(update_fields=["rate"])
        if created or old != value:
            bump_reference_version()
            record_audit(
                actor=actor,
                action="markets.fx_rate_set",
                target=row,
                summary=f"1 {base} = {value} {quote} ({source} {as_of})",
                changes={"rate": [None if old is None else str(old), str(value)]},
            )
    return row, created


@dataclass(frozen=True)
class ImportResult:
    days: int
    rates: int
    created: int
    updated: int
    first_day: date
    last_day: date


def import_ecb_rates(
    xml_bytes: bytes, *, source: str = "ECB", actor: Actor | None = None
) -> ImportResult:
    """Import an ECB eurofxref file as EUR→X rates: all or nothing.

    The whole file is validated before anything is written; a defect raises InvalidInput
    naming the day and currency. Existing (EUR, X, day, source) rows get the file's rate.
    """
    parsed = parse_ecb_xml(xml_bytes)
    days = sorted({r.as_of for r in parsed})
    with transaction.atomic():
        existing = {
            (row.quote, row.as_of): row
            for row in FxRate.objects.select_for_update().filter(
                base="EUR", source=source, as_of__gte=days[0], as_of__lte=days[-1]
            )
        }
        new, changed = [], []
        user = getattr(actor, "user", None)
        for r in parsed:
            row = existing.get((r.currency, r.as_of))
            if row is None:
                new.append(
                    FxRate(
                        base="EUR",
                        quote=r.currency,
                        rate=r.rate,
                        as_of=r.as_of,
                        source=source,
                        created_by=user,
                    )
                )
            elif row.rate != r.rate:
                row.rate = r.rate
                changed.append(row)
        # Upsert: a concurrent import of the same days cannot fail on the unique key.
        FxRate.objects.bulk_create(
            new,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["base", "quote", "as_of", "source"],
            update_fields=["rate"],
        )
        FxRate.objects.bulk_update(changed, ["rate"], batch_size=500)
        bump_reference_version()
        result = ImportResult(len(days), len(parsed), len(new), len(changed), days[0], days[-1])
        record_audit(
            actor=actor,
            action="markets.ecb_rates_imported",
            target=None,
            summary=f"{source}: {result.rates} rates for {result.days} days "
            f"({result.first_day} → {result.last_day}), {result.created} new, {result.updated} changed",
            changes={
                "created": [None, str(result.created)],
                "updated": [None, str(result.updated)],
            },
        )
    return result
