"""Return request lifecycle.

    requested ─► approved (auto-approval rule, the merchant, or the operator)
        │   ├──► rejected (merchant, with a reason) ─► disputed (buyer) ─► approved | denied (operator)
        │   └──► escalated (the merchant's decision deadline passed) ─► approved | denied (operator)
        └──────► cancelled (buyer withdraws; also from rejected)

A request holds its quantity of the order line (the line's returnable quantity drops)
from creation until it ends without a return: `denied` or `cancelled` give it back.
Reverse shipments, inspection and refunds follow `approved` in later slices.
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


S = ReturnStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.REJECTED, S.ESCALATED, S.CANCELLED}),
    S.REJECTED: frozenset({S.DISPUTED, S.CANCELLED}),
    S.DISPUTED: frozenset({S.APPROVED, S.DENIED}),
    S.ESCALATED: frozenset({S.APPROVED, S.DENIED}),
    S.APPROVED: frozenset(),
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
PATH = (S.REQUESTED, S.APPROVED)


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
