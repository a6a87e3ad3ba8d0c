"""Per-market prices set by the merchant: unit price, breaks, MOQ, increment, schedule."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.money import Money, to_decimal
from tradelane.core.outbox import record_events
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants
from tradelane.merchants.states import OperatingModel

from .. import listings
from ..models import Price, Sku

MAX_BREAKS = 10
MAX_QUANTITY = 10_000_000
_MAX_AMOUNT = Decimal("99999999999999")


def _amount(value, *, field: str, currency: str) -> Decimal:
    amount = to_decimal(value, field=field)
    if amount <= 0:
        raise InvalidInput("A price must be greater than zero.", field=field, code="not_positive")
    if amount > _MAX_AMOUNT:
        raise InvalidInput("Price too large.", field=field, code="too_large")
    rounded = Money(amount, currency).rounded().amount
    if rounded != amount:
        raise InvalidInput(
            f"{currency} prices have at most {abs(rounded.as_tuple().exponent)} decimals.",
            field=field,
            code="too_many_decimals",
        )
    return amount


def _quantity(value, *, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(f"A quantity from 1 to {MAX_QUANTITY:,}.", field=field)
    return value


def validate_price(
    *, currency: str, market_currency: str, unit_price, breaks, moq, increment
) -> tuple[Decimal, list[dict], int, int]:
    """The pure rules; returns normalised (unit_price, breaks, moq, increment)."""
    if (currency or "").strip().upper() != market_currency:
        raise InvalidInput(
            f"Prices in this market are in {market_currency}.",
            field="currency",
            code="wrong_currency",
        )
    amount = _amount(unit_price, field="unit_price", currency=market_currency)
    moq = _quantity(moq, field="moq")
    increment = _quantity(increment, field="increment")
    if moq % increment:
        raise InvalidInput(
            f"The MOQ ({moq}) must be a multiple of the order increment ({increment}).",
            field="moq",
            code="moq_not_multiple_of_increment",
        )
    if len(breaks or ()) > MAX_BREAKS:
        raise InvalidInput(f"At most {MAX_BREAKS} price breaks.", field="breaks")
    out, last_quantity = [], moq
    for index, row in enumerate(breaks or ()):
        field = f"breaks[{index}]"
        quantity = _quantity(row.get("min_quantity"), field=f"{field}.min_quantity")
        if quantity <= last_quantity:
            raise InvalidInput(
                "Break quantities must be strictly increasing and above the MOQ.",
                field=f"{field}.min_quantity",
                code="breaks_not_increasing",
            )
        price = _amount(
            row.get("unit_price"), field=f"{field}.unit_price", currency=market_currency
        )
        out.append({"min_quantity": quantity, "unit_price": str(price)})
        last_quantity = quantity
    return amount, out, moq, increment


def is_fully_managed(organisation) -> bool:
    """`organisation`: an Organisation (a merchant without a profile is semi-managed)."""
    return merchants.get_profile(organisation).operating_model == OperatingModel.FULLY_MANAGED


@transaction.atomic
def set_price(
    *,
    actor: Actor,
    sku_id: int,
    market_code: str,
    currency: str,
    unit_price,
    breaks: list[dict] | None = None,
    moq: int = 1,
    increment: int = 1,
    effective_from: datetime | None = None,
    source: str = "api",
) -> Price:
    """Append a price version for one of the merchant's SKUs in a market.

    Effective now unless `effective_from` is in the future (not in the past: history is
    never rewritten). Locks the SKU so versions of one SKU are written in order.
    Refreshes the SKU's storefront listings; records `catalog.price_changed`.
    Raises NotFound (another merchant's SKU, unknown market), InvalidInput with a field
    (`platform_sets_retail_price` for a fully-managed merchant).
    """
    sku = (
        Sku.objects.select_for_update()
        .filter(pk=sku_id, organisation_id=actor.organisation_id)
        .first()
    )
    if sku is None or actor.kind != "merchant":
        raise NotFound("No such SKU.", field="sku_id")
    if is_fully_managed(actor.organisation):
        raise InvalidInput(
            "Under the fully-managed model the platform sets the retail price; "
            "set your supply price instead.",
            field="unit_price",
            code="platform_sets_retail_price",
        )
    return _append(
        actor=actor,
        sku=sku,
        market_code=market_code,
        currency=currency,
        unit_price=unit_price,
        breaks=breaks,
        moq=moq,
        increment=increment,
        effective_from=effective_from,
        source=source,
    )


def _append(
    *, actor, sku, market_code, currency, unit_price, breaks, moq, increment, effective_from, source
) -> Price:
    try:
        market = markets.get_market((market_code or "").upper())
    except NotFound:
        raise InvalidInput(
            f"Unknown market {market_code!r}.", field="market", code="unknown_market"
        ) from None
    amount, rows, moq, increment = validate_price(
        currency=currency,
        market_currency=market.currency,
        unit_price=unit_price,
        breaks=breaks,
        moq=moq,
        increment=increment,
    )
    now = timezone.now()
    if effective_from is None or effective_from <= now:
        effective_from = now
    price = Price.objects.create(
        sku=sku,
        market=market,
        currency=market.currency,
        unit_price=amount,
        breaks=rows,
        moq=moq,
        increment=increment,
        effective_from=effective_from,
        created_at=now,
        created_by=actor.user if actor else None,
        source=source,
    )
    prices_written([price])
    return price


def prices_written(prices: list[Price]) -> None:
    """After appending price versions (here or in a bulk import), in the same
    transaction: refresh the SKUs' storefront listings and record one
    `catalog.price_changed` event per version."""
    listings.refresh_skus(sku_ids={p.sku_id for p in prices})
    record_events(
        "catalog.price_changed",
        [
            {
                "sku_id": price.sku_id,
                "market": price.market_id,
                "price_id": price.pk,
                "currency": price.currency,
                "unit_price": str(price.unit_price),
                "moq": price.moq,
                "effective_from": price.effective_from.isoformat(),
            }
            for price in prices
        ],
    )
