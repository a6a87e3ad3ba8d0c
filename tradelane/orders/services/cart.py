"""The buyer's cart, one per buyer organisation and market.

Each change is one transaction that locks the cart row and bumps its `version`, so
concurrent edits serialise and checkout can tell the cart it priced is the cart it
places. A line remembers the unit price the buyer was shown (`seen_unit_price`);
checkout refuses to charge another until the buyer accepts it (`accept_prices`).
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tradelane.catalog import search as catalog_search
from tradelane.catalog import selectors as catalog
from tradelane.core.access import Actor
from tradelane.core.errors import Conflict, Forbidden, InvalidInput, NotFound

from ..models import TIERS, Cart, CartLine
from ..pricing import check_quantity, market_or_error

MAX_CART_LINES = 100


def _buyer(actor: Actor) -> None:
    if actor is None or actor.kind != "buyer":
        raise Forbidden("Only buyer organisations have carts.", code="buyers_only")


def locked_cart(actor: Actor, market_code: str) -> Cart:
    """The actor's cart in the market, created if needed, locked for this transaction."""
    _buyer(actor)
    market = market_or_error(market_code)
    cart = Cart.objects.select_for_update().filter(
        organisation_id=actor.organisation_id, market=market
    )
    found = cart.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            Cart.objects.create(
                organisation_id=actor.organisation_id,
                market=market,
                postal_code=market.postal_code_example,
            )
    except IntegrityError:  # created concurrently
        pass
    return cart.get()


def _touch(cart: Cart) -> None:
    Cart.objects.filter(pk=cart.pk).update(version=F("version") + 1, updated_at=timezone.now())
    cart.refresh_from_db(fields=["version", "updated_at"])


def _sellable(market_code: str, sku_id: int, quantity: int, field: str):
    sku = catalog_search.listed_skus(market_code).filter(pk=sku_id).first()
    if sku is None:
        raise NotFound("This product is not sold in this market.", field="sku_id")
    price = catalog.in_force(market_code=market_code).filter(pk=sku.price_id).first()
    if price is None:
        raise NotFound("This product is not sold in this market.", field="sku_id")
    check_quantity(price, quantity, field)
    if sku.readiness != "near_ready" and sku.available < quantity:
        raise Conflict(
            f"Only {max(sku.available, 0)} available.", field=field, code="insufficient_stock"
        )
    return sku, price


@transaction.atomic
def add_to_cart(*, actor: Actor, market: str, sku_id: int, quantity: int) -> CartLine:
    """Add `quantity` units (on top of what the cart holds). MOQ and increment are checked
    on the resulting quantity. Raises 404 `sku_id` for a SKU not sold in the market, 422
    `quantity` (`below_moq`, `invalid_increment`), 403 for a non-buyer."""
    cart = locked_cart(actor, market)
    line = cart.lines.filter(sku_id=sku_id).first()
    total = quantity + (line.quantity if line else 0) if isinstance(quantity, int) else quantity
    _, price = _sellable(cart.market_id, sku_id, total, "quantity")
    if line is None:
        if cart.lines.count() >= MAX_CART_LINES:
            raise InvalidInput(
                f"A cart holds at most {MAX_CART_LINES} lines.", field="sku_id", code="cart_full"
            )
        line = CartLine(cart=cart, sku_id=sku_id)
    line.quantity = total
    seen = price.unit_price_for(total)
    line.seen_unit_price, line.seen_currency = seen.amount, seen.currency
    line.save()
    _touch(cart)
    return line


def _line(cart: Cart, line_id: int) -> CartLine:
    line = cart.lines.filter(pk=line_id).first()
    if line is None:
        raise NotFound("No such line in your cart.", field="line_id")
    return line


@transaction.atomic
def set_quantity(*, actor: Actor, market: str, line_id: int, quantity: int) -> CartLine | None:
    """Set a line's quantity; 0 removes the line (returns None)."""
    cart = locked_cart(actor, market)
    line = _line(cart, line_id)
    if quantity == 0:
        line.delete()
        _touch(cart)
        return None
    _, price = _sellable(cart.market_id, line.sku_id, quantity, "quantity")
    seen = price.unit_price_for(quantity)
    line.quantity, line.seen_unit_price, line.seen_currency = quantity, seen.amount, seen.currency
    line.save(update_fields=["quantity", "seen_unit_price", "seen_currency"])
    _touch(cart)
    return line


@transaction.atomic
def remove_line(*, actor: Actor, market: str, line_id: int) -> None:
    cart = locked_cart(actor, market)
    _line(cart, line_id).delete()
    _touch(cart)


@transaction.atomic
def choose_tier(*, actor: Actor, market: str, group: str, tier: str) -> Cart:
    """Choose the delivery tier of one merchant-warehouse group (`group` = its key)."""
    if tier not in TIERS:
        raise InvalidInput("Choose economy, standard or premium.", field="tier")
    if not re.fullmatch(r"\d{1,12}:\d{1,12}", group or ""):
        raise InvalidInput("Unknown group.", field="group")
    cart = locked_cart(actor, market)
    cart.tiers = {**cart.tiers, group: tier}
    cart.save(update_fields=["tiers"])
    _touch(cart)
    return cart


@transaction.atomic
def set_postal_code(*, actor: Actor, market: str, postal_code: str) -> Cart:
    """The destination postal code the cart is quoted to (checked against the market)."""
    cart = locked_cart(actor, market)
    postal = (postal_code or "").strip().upper()
    pattern = cart.market.postal_code_regex
    if not postal or len(postal) > 20 or (pattern and not re.fullmatch(pattern, postal)):
        raise InvalidInput(
            f"{postal_code!r} is not a postal code of {cart.market.name}.",
            field="postal_code",
            code="invalid_postal_code",
        )
    cart.postal_code = postal
    cart.save(update_fields=["postal_code"])
    _touch(cart)
    return cart


@transaction.atomic
def accept_prices(*, actor: Actor, market: str) -> Cart:
    """The buyer has seen the current prices: remember them as the prices to charge.
    Lines no longer sold are left for the page to flag (checkout refuses them)."""
    cart = locked_cart(actor, market)
    lines = list(cart.lines.all())
    visible = {
        sku.pk: sku.price_id
        for sku in catalog_search.listed_skus(cart.market_id).filter(
            pk__in=[line.sku_id for line in lines]
        )
    }
    prices = {
        price.pk: price
        for price in catalog.in_force(market_code=cart.market_id).filter(pk__in=visible.values())
    }
    for line in lines:
        price = prices.get(visible.get(line.sku_id))
        if price is None:
            continue
        seen = price.unit_price_for(line.quantity)
        line.seen_unit_price, line.seen_currency = seen.amount, seen.currency
    CartLine.objects.bulk_update(lines, ["seen_unit_price", "seen_currency"])
    _touch(cart)
    return cart
