"""Helpers of the inspection, disposition and refund tests: a return point with a known
tariff, a delivered order paid with a chosen test method, a weighed SKU."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from tradelane.orders import services as orders
from tradelane.orders.testing import place_order, selling
from tradelane.returns.models import ReturnPoint
from tradelane.returns.testing import received_return

US_TARIFF = {
    "currency": "USD",
    "reverse_label_cost": Decimal("7.50"),
    "pickup_surcharge": Decimal("3.00"),
    "handling_fee": Decimal("2.50"),
    "consolidation_parcel_cost": Decimal("45.00"),
    "consolidation_per_kg": Decimal("6.50"),
    "liquidation_share": Decimal("0.2000"),
    "disposal_fee": Decimal("1.50"),
    "returnless_share": Decimal("0.5000"),
}


def return_point(market="US", **tariff) -> ReturnPoint:
    values = {**US_TARIFF, **tariff}
    point, _ = ReturnPoint.objects.update_or_create(
        market_id=market,
        defaults={
            "name": f"Tradelane Returns {market}",
            "address": ["1 Dock"],
            "city": "Memphis",
            "postal_code": "38118",
            **values,
        },
    )
    return point


def delivered(buyer, merchant, *, method="test_ok", quantity=10, market="US", sku=None, kg="0.400"):
    """A delivered order of 10 × $10.00 paid with `method`; the SKU weighs `kg` a unit."""
    from tradelane.catalog.models import Sku

    code = f"SKU-{merchant.organisation_id}"
    sku = (
        sku
        or Sku.objects.filter(organisation_id=merchant.organisation_id, code=code).first()
        or selling(merchant, code=code)
    )
    if kg is not None:
        type(sku).objects.filter(pk=sku.pk).update(gross_weight_kg=Decimal(kg))
    order = place_order(buyer, merchant, quantity=quantity, sku=sku, market=market, method=method)
    orders.accept_order(actor=merchant, order_id=order.pk)
    orders.record_handover(order_id=order.pk)
    return orders.record_delivered(order_id=order.pk, at=timezone.now())


def at_point(buyer, merchant, *, quantity=3, reason="defective", method="test_ok", order=None):
    """A return of `quantity` × $10.00 at the US return point (tariff US_TARIFF)."""
    return_point()
    order = order or delivered(buyer, merchant, method=method)
    return received_return(buyer, merchant, quantity=quantity, reason=reason, order=order)


def share(order, amount_field: str, returned: int) -> Decimal:
    """The returned quantity's pro-rata share of an order total, rounded down to cents."""
    line = order.lines.get()
    part = getattr(order, amount_field) * line.line_total / order.goods_total
    return (part * returned / line.quantity).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
