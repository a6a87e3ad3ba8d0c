"""After placement: the merchant accepts or declines, the buyer cancels, the merchant
marks the parcel ready for handover.

Each is one transaction that locks the order, checks the transition under the lock, writes
the status with its history row and records an event. Money moves after commit, through the
outbox: `orders.order_accepted` captures the payment, `orders.order_declined` and
`orders.order_cancelled` void it (or refund it if it was captured) — never inside a lock,
retried by the relay until done, idempotent.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tradelane.catalog.services.reservations import release_stock
from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.outbox import record_event
from tradelane.core.states import transition

from ..models import Order, OrderStatusChange
from ..states import AWAITING_MERCHANT, BUYER_CANCELLABLE, TRANSITIONS, OrderStatus
from .checkout import _event_payload, stock_lines


def _locked(actor: Actor, order_id: int, side: str) -> Order:
    if actor is None or actor.kind != side:
        raise NotFound("No such order.", field="order_id")
    scope = {"merchant_id" if side == "merchant" else "buyer_id": actor.organisation_id}
    order = Order.objects.select_for_update().filter(pk=order_id, **scope).first()
    if order is None:
        raise NotFound("No such order.", field="order_id")
    return order


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise InvalidInput("Say why, for the other side.", field="reason")
    if len(reason) > 500:
        raise InvalidInput("At most 500 characters.", field="reason")
    return reason


def _move(order: Order, target: str, actor: Actor, note: str = "") -> None:
    order.updated_at = timezone.now()
    if note:
        order.status_reason = note
    transition(
        order,
        target,
        table=TRANSITIONS,
        history=OrderStatusChange,
        actor=actor,
        note=note,
        extra_update_fields=("updated_at", "status_reason"),
    )


@transaction.atomic
def accept_order(*, actor: Actor, order_id: int) -> Order:
    """The merchant accepts a paid order. Emits `orders.order_accepted` (captures payment)."""
    order = _locked(actor, order_id, "merchant")
    _move(order, OrderStatus.ACCEPTED, actor)
    record_event("orders.order_accepted", _event_payload(order))
    return order


@transaction.atomic
def decline_order(*, actor: Actor, order_id: int, reason: str) -> Order:
    """The merchant declines a paid order (reason required): stock released, payment voided
    after commit. Emits `orders.order_declined`."""
    order = _locked(actor, order_id, "merchant")
    reason = _reason(reason, required=True)
    if order.status not in AWAITING_MERCHANT:
        raise InvalidTransition(
            f"Only a paid order awaiting your decision can be declined (it is {order.status}).",
            field="status",
        )
    _move(order, OrderStatus.DECLINED, actor, reason)
    release_stock(lines=stock_lines(order), reference=f"order:{order.number}")
    record_event("orders.order_declined", {**_event_payload(order), "reason": reason})
    record_audit(actor=actor, action="orders.declined", target=order, summary=reason)
    return order


@transaction.atomic
def cancel_order(*, actor: Actor, order_id: int, reason: str = "") -> Order:
    """The buyer cancels before handover: stock released, payment voided or refunded after
    commit. Emits `orders.order_cancelled`."""
    order = _locked(actor, order_id, "buyer")
    reason = _reason(reason, required=False)
    if order.status not in BUYER_CANCELLABLE:
        raise InvalidTransition(
            f"This order can no longer be cancelled (it is {order.get_status_display()}).",
            field="status",
        )
    _move(order, OrderStatus.CANCELLED, actor, reason)
    release_stock(lines=stock_lines(order), reference=f"order:{order.number}")
    record_event("orders.order_cancelled", {**_event_payload(order), "reason": reason})
    record_audit(actor=actor, action="orders.cancelled", target=order, summary=reason)
    return order


@transaction.atomic
def mark_ready(*, actor: Actor, order_id: int) -> Order:
    """The merchant has packed an accepted order: it waits for the pickup at the warehouse."""
    order = _locked(actor, order_id, "merchant")
    if order.status != OrderStatus.AWAITING_HANDOVER:  # the shipment may have moved it
        _move(order, OrderStatus.AWAITING_HANDOVER, actor)
    return order
