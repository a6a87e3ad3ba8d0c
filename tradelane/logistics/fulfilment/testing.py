"""Test helpers: an accepted order with its shipment, signed webhook requests."""

from __future__ import annotations

import json
import time

from tradelane.accounts.testing import make_actor
from tradelane.orders.services import accept_order
from tradelane.orders.testing import place_order

from . import conf, signing
from .models import Shipment
from .services import create_for_order


def shipped_order(buyer, merchant, *, quantity=10, scenario="normal", sku=None) -> Shipment:
    """Place and accept an order, and create its shipment (what the outbox handler does)."""
    from tradelane.catalog.models import Sku

    sku = (
        sku
        or Sku.objects.filter(
            organisation_id=merchant.organisation_id,
            code=f"SKU-{merchant.organisation_id}",
        ).first()
    )
    order = place_order(buyer, merchant, quantity=quantity, sku=sku)
    accept_order(actor=merchant, order_id=order.pk)
    return create_for_order(order_id=order.pk, scenario=scenario)


def other_shipment(victim, intruder):
    """A shipment of `victim` (as its buyer or merchant) for tenancy tests."""
    if victim.kind == "merchant":
        buyer = make_actor("buyer", "owner", email=f"ship-{victim.organisation_id}@buyer.test")
        return shipped_order(buyer, victim).pk
    merchant = make_actor("merchant", "owner", email=f"ship-{victim.organisation_id}@m.test")
    return shipped_order(victim, merchant).pk


def signed_post(client, events: list[dict], *, carrier="simulated", timestamp=None, secret=None):
    body = json.dumps({"events": events}).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = secret or conf.carrier_secrets()[carrier]
    return client.post(
        f"/api/v1/carriers/{carrier}/webhook",
        body,
        content_type="application/json",
        HTTP_X_CARRIER_TIMESTAMP=str(timestamp),
        HTTP_X_CARRIER_SIGNATURE=signing.sign(secret, timestamp, body),
    )
