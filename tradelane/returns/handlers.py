"""Outbox handlers for returns (registered in config/events.py).

- `returns.return_completed` → issue the refund (payments `refund_payment`, outside any
  transaction, idempotency key `return:<id>`: a redelivered event refunds once), then tell
  the buyer and the merchant.
- `returns.refund_failed` → tell the buyer the refund is delayed (operators see the reason
  and retry it on the inspection pages).
- every step of a request (requested, approved, rejected, disputed, escalated, decided,
  cancelled, on its way back, received) → an in-app notice to the buyer and the merchant.
"""

from __future__ import annotations

from django.urls import reverse

from tradelane.accounts.notifications import notify
from tradelane.core.outbox import Event, outside_call

from . import settlement

LINKS = {"buyer": "returns:buyer_return", "merchant": "returns:merchant_return"}


@outside_call
def issue_refund(event: Event) -> None:
    settlement.issue_refund(return_id=event.payload["return_id"])


TITLES = {
    "returns.return_requested": "Return {number} requested: the merchant decides",
    "returns.return_approved": "Return {number} approved: print the return label",
    "returns.return_rejected": "Return {number} rejected by the merchant",
    "returns.return_disputed": "Return {number} disputed: the platform reviews it",
    "returns.return_escalated": "Return {number} escalated to the platform",
    "returns.return_denied": "Return {number} denied by the platform",
    "returns.return_cancelled": "Return {number} withdrawn by the buyer",
    "returns.return_in_transit": "Return {number} is on its way to the return point",
    "returns.return_received": "Return {number} arrived at the return point",
    "returns.return_completed": "Return {number} completed: refund {refund_total} {currency}",
    "returns.refund_failed": "Return {number}: the refund is delayed",
}


def notify_parties(event: Event) -> None:
    """An in-app notice per party, once per event and organisation."""
    payload = dict(event.payload)
    if "number" not in payload:  # refund events carry the return id only
        from .models import ReturnRequest

        request = ReturnRequest.objects.get(pk=payload["return_id"])
        payload.update(number=request.number, buyer_id=request.buyer_id)
        sides = ("buyer",)
    else:
        sides = ("buyer", "merchant")
    title = TITLES[event.topic].format(**payload)
    for side in sides:
        notify(
            organisation_id=payload[f"{side}_id"],
            kind=event.topic,
            title=title,
            body=title,
            link=reverse(LINKS[side], args=[payload["return_id"]]),
            dedupe_key=f"{event.topic}:{event.id}",
        )
