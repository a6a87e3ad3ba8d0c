"""Outbox handlers for orders (registered in config/events.py).

Money: accepting captures the payment, declining or cancelling voids it (or refunds what
was captured). Each talks to the payment provider, so each runs outside any transaction,
and each is idempotent: it looks at the payment's state first and the provider calls carry
idempotency keys. Notices: in-app and e-mail to buyer and merchant, once per event.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.urls import reverse

from tradelane.accounts.notifications import notify, organisation_emails
from tradelane.core.outbox import Event, outside_call
from tradelane.payments import selectors as payment_selectors
from tradelane.payments import services as payments


def _payment(event: Event):
    return payment_selectors.payment_for_reference(f"order:{event.payload['number']}")


@outside_call
def capture_order_payment(event: Event) -> None:
    payment = _payment(event)
    if payment is not None and payment.status == "authorised":
        payments.capture_payment(payment_id=payment.pk)


@outside_call
def release_order_payment(event: Event) -> None:
    """Void an authorisation, or refund what was captured (idempotent by key)."""
    payment = _payment(event)
    if payment is None:
        return
    if payment.status == "authorised":
        payments.void_payment(payment_id=payment.pk)
    elif payment.status in ("captured", "partially_refunded"):
        remaining = payment.refundable
        if remaining.amount > 0:
            payments.refund_payment(
                payment_id=payment.pk,
                amount=remaining,
                reason=f"order {event.payload['number']} {event.payload['status']}",
                idempotency_key=f"order:{event.payload['order_id']}:release",
            )


MESSAGES = {
    "orders.order_placed": (
        "New order {number}: {total} {currency}",
        "Order {number} is placed and paid: {total} {currency}.",
    ),
    "orders.order_accepted": (
        "Order {number} accepted",
        "The merchant accepted order {number}; it will be handed over at the promised pickup.",
    ),
    "orders.order_declined": (
        "Order {number} declined",
        "Order {number} was declined: {reason}. The payment is released.",
    ),
    "orders.order_handed_over": (
        "Order {number} handed over",
        "Order {number} left the merchant's warehouse with the platform's carrier.",
    ),
    "orders.order_delivered": (
        "Order {number} delivered",
        "Order {number} was delivered.",
    ),
    "orders.order_cancelled": (
        "Order {number} cancelled",
        "Order {number} was cancelled by the buyer. {reason}",
    ),
}


def _message(event: Event) -> tuple[str, str]:
    title, body = MESSAGES[event.topic]
    values = {"reason": "", **event.payload}
    return title.format(**values), body.format(**values).strip()


def notify_parties(event: Event) -> None:
    """An in-app notice to the buyer and the merchant; once per event and organisation."""
    title, body = _message(event)
    for side in ("buyer", "merchant"):
        notify(
            organisation_id=event.payload[f"{side}_id"],
            kind=event.topic,
            title=title,
            body=body,
            link=reverse(f"orders:{side}_order", args=[event.payload["order_id"]]),
            dedupe_key=f"{event.topic}:{event.id}",
        )


@outside_call
def email_parties(event: Event) -> None:
    title, body = _message(event)
    for side in ("buyer", "merchant"):
        recipients = organisation_emails(event.payload[f"{side}_id"])
        if recipients:
            link = reverse(f"orders:{side}_order", args=[event.payload["order_id"]])
            send_mail(
                subject=title,
                message=f"{body}\n\nThe order: {link}",
                from_email=None,
                recipient_list=recipients,
            )
