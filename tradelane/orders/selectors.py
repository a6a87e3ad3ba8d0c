"""Order reads, always scoped to the acting organisation: a buyer sees its orders, a
merchant the orders placed with it, an operator all. Anything else is 404."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from tradelane.core.access import Actor
from tradelane.core.errors import DomainError, InvalidInput, NotFound

from .models import Cart, CartLine, Order, OrderStatusChange
from .pricing import LineRequest, Plan, plan
from .states import OrderStatus

SIDES = ("buyer", "merchant")


def list_orders(
    *, actor: Actor, status: str | None = None, query: str = "", market: str | None = None
) -> QuerySet[Order]:
    if actor is None or actor.organisation is None:
        return Order.objects.none()
    orders = Order.objects.select_related("buyer", "merchant", "market")
    if actor.kind == "buyer":
        orders = orders.filter(buyer_id=actor.organisation_id)
    elif actor.kind == "merchant":
        orders = orders.filter(merchant_id=actor.organisation_id)
    elif not actor.is_operator:
        return Order.objects.none()
    if status:
        if status not in OrderStatus.values:
            raise InvalidInput("Unknown status.", field="status")
        orders = orders.filter(status=status)
    if market:
        orders = orders.filter(market_id=market.upper())
    query = (query or "").strip()
    if query:
        orders = orders.filter(number__icontains=query) | orders.filter(po_number__icontains=query)
    return orders.order_by("-created_at", "-id")


def get_order(*, actor: Actor, order_id: int) -> Order:
    order = (
        list_orders(actor=actor)
        .filter(pk=order_id)
        .select_related("warehouse", "payment", "checkout")
        .first()
    )
    if order is None:
        raise NotFound("No such order.", field="order_id")
    return order


def order_lines(order: Order):
    return list(order.lines.all())


def order_history(order: Order) -> QuerySet[OrderStatusChange]:
    return order.history.select_related("actor").order_by("created_at", "id")


# --- cart ------------------------------------------------------------------------------------


@dataclass
class CartView:
    cart: Cart | None
    lines: list[CartLine]
    plan: Plan | None = None
    problems: dict[int, DomainError] = field(default_factory=dict)  # line index -> why

    def line_problem(self, index: int) -> DomainError | None:
        return self.problems.get(index)

    @property
    def changed_prices(self) -> list[int]:
        if self.plan is None:
            return []
        return [
            line.index
            for group in self.plan.groups
            for line in group.lines
            if self.lines[line.index].seen_unit_price != line.unit_price.amount
        ]


def get_cart(*, actor: Actor, market: str) -> CartView:
    """The cart with each merchant-warehouse group quoted in all three tiers. Lines that
    can no longer be bought as they are (not sold any more, quantity rules changed) are
    kept and explained in `problems`; the rest is still quoted."""
    if actor is None or actor.kind != "buyer":
        raise NotFound("No cart.", field="market")
    cart = (
        Cart.objects.filter(organisation_id=actor.organisation_id, market_id=market.upper())
        .select_related("market")
        .first()
    )
    if cart is None:
        return CartView(cart=None, lines=[])
    lines = list(cart.lines.select_related("sku__product").order_by("added_at", "id"))
    view = CartView(cart=cart, lines=lines)
    todo = list(range(len(lines)))
    while todo:
        try:
            view.plan = plan(
                market=cart.market_id,
                lines=[LineRequest(lines[i].sku_id, lines[i].quantity) for i in todo],
                postal_code=cart.postal_code or None,
                strict=False,
            )
        except DomainError as error:
            match = re.match(r"lines\[(\d+)\]", error.field or "")
            if match is None:
                raise
            bad = todo.pop(int(match.group(1)))
            view.problems[bad] = error
            continue
        for group in view.plan.groups:  # indexes back to the cart's
            for line in group.lines:
                line.index = todo[line.index]
        break
    return view
