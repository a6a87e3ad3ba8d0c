"""Test helpers: a merchant selling in markets with stock, and checkout bodies."""

from __future__ import annotations

from tradelane.catalog.testing import admit, listed
from tradelane.merchants.testing import make_warehouse

from .demo import ADDRESSES  # noqa: F401  (tests import it from here)


def selling(
    merchant,
    *,
    markets=("US", "DE"),
    quantity=100,
    code="VOLT-65W-EU",
    warehouse=None,
    unit_price="10.00",
    title="65W GaN charger",
):
    """A SKU of `merchant` sold in `markets` with `quantity` in stock (admits the merchant)."""
    if not merchant.organisation.merchant_markets.exists():
        admit(merchant, markets)
    warehouse = warehouse or make_warehouse(merchant, name=f"WH {code}")
    sku = listed(
        merchant,
        title=title,
        code=code,
        markets=markets,
        warehouse=warehouse,
        quantity=quantity,
        unit_price=unit_price,
    )
    sku.warehouse = warehouse
    return sku


def checkout_body(market="US", *, lines=None, method="test_ok", **extra) -> dict:
    body = {
        "market": market,
        "shipping_address": dict(ADDRESSES[market]),
        "payment_method": method,
        "po_number": "PO-1001",
    }
    if lines is not None:
        body["lines"] = [{"sku_id": sku_id, "quantity": qty} for sku_id, qty in lines]
    body.update(extra)
    return body


def place_order(buyer, merchant, *, sku=None, quantity=10, market="US", method="test_ok"):
    """Place one order through the checkout service (what the API does)."""
    from .pricing import LineRequest
    from .services import CheckoutRequest, place_checkout

    sku = sku or selling(merchant, code=f"SKU-{merchant.organisation_id}")
    checkout = place_checkout(
        actor=buyer,
        request=CheckoutRequest(
            market=market,
            shipping_address=dict(ADDRESSES[market]),
            payment_method=method,
            lines=[LineRequest(sku.pk, quantity)],
        ),
    )
    return checkout._orders[0]
