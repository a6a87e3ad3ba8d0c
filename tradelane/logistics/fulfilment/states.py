"""Shipment lifecycle: the canonical milestones, exceptions and what may follow what.

    created ─► picked_up ─► at_origin_hub ─► export_cleared ─► departed ─► arrived_destination
            ─► import_cleared ─► out_for_delivery ─► delivered
    (any in-network step) ─► customs_hold | address_problem | damaged ─► (resume) | returning ─► returned
    (any in-network step or exception) ─► lost
    created ─► cancelled (order cancelled before handover)

`picked_up` is the handover: the merchant's scan or the carrier's first scan. A shipment
keeps `position`, the rank of the last canonical milestone it reached: carrier events at or
below it are history only (a duplicate or late event never moves it back), an event more
than one step ahead waits until the steps in between arrive (nothing is skipped).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Label created")
    PICKED_UP = "picked_up", _("Picked up")
    AT_ORIGIN_HUB = "at_origin_hub", _("Arrived at origin hub")
    EXPORT_CLEARED = "export_cleared", _("Export cleared")
    DEPARTED = "departed", _("Departed")
    ARRIVED_DESTINATION = "arrived_destination", _("Arrived in destination")
    IMPORT_CLEARED = "import_cleared", _("Import cleared")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    CUSTOMS_HOLD = "customs_hold", _("Customs hold")
    ADDRESS_PROBLEM = "address_problem", _("Address problem")
    DAMAGED = "damaged", _("Damaged")
    LOST = "lost", _("Lost")
    RETURNING = "returning", _("Returning to sender")
    RETURNED = "returned", _("Returned to sender")
    CANCELLED = "cancelled", _("Cancelled")


S = ShipmentStatus
CANONICAL: tuple[str, ...] = (
    S.CREATED,
    S.PICKED_UP,
    S.AT_ORIGIN_HUB,
    S.EXPORT_CLEARED,
    S.DEPARTED,
    S.ARRIVED_DESTINATION,
    S.IMPORT_CLEARED,
    S.OUT_FOR_DELIVERY,
    S.DELIVERED,
)
RANK = {status: index for index, status in enumerate(CANONICAL)}
EXCEPTIONS = frozenset({S.CUSTOMS_HOLD, S.ADDRESS_PROBLEM, S.DAMAGED})
TERMINAL = frozenset({S.DELIVERED, S.LOST, S.RETURNED, S.CANCELLED})
IN_NETWORK = frozenset(CANONICAL[1:-1])
# where each exception may happen
EXCEPTION_AT = {
    S.CUSTOMS_HOLD: frozenset({S.AT_ORIGIN_HUB, S.ARRIVED_DESTINATION}),
    S.ADDRESS_PROBLEM: frozenset({S.IMPORT_CLEARED, S.OUT_FOR_DELIVERY}),
    S.DAMAGED: IN_NETWORK,
}


def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {status: set() for status in S.values}
    for current, following in zip(CANONICAL, CANONICAL[1:], strict=False):
        table[current].add(following)
    table[S.CREATED].add(S.CANCELLED)
    for exception, places in EXCEPTION_AT.items():
        for place in places:
            table[place].add(exception)
    for status in IN_NETWORK:
        table[status].add(S.LOST)
    for exception in EXCEPTIONS:
        # resume at the milestone it stopped at, the next one, or give up
        table[exception] |= set(CANONICAL[1:]) | {S.RETURNING, S.LOST}
    table[S.RETURNING] |= {S.RETURNED, S.LOST}
    return {status: frozenset(targets) for status, targets in table.items()}


TRANSITIONS: dict[str, frozenset[str]] = _table()

# Operators work these.
NEEDS_ATTENTION = EXCEPTIONS | {S.RETURNING}
# Shipments the simulated network and the promise monitor still move.
ACTIVE = frozenset(S.values) - TERMINAL


def is_canonical(status: str) -> bool:
    return status in RANK
