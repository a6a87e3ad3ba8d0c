"""The simulated network moves a shipment by itself to delivered on the accelerated clock;
pickups never exceed a warehouse's daily capacity, even when orders race for the slot."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tradelane.accounts.testing import make_actor
from tradelane.core.testing import run_together
from tradelane.logistics.fulfilment import simulation
from tradelane.logistics.fulfilment.models import Pickup, Shipment
from tradelane.logistics.fulfilment.services import create_for_order
from tradelane.logistics.fulfilment.states import CANONICAL
from tradelane.logistics.fulfilment.testing import shipped_order
from tradelane.merchants.models import Warehouse
from tradelane.orders.models import Order
from tradelane.orders.services import accept_order
from tradelane.orders.testing import place_order

pytestmark = pytest.mark.django_db


def test_demo_clock_moves_a_shipment_through_every_milestone_to_delivered(
    buyer_owner, merchant_owner, settings
):
    settings.FULFILMENT_AUTO_PICKUP = True
    shipment = shipped_order(buyer_owner, merchant_owner)
    Pickup.objects.filter(pk=shipment.pickup_id).update(pickup_at=timezone.now())
    later = timezone.now() + timedelta(minutes=10)  # 10 min × 3600 = 600 simulated hours
    assert simulation.advance(now=later, speed=3600) == 8
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    history = list(shipment.history.values_list("to_status", flat=True))
    assert history == list(CANONICAL)
    order = Order.objects.get(pk=shipment.order_id)
    assert order.status == "delivered"
    assert simulation.advance(now=later, speed=3600) == 0  # nothing left, nothing repeated


def test_simulated_clock_waits_for_the_scan_without_auto_pickup(
    buyer_owner, merchant_owner, settings
):
    settings.FULFILMENT_AUTO_PICKUP = False
    shipment = shipped_order(buyer_owner, merchant_owner)
    assert simulation.advance(now=timezone.now() + timedelta(days=30), speed=3600) == 0
    shipment.refresh_from_db()
    assert shipment.status == "created"


def test_scripted_customs_hold_is_released_by_the_network(buyer_owner, merchant_owner, settings):
    settings.FULFILMENT_AUTO_PICKUP = True
    shipment = shipped_order(buyer_owner, merchant_owner, scenario="customs_hold")
    Pickup.objects.filter(pk=shipment.pickup_id).update(pickup_at=timezone.now())
    simulation.advance(now=timezone.now() + timedelta(minutes=20), speed=3600)
    shipment.refresh_from_db()
    history = list(shipment.history.values_list("to_status", flat=True))
    assert "customs_hold" in history and shipment.status == "delivered"


def _orders(merchant, count, warehouse=None):
    buyers = [make_actor("buyer", "owner", email=f"cap{i}@buyer.test") for i in range(count)]
    first = place_order(buyers[0], merchant, quantity=10)
    sku = first.lines.get().sku
    orders = [first] + [place_order(b, merchant, quantity=10, sku=sku) for b in buyers[1:]]
    for order in orders:
        accept_order(actor=merchant, order_id=order.pk)
    return orders


def test_planned_pickups_never_exceed_the_warehouse_capacity(merchant_owner):
    orders = _orders(merchant_owner, 5)
    Warehouse.objects.filter(pk=orders[0].warehouse_id).update(daily_parcel_capacity=2)
    shipments = [create_for_order(order_id=o.pk) for o in orders]
    per_day = {p.day: (p.planned_parcels, p.capacity) for p in Pickup.objects.all()}
    assert all(planned <= capacity == 2 for planned, capacity in per_day.values())
    assert sum(s.carton_count for s in shipments) == sum(p for p, _ in per_day.values())
    assert len({s.pickup.day for s in shipments}) >= 3


@pytest.mark.django_db(transaction=True)
def test_racing_shipments_never_overbook_a_pickup(postgres_only, merchant_owner):
    orders = _orders(merchant_owner, 6)
    Warehouse.objects.filter(pk=orders[0].warehouse_id).update(daily_parcel_capacity=1)
    results = run_together(*[lambda o=o: create_for_order(order_id=o.pk) for o in orders])
    assert all(kind == "ok" for kind, _ in results), results
    rows = list(Pickup.objects.values_list("planned_parcels", "capacity"))
    assert all(planned <= capacity for planned, capacity in rows)
    assert Shipment.objects.count() == 6 == sum(p for p, _ in rows)
    assert connection.vendor == "postgresql"
