"""Outbox handlers (registered in config/events.py).

- `orders.order_accepted` → create the shipment (idempotent: one per order).
- `orders.order_cancelled` → cancel a shipment not yet handed over.
- `fulfilment.shipment_lost` / `fulfilment.shipment_returned` → refund what is left of the
  captured payment; `fulfilment.late_delivery_credited` → refund the credit. Both talk to
  the payment provider: outside any transaction, idempotent by their refund keys.
- notices to buyer and merchant for handover, exceptions, delivery and credit.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from tradelane.accounts.notifications import notify
from tradelane.core.money import Money
from tradelane.core.outbox import Event, outside_call
from tradelane.payments import selectors as payment_selectors
from tradelane.payments import services as payments

from . import services


def create_shipment(event: Event) -> None:
    services.create_for_order(order_id=event.payload["order_id"])


def cancel_shipment(event: Event) -> None:
    services.cancel_for_order(order_id=event.payload["order_id"])


def _payment(event: Event):
    return payment_selectors.payment_for_reference(f"order:{event.payload['number']}")


def _left(payment) -> Decimal:
    return payment.captured_amount - payment.refunded_amount


@outside_call
def refund_undelivered(event: Event) -> None:
    """Lost or returned to sender: the buyer gets back what is left of the payment."""
    payment = _payment(event)
    if payment is None or payment.status not in ("captured", "partially_refunded"):
        return
    left = _left(payment)
    if left > 0:
        payments.refund_payment(
            payment_id=payment.pk,
            amount=Money(left, payment.currency),
            reason=f"shipment {event.payload['tracking_number']} {event.payload['status']}",
            idempotency_key=f"shipment:{event.payload['shipment_id']}:undelivered",
        )


@outside_call
def refund_late_credit(event: Event) -> None:
    payment = _payment(event)
    if payment is None or payment.status not in ("captured", "partially_refunded"):
        return
    amount = min(Decimal(event.payload["amount"]), _left(payment))
    if amount > 0:
        payments.refund_payment(
            payment_id=payment.pk,
            amount=Money(amount, event.payload["currency"]),
            reason=f"late delivery credit, order {event.payload['number']}",
            idempotency_key=f"shipment:{event.payload['shipment_id']}:late-credit",
        )


TITLES = {
    "fulfilment.shipment_handed_over": "Order {number}: parcel {tracking_number} handed over",
    "fulfilment.shipment_exception": "Order {number}: delivery exception ({status})",
    "fulfilment.shipment_lost": "Order {number}: parcel lost, the buyer is refunded",
    "fulfilment.shipment_returned": "Order {number}: parcel returned to sender",
    "fulfilment.late_delivery_credited": "Order {number}: late delivery credit {amount} {currency}",
}


def notify_parties(event: Event) -> None:
    title = TITLES[event.topic].format(**{"tracking_number": "", "status": "", **event.payload})
    for side in ("buyer", "merchant"):
        notify(
            organisation_id=event.payload[f"{side}_id"],
            kind=event.topic,
            title=title,
            body=title,
            link=reverse(f"orders:{side}_order", args=[event.payload["order_id"]]),
            dedupe_key=f"{event.topic}:{event.id}",
        )
