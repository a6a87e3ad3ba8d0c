"""Return request lifecycle.

    requested ─► approved (auto-approval rule, the merchant, or the operator)
        │   ├──► rejected (merchant, with a reason) ─► disputed (buyer) ─► approved | denied (operator)
        │   └──► escalated (the merchant's decision deadline passed) ─► approved | denied (operator)
        └──────► cancelled (buyer withdraws; also from rejected)

    approved ─► in_transit (the reverse parcel's first scan: pickup or drop-off)
             ─► received (at the platform return point of the market)
             ─► inspected (graded; a disposition proposed with the cost of each option)
             ─► completed (the operator confirmed the disposition; the refund is issued)
    approved ─► completed (returnless refund: returning would cost more than it is worth)

A request holds its quantity of the order line (the line's returnable quantity drops)
from creation until it ends without a return: `denied` or `cancelled` give it back.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected by the merchant")
    DISPUTED = "disputed", _("Disputed")
    ESCALATED = "escalated", _("Escalated to the platform")
    DENIED = "denied", _("Denied")
    CANCELLED = "cancelled", _("Cancelled")
    IN_TRANSIT = "in_transit", _("On its way back")
    RECEIVED = "received", _("At the return point")
    INSPECTED = "inspected", _("Inspected")
    COMPLETED = "completed", _("Completed")


S = ReturnStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.REJECTED, S.ESCALATED, S.CANCELLED}),
    S.REJECTED: frozenset({S.DISPUTED, S.CANCELLED}),
    S.DISPUTED: frozenset({S.APPROVED, S.DENIED}),
    S.ESCALATED: frozenset({S.APPROVED, S.DENIED}),
    S.APPROVED: frozenset({S.IN_TRANSIT, S.COMPLETED}),
    S.IN_TRANSIT: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.INSPECTED}),
    S.INSPECTED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.DENIED: frozenset(),
    S.CANCELLED: frozenset(),
}

# Statuses that give the quantity back to the line.
RELEASES_QUANTITY = frozenset({S.DENIED, S.CANCELLED})
# The merchant decides these.
AWAITING_MERCHANT = frozenset({S.REQUESTED})
# The operator queue.
OPERATOR_QUEUE = frozenset({S.DISPUTED, S.ESCALATED})
# The buyer may withdraw these.
BUYER_CANCELLABLE = frozenset({S.REQUESTED, S.REJECTED})
# The timeline's canonical path, for pages.
PATH = (S.REQUESTED, S.APPROVED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED, S.COMPLETED)


class Reason(models.TextChoices):
    DEFECTIVE = "defective", _("Defective")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Damaged in transit")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    WRONG_ITEM = "wrong_item", _("Wrong item")
    MISSING_ITEM = "missing_item", _("Missing item or parts")
    CHANGED_MIND = "changed_mind", _("Changed mind")


# Covered by every policy (B2B default: the merchant or the carrier is at fault).
B2B_REASONS = (
    Reason.DEFECTIVE,
    Reason.DAMAGED_IN_TRANSIT,
    Reason.NOT_AS_DESCRIBED,
    Reason.WRONG_ITEM,
    Reason.MISSING_ITEM,
)


class Grade(models.TextChoices):
    """The operator's grade of a returned item at the return point."""

    AS_NEW = "as_new", _("As new")
    OPENED = "opened", _("Opened")
    DAMAGED = "damaged", _("Damaged")
    DEFECTIVE = "defective", _("Defective")


class Disposition(models.TextChoices):
    RETURN_TO_MERCHANT = "return_to_merchant", _("Return to the merchant (consolidated)")
    RESELL_LOCALLY = "resell_locally", _("Resell locally")
    LIQUIDATE = "liquidate", _("Liquidate")
    DISPOSE = "dispose", _("Dispose")
    RETURNLESS = "returnless", _("Returnless refund (the buyer keeps it)")


class Party(models.TextChoices):
    """Who bears a cost of a return, recorded for settlement."""

    MERCHANT = "merchant", _("Merchant")
    BUYER = "buyer", _("Buyer")
    PLATFORM = "platform", _("Platform")
    CARRIER = "carrier", _("Carrier (claim)")


# Default cost bearer per reason (cross-border-facts §6.2).
BEARER = {
    Reason.DEFECTIVE: Party.MERCHANT,
    Reason.NOT_AS_DESCRIBED: Party.MERCHANT,
    Reason.WRONG_ITEM: Party.MERCHANT,
    Reason.MISSING_ITEM: Party.MERCHANT,
    Reason.DAMAGED_IN_TRANSIT: Party.CARRIER,
    Reason.CHANGED_MIND: Party.BUYER,
}


class ReverseStatus(models.TextChoices):
    """A reverse parcel, domestic: the buyer's address to the market's return point."""

    CREATED = "created", _("Label created")
    PICKED_UP = "picked_up", _("Picked up")
    DROPPED_OFF = "dropped_off", _("Dropped off")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived at the return point")


R = ReverseStatus
REVERSE_TRANSITIONS: dict[str, frozenset[str]] = {
    R.CREATED: frozenset({R.PICKED_UP, R.DROPPED_OFF}),
    R.PICKED_UP: frozenset({R.IN_TRANSIT}),
    R.DROPPED_OFF: frozenset({R.IN_TRANSIT}),
    R.IN_TRANSIT: frozenset({R.ARRIVED}),
    R.ARRIVED: frozenset(),
}
