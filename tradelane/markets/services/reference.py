"""Load the reference markets (seed data) without overwriting operator edits."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import transaction

from tradelane.core.money import Money

from .. import seed
from ..models import Fee, Market, RegionalTax, TaxRegime
from ..states import MarketStatus
from .versions import bump_reference_version


def load_reference_markets(*, apps=None) -> dict[str, int]:
    """Create the 20 reference markets, their regimes and fees where missing.

    Idempotent and never overwrites: a market, regime (market + start) or fee (market +
    name + start) that exists is left as the operator edited it. `apps` is the migration
    state registry when called from a data migration.
    """
    get = apps.get_model if apps is not None else None
    market_model = get("markets", "Market") if get else Market
    regime_model = get("markets", "TaxRegime") if get else TaxRegime
    fee_model = get("markets", "Fee") if get else Fee
    counts = {"markets": 0, "tax_regimes": 0, "fees": 0}
    with transaction.atomic():
        for data in seed.MARKETS:
            defaults = {k: v for k, v in data.items() if k != "code"}
            defaults["as_of"] = seed.AS_OF
            if data["status"] == MarketStatus.LIVE:
                defaults["recruiting_from"] = seed.LAUNCH_RECRUITING_FROM
                defaults["live_from"] = seed.LAUNCH_LIVE_FROM
            market, created = market_model.objects.get_or_create(
                code=data["code"], defaults=defaults
            )
            counts["markets"] += created
            for row in seed.REGIMES.get(market.code, []):
                if not regime_model.objects.filter(
                    market=market, effective_from=row["effective_from"]
                ).exists():
                    regime_model.objects.create(market=market, **regime_columns(row))
                    counts["tax_regimes"] += 1
            for row in seed.FEES.get(market.code, []):
                exists = fee_model.objects.filter(
                    market=market, name=row["name"], effective_from=row["effective_from"]
                ).exists()
                if not exists:
                    fee_model.objects.create(market=market, **fee_columns(row))
                    counts["fees"] += 1
        counts["regional_taxes"] = _load_regional_taxes(get)
        if apps is None:
            if any(counts.values()):
                bump_reference_version()
        else:
            ensure_reference_version(get)
    return counts


def ensure_reference_version(get) -> None:
    """Create the version row if missing (a migration, or post_migrate after a flush)."""
    try:
        model = get("markets", "ReferenceVersion")
    except LookupError:  # an earlier migration: the table comes later
        return
    model.objects.get_or_create(pk=1, defaults={"token": secrets.token_hex(16)})


def _load_regional_taxes(get) -> int:
    """Create the seeded provincial/state taxes where missing (region + start)."""
    if get is not None:
        try:
            model = get("markets", "RegionalTax")
        except LookupError:  # an earlier migration: the table comes later
            return 0
    else:
        model = RegionalTax
    created = 0
    market_model = get("markets", "Market") if get is not None else Market
    for code, rows in seed.REGIONAL_TAXES.items():
        if not market_model.objects.filter(pk=code).exists():
            continue
        for row in rows:
            if not model.objects.filter(
                market_id=code, region=row["region"], effective_from=row["effective_from"]
            ).exists():
                model.objects.create(
                    market_id=code, **{**row, "rate": Decimal(row["rate"])}, as_of=seed.AS_OF
                )
                created += 1
    return created


def _split(value, prefix: str) -> dict:
    if value is None:
        return {f"{prefix}_amount": None, f"{prefix}_currency": ""}
    if isinstance(value, Money):
        return {f"{prefix}_amount": value.amount, f"{prefix}_currency": value.currency}
    amount, currency = value
    return {f"{prefix}_amount": Decimal(amount), f"{prefix}_currency": currency}


def regime_columns(row: dict) -> dict:
    row = dict(row)
    columns = {}
    for key in ("duty_de_minimis", "tax_de_minimis", "collect_at_sale_threshold"):
        columns.update(_split(row.pop(key, None), key))
    for key in ("standard_rate", "china_origin_global_rate"):
        if row.get(key) is not None:
            row[key] = Decimal(row[key])
    return {**row, **columns}


def fee_columns(row: dict) -> dict:
    row = dict(row)
    amount = row.pop("amount")
    if isinstance(amount, Money):
        row["amount"], row["currency"] = amount.amount, amount.currency
    else:
        row["amount"], row["currency"] = Decimal(amount[0]), amount[1]
    row.update(_split(row.pop("max_consignment", None), "max_consignment"))
    return row
