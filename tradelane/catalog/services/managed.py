"""Fully-managed listings: the merchant's supply price and the platform-set retail price.

A fully-managed merchant supplies; the platform sets the price buyers pay. Its retail
price is therefore also appended as a `Price` version (source "platform"), so the
storefront, carts, history and events all see it; such a merchant cannot set its own
storefront price (`set_price` refuses). A semi-managed merchant may record a supply price
too, as a what-if: the operator's retail price then stays a figure to compare with its own
price and never reaches the storefront.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.markets import selectors as markets

from ..models import ManagedOffer, ManagedPriceChange, Price, Sku
from .pricing import _amount, _append, is_fully_managed

PLATFORM_SOURCE = "platform"


def _market(code: str, currency: str):
    try:
        market = markets.get_market((code or "").upper())
    except NotFound:
        raise InvalidInput(
            f"Unknown market {code!r}.", field="market", code="unknown_market"
        ) from None
    if (currency or "").strip().upper() != market.currency:
        raise InvalidInput(
            f"Prices in this market are in {market.currency}.",
            field="currency",
            code="wrong_currency",
        )
    return market


@transaction.atomic
def set_supply_price(
    *,
    actor: Actor,
    sku_id: int,
    market_code: str,
    currency: str,
    supply_price,
    unit_cost=None,
) -> ManagedOffer:
    """The merchant sets what it asks the platform per unit of its SKU in a market (and,
    optionally, its own unit cost, for margins). Locks the SKU. Raises NotFound for
    another merchant's SKU, InvalidInput naming the field."""
    if actor is None or actor.kind != "merchant":
        raise NotFound("No such SKU.", field="sku_id")
    sku = (
        Sku.objects.select_for_update()
        .filter(pk=sku_id, organisation_id=actor.organisation_id)
        .first()
    )
    if sku is None:
        raise NotFound("No such SKU.", field="sku_id")
    market = _market(market_code, currency)
    supply = _amount(supply_price, field="supply_price", currency=market.currency)
    cost = None
    if unit_cost not in (None, ""):
        cost = _amount(unit_cost, field="unit_cost", currency=market.currency)
    now = timezone.now()
    offer = ManagedOffer.objects.filter(sku=sku, market=market).first()
    if offer is None:
        offer = ManagedOffer.objects.create(
            sku=sku,
            market=market,
            currency=market.currency,
            supply_price=supply,
            unit_cost=cost,
            supply_set_at=now,
        )
    else:
        offer.supply_price, offer.unit_cost, offer.supply_set_at = supply, cost, now
        offer.version += 1
        offer.save(update_fields=["supply_price", "unit_cost", "supply_set_at", "version"])
    ManagedPriceChange.objects.create(
        offer=offer,
        kind=ManagedPriceChange.Kind.SUPPLY,
        amount=supply,
        unit_cost=cost,
        actor=actor.user,
        created_at=now,
    )
    return offer


@transaction.atomic
def set_retail_price(
    *, actor: Actor, sku_id: int, market_code: str, currency: str, retail_price
) -> ManagedOffer:
    """An operator sets the retail price of a SKU that has a supply price in the market.
    For a fully-managed merchant this appends a storefront `Price` version (source
    "platform", MOQ and increment carried over from the previous version); for a
    semi-managed one it is a comparison figure only. Locks the SKU, then the offer.
    Raises NotFound (unknown SKU), InvalidInput `no_supply_price` / field errors."""
    if actor is None or actor.kind != "operator":
        raise NotFound("No such SKU.", field="sku_id")
    sku = Sku.objects.select_for_update().filter(pk=sku_id).first()
    if sku is None:
        raise NotFound("No such SKU.", field="sku_id")
    market = _market(market_code, currency)
    retail = _amount(retail_price, field="retail_price", currency=market.currency)
    offer = ManagedOffer.objects.select_for_update().filter(sku=sku, market=market).first()
    if offer is None:
        raise InvalidInput(
            "The merchant has not set a supply price for this SKU in this market.",
            field="market",
            code="no_supply_price",
        )
    now = timezone.now()
    offer.retail_price, offer.retail_set_at = retail, now
    offer.version += 1
    offer.save(update_fields=["retail_price", "retail_set_at", "version"])
    ManagedPriceChange.objects.create(
        offer=offer,
        kind=ManagedPriceChange.Kind.RETAIL,
        amount=retail,
        actor=actor.user,
        created_at=now,
    )
    if is_fully_managed(sku.organisation):
        previous = (
            Price.objects.filter(sku=sku, market=market, effective_from__lte=now)
            .order_by("-effective_from", "-id")
            .first()
        )
        _append(
            actor=actor,
            sku=sku,
            market_code=market.code,
            currency=market.currency,
            unit_price=retail,
            breaks=[],
            moq=previous.moq if previous else 1,
            increment=previous.increment if previous else 1,
            effective_from=None,
            source=PLATFORM_SOURCE,
        )
    return offer


def margin(price: Decimal | None, cost: Decimal | None) -> Decimal | None:
    if price is None or cost is None:
        return None
    return price - cost
