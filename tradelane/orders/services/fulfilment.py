"""The order follows its shipment (called by `logistics` fulfilment services, inside their
transaction): handover at the merchant's warehouse, in transit, delivered, completed.

Each locks the order and is idempotent: asking for the state the order is already in
changes nothing and returns it, so duplicate carrier events are harmless. A step the
table does not allow (e.g. delivered before handed over) raises InvalidTransition.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tradelane.catalog.services.reservations import ship_stock
from tradelane.core.errors import NotFound
from tradelane.core.outbox import record_event
from tradelane.core.states import transition

from ..models import Order, OrderStatusChange
from ..states import TRANSITIONS, OrderStatus
from .checkout import _event_payload, stock_lines


def _locked(order_id: int) -> Order:
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        raise NotFound("No such order.", field="order_id")
    return order


def _advance(order: Order, target: str, *, note: str = "", fields: tuple = ()) -> bool:
    if order.status == target:
        return False
    order.updated_at = timezone.now()
    transition(
        order,
        target,
        table=TRANSITIONS,
        history=OrderStatusChange,
        note=note,
        extra_update_fields=("updated_at", *fields),
    )
    return True


@transaction.atomic
def await_handover(*, order_id: int) -> Order:
    """accepted → awaiting_handover (the shipment and its label exist)."""
    order = _locked(order_id)
    _advance(order, OrderStatus.AWAITING_HANDOVER)
    return order


@transaction.atomic
def record_handover(*, order_id: int, at: datetime | None = None, note: str = "") -> Order:
    """The parcel left the merchant's warehouse: the reserved stock ships (on-hand and
    reserved both drop). From accepted or awaiting_handover."""
    order = _locked(order_id)
    if order.status == OrderStatus.HANDED_OVER:
        return order
    if order.status == OrderStatus.ACCEPTED:
        _advance(order, OrderStatus.AWAITING_HANDOVER)
    order.handed_over_at = at or timezone.now()
    _advance(order, OrderStatus.HANDED_OVER, note=note, fields=("handed_over_at",))
    ship_stock(lines=stock_lines(order), reference=f"order:{order.number}")
    record_event("orders.order_handed_over", _event_payload(order))
    return order


@transaction.atomic
def record_in_transit(*, order_id: int) -> Order:
    order = _locked(order_id)
    if order.status in (OrderStatus.IN_TRANSIT, OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        return order
    _advance(order, OrderStatus.IN_TRANSIT)
    return order


@transaction.atomic
def record_delivered(*, order_id: int, at: datetime | None = None) -> Order:
    """Delivered at the buyer's door (from in_transit; handed_over passes through
    in_transit so no step is skipped). Emits `orders.order_delivered`."""
    order = _locked(order_id)
    if order.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED):
        return order
    if order.status == OrderStatus.HANDED_OVER:
        _advance(order, OrderStatus.IN_TRANSIT)
    order.delivered_at = at or timezone.now()
    _advance(order, OrderStatus.DELIVERED, fields=("delivered_at",))
    record_event("orders.order_delivered", _event_payload(order))
    return order


@transaction.atomic
def complete_order(*, order_id: int) -> Order:
    order = _locked(order_id)
    _advance(order, OrderStatus.COMPLETED)
    return order
