"""API shapes for carts, checkout and orders. Amounts are strings in the market currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from tradelane.core.api import ID_MAX, StrictIn
from tradelane.core.money import Money

from .pricing import MAX_LINES, MAX_QUANTITY

Tier = Literal["economy", "standard", "premium"]


def _amount(money: Money) -> str:
    return str(money.rounded().amount)


def plain(value) -> str:
    """A unit price as entered: 10, 8.5, 0.125 (no exponent, no trailing zeros)."""
    return f"{value.normalize():f}"


# --- input -----------------------------------------------------------------------------------


class CartLineIn(StrictIn):
    sku_id: int = Field(..., ge=1, le=ID_MAX)
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)


class QuantityIn(StrictIn):
    quantity: int = Field(..., ge=0, le=MAX_QUANTITY, description="0 removes the line")


class TierIn(StrictIn):
    group: str = Field(..., max_length=40, description="the group's `key` from GET /cart")
    tier: Tier


class PostalCodeIn(StrictIn):
    postal_code: str = Field(..., min_length=1, max_length=20)


class AddressIn(StrictIn):
    recipient: str = Field(..., max_length=120)
    company: str = Field("", max_length=120)
    phone: str = Field("", max_length=32)
    street_address: str = Field(..., max_length=300)
    city: str = Field(..., max_length=120)
    city_area: str = Field("", max_length=120)
    country_area: str = Field("", max_length=120, description="state / province where used")
    postal_code: str = Field(..., max_length=20)


class CheckoutIn(StrictIn):
    """Prices are never sent: the server prices every line. Unknown fields are refused."""

    market: str = Field(..., min_length=2, max_length=2)
    shipping_address: AddressIn
    payment_method: str = Field(
        ..., min_length=1, max_length=64, description="test provider: test_ok, test_decline…"
    )
    buyer_tax_id: str = Field("", max_length=40)
    po_number: str = Field("", max_length=64)
    incoterm: Literal["DDP", "DAP"] = "DDP"
    lines: list[CartLineIn] | None = Field(
        None, max_length=MAX_LINES, description="omit to check out the cart of this market"
    )
    tier: Tier = Field("standard", description="for groups without a tier chosen in the cart")
    currency: str | None = Field(None, min_length=3, max_length=3)
    expected_total: Decimal | None = Field(
        None, ge=0, max_digits=18, decimal_places=4, description="refuse if the total differs"
    )


class ReasonIn(StrictIn):
    reason: str = Field("", max_length=500)


# --- output ----------------------------------------------------------------------------------


class WindowOut(Schema):
    pickup: date
    earliest: date
    latest: date


class TierOptionOut(Schema):
    tier: str
    available: bool
    reason: str | None = None
    at_checkout: str | None = None
    on_delivery: str | None = None
    shipping: str | None = None
    duties: str | None = None
    taxes: str | None = None
    fees: str | None = None
    window: WindowOut | None = None

    @staticmethod
    def of(tier) -> dict:
        if not tier.available:
            return {"tier": tier.tier, "available": False, "reason": tier.unavailable.message}
        w = tier.window
        return {
            "tier": tier.tier,
            "available": True,
            "at_checkout": _amount(tier.at_checkout),
            "on_delivery": _amount(tier.on_delivery),
            "shipping": _amount(tier.subtotal("shipping")),
            "duties": _amount(tier.subtotal("duty")),
            "taxes": _amount(tier.subtotal("tax")),
            "fees": _amount(tier.subtotal("fee")),
            "window": {"pickup": w.pickup, "earliest": w.earliest, "latest": w.latest},
        }


class CartLineOut(Schema):
    id: int
    sku_id: int
    sku_code: str
    title: str
    quantity: int
    seen_unit_price: str
    unit_price: str | None
    price_changed: bool
    problem: str | None = None


class CartGroupOut(Schema):
    key: str
    merchant_id: int
    merchant: str
    ships_from: str
    line_ids: list[int]
    goods_total: str
    tier: str
    tiers: list[TierOptionOut]
    problem: str | None = None


class CartOut(Schema):
    market: str
    currency: str
    postal_code: str
    version: int
    lines: list[CartLineOut]
    groups: list[CartGroupOut]
    total_at_checkout: str | None = Field(None, description="with the chosen tiers")

    @staticmethod
    def of(view, market) -> dict:
        cart = view.cart
        if cart is None:
            return {
                "market": market.code,
                "currency": market.currency,
                "postal_code": market.postal_code_example,
                "version": 0,
                "lines": [],
                "groups": [],
                "total_at_checkout": None,
            }
        current = {}
        groups = []
        total, complete = Money(0, market.currency), True
        for group in view.plan.groups if view.plan else []:
            for line in group.lines:
                current[line.index] = line.unit_price
            chosen = cart.tiers.get(group.key, "standard")
            tier = group.tier(chosen)
            if tier is not None and tier.available:
                total = total + tier.at_checkout
            else:
                complete = False
            groups.append(
                {
                    "key": group.key,
                    "merchant_id": group.merchant_id,
                    "merchant": group.merchant_name,
                    "ships_from": f"{group.warehouse.city}, {group.warehouse.country}",
                    "line_ids": [view.lines[line.index].pk for line in group.lines],
                    "goods_total": _amount(group.goods_total),
                    "tier": chosen,
                    "tiers": [TierOptionOut.of(t) for t in group.quote.tiers]
                    if group.quote
                    else [],
                    "problem": group.error.message if group.error else None,
                }
            )
        lines = []
        for i, line in enumerate(view.lines):
            price = current.get(i)
            problem = view.line_problem(i)
            lines.append(
                {
                    "id": line.pk,
                    "sku_id": line.sku_id,
                    "sku_code": line.sku.code,
                    "title": line.sku.product.title,
                    "quantity": line.quantity,
                    "seen_unit_price": plain(line.seen_unit_price),
                    "unit_price": plain(price.amount) if price else None,
                    "price_changed": price is not None and price.amount != line.seen_unit_price,
                    "problem": problem.message if problem else None,
                }
            )
        return {
            "market": cart.market_id,
            "currency": market.currency,
            "postal_code": cart.postal_code,
            "version": cart.version,
            "lines": lines,
            "groups": groups,
            "total_at_checkout": _amount(total) if groups and complete else None,
        }


class OrderLineOut(Schema):
    sku_id: int
    sku_code: str
    title: str
    hs_code: str
    origin_country: str
    quantity: int
    unit_price: str
    line_total: str


class BreakdownLineOut(Schema):
    kind: str
    label: str
    amount: str
    rule: str
    as_of: str | None
    collected: str


class HistoryOut(Schema):
    from_status: str
    to_status: str
    note: str
    at: datetime


class OrderSummaryOut(Schema):
    id: int
    number: str
    status: str
    buyer: str
    merchant: str
    market: str
    currency: str
    tier: str
    total: str
    po_number: str
    promised_latest: date
    handover_deadline: datetime
    created_at: datetime

    @staticmethod
    def of(order) -> dict:
        return {
            "id": order.pk,
            "number": order.number,
            "status": order.status,
            "buyer": order.buyer.name,
            "merchant": order.merchant.name,
            "market": order.market_id,
            "currency": order.currency,
            "tier": order.tier,
            "total": _amount(order.money("total")),
            "po_number": order.po_number,
            "promised_latest": order.promised_latest,
            "handover_deadline": order.handover_deadline,
            "created_at": order.created_at,
        }


class OrderOut(OrderSummaryOut):
    incoterm: str
    buyer_tax_id: str
    reverse_charge: bool
    invoice_wording: str
    status_reason: str
    shipping_address: dict
    goods_total: str
    shipping_total: str
    duties_total: str
    taxes_total: str
    fees_total: str
    due_on_delivery: str
    window: WindowOut
    payment_status: str | None
    lines: list[OrderLineOut]
    breakdown: list[BreakdownLineOut]
    history: list[HistoryOut]

    @staticmethod
    def of(order, lines=None, history=None) -> dict:
        money = order.money
        return {
            **OrderSummaryOut.of(order),
            "incoterm": order.incoterm,
            "buyer_tax_id": order.buyer_tax_id,
            "reverse_charge": order.reverse_charge,
            "invoice_wording": order.invoice_wording,
            "status_reason": order.status_reason,
            "shipping_address": order.shipping_address,
            **{
                name: _amount(money(name))
                for name in (
                    "goods_total",
                    "shipping_total",
                    "duties_total",
                    "taxes_total",
                    "fees_total",
                    "due_on_delivery",
                )
            },
            "window": {
                "pickup": order.promised_pickup,
                "earliest": order.promised_earliest,
                "latest": order.promised_latest,
            },
            "payment_status": order.payment.status if order.payment_id else None,
            "lines": [
                {
                    "sku_id": line.sku_id,
                    "sku_code": line.sku_code,
                    "title": line.title,
                    "hs_code": line.hs_code,
                    "origin_country": line.origin_country,
                    "quantity": line.quantity,
                    "unit_price": plain(line.unit_price),
                    "line_total": _amount(Money(line.line_total, order.currency)),
                }
                for line in (lines if lines is not None else order.lines.all())
            ],
            "breakdown": order.breakdown,
            "history": [
                {
                    "from_status": h.from_status,
                    "to_status": h.to_status,
                    "note": h.note,
                    "at": h.created_at,
                }
                for h in (history if history is not None else order.history.all())
            ],
        }


class CheckoutOut(Schema):
    id: int
    market: str
    currency: str
    total: str
    orders: list[OrderOut]


class CheckoutPreviewGroupOut(Schema):
    key: str
    merchant: str
    tier: str
    at_checkout: str
    on_delivery: str
    window: WindowOut


class CheckoutPreviewOut(Schema):
    currency: str
    total: str
    groups: list[CheckoutPreviewGroupOut]
