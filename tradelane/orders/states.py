"""Order lifecycle.

    placed ─► paid ─► accepted ─► awaiting_handover ─► handed_over ─► in_transit ─► delivered ─► completed
      │        │  └─► declined (merchant; payment voided, stock released)
      │        └────► cancelled (buyer, before handover; payment voided or refunded, stock released)
      └─► payment_failed (provider refused; stock released)

Stock is reserved from placement until handover (then shipped) or until the order ends
without shipping (payment_failed, declined, cancelled: released).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAYMENT_FAILED = "payment_failed", _("Payment failed")
    PAID = "paid", _("Paid")
    ACCEPTED = "accepted", _("Accepted")
    AWAITING_HANDOVER = "awaiting_handover", _("Awaiting handover")
    HANDED_OVER = "handed_over", _("Handed over")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


S = OrderStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLACED: frozenset({S.PAID, S.PAYMENT_FAILED}),
    S.PAID: frozenset({S.ACCEPTED, S.DECLINED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.AWAITING_HANDOVER, S.CANCELLED}),
    S.AWAITING_HANDOVER: frozenset({S.HANDED_OVER, S.CANCELLED}),
    S.HANDED_OVER: frozenset({S.IN_TRANSIT}),
    S.IN_TRANSIT: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.PAYMENT_FAILED: frozenset(),
    S.DECLINED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Orders whose lines hold reserved stock (released or shipped when they leave this set).
HOLDS_STOCK = frozenset({S.PLACED, S.PAID, S.ACCEPTED, S.AWAITING_HANDOVER})
# The buyer may cancel before the parcel is handed over.
BUYER_CANCELLABLE = frozenset({S.PAID, S.ACCEPTED, S.AWAITING_HANDOVER})
# The merchant decides on a paid order.
AWAITING_MERCHANT = frozenset({S.PAID})
# The timeline's canonical path, for pages.
PATH = (
    S.PLACED,
    S.PAID,
    S.ACCEPTED,
    S.AWAITING_HANDOVER,
    S.HANDED_OVER,
    S.IN_TRANSIT,
    S.DELIVERED,
    S.COMPLETED,
)
