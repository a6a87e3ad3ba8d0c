"""Outbox handlers for the catalog (registered in config/events.py)."""

from tradelane.core.outbox import Event

from . import listings


def refresh_merchant_availability(event: Event) -> None:
    """A warehouse was saved (perhaps activated or deactivated): recompute the in-stock
    flag of the merchant's storefront listings. One UPDATE; idempotent."""
    listings.refresh_availability(organisation_id=event.payload["organisation_id"])
