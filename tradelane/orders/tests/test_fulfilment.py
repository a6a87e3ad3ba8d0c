"""The order follows its shipment: handover ships the reserved stock; steps are idempotent
and cannot be skipped."""

import pytest

from tradelane.catalog.models import StockLevel
from tradelane.core.errors import InvalidTransition
from tradelane.orders import services
from tradelane.orders.testing import place_order

pytestmark = pytest.mark.django_db


def test_handover_ships_stock_and_delivery_completes(buyer_owner, merchant_owner):
    order = place_order(buyer_owner, merchant_owner, quantity=10)
    services.accept_order(actor=merchant_owner, order_id=order.pk)
    services.await_handover(order_id=order.pk)
    services.await_handover(order_id=order.pk)  # a duplicate changes nothing
    order = services.record_handover(order_id=order.pk)
    services.record_handover(order_id=order.pk)
    level = StockLevel.objects.get(sku__organisation=merchant_owner.organisation)
    assert (level.on_hand, level.reserved) == (90, 0)
    assert order.handed_over_at is not None
    order = services.record_delivered(order_id=order.pk)
    services.record_delivered(order_id=order.pk)
    assert order.status == "delivered" and order.delivered_at is not None
    statuses = list(order.history.values_list("to_status", flat=True))
    assert statuses == [
        "placed",
        "paid",
        "accepted",
        "awaiting_handover",
        "handed_over",
        "in_transit",
        "delivered",
    ]
    assert services.complete_order(order_id=order.pk).status == "completed"


def test_no_step_is_skipped(buyer_owner, merchant_owner):
    order = place_order(buyer_owner, merchant_owner)
    with pytest.raises(InvalidTransition):
        services.record_delivered(order_id=order.pk)  # paid, never accepted nor handed over
    with pytest.raises(InvalidTransition):
        services.record_handover(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == "paid"
