"""Test helpers: a delivered order, photos, a return request of another tenant."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from PIL import Image

from tradelane.accounts.testing import make_actor
from tradelane.orders import services as orders
from tradelane.orders.testing import place_order


def delivered_order(buyer, merchant, *, quantity=10, at: datetime | None = None, sku=None):
    """Place, accept, hand over and deliver an order (what fulfilment does); reuses the
    merchant's test SKU when it exists."""
    from tradelane.catalog.models import Sku

    sku = (
        sku
        or Sku.objects.filter(
            organisation_id=merchant.organisation_id, code=f"SKU-{merchant.organisation_id}"
        ).first()
    )
    order = place_order(buyer, merchant, quantity=quantity, sku=sku)
    orders.accept_order(actor=merchant, order_id=order.pk)
    orders.record_handover(order_id=order.pk)
    return orders.record_delivered(order_id=order.pk, at=at or timezone.now())


def valuable_sku(merchant):
    """A 200 USD item: returning it (7.50 label + 2.50 handling in the US) is cheap against
    its value, so an approval sends it back instead of refunding without a return."""
    from tradelane.catalog.models import Sku
    from tradelane.orders.testing import selling

    code = f"RV-{merchant.organisation_id}"
    sku = Sku.objects.filter(code=code, organisation_id=merchant.organisation_id).first()
    return sku or selling(merchant, code=code, unit_price="200.00", title="Power station")


def approved_return(buyer, merchant, *, quantity=2):
    """Transit damage with a photo, within 7 days of delivery, of a valuable item:
    approved at once, with a reverse parcel."""
    from .services import request_return

    order = delivered_order(buyer, merchant, sku=valuable_sku(merchant), at=timezone.now())
    return request_return(
        actor=buyer,
        order_line_id=order.lines.get().pk,
        quantity=quantity,
        reason="damaged_in_transit",
        photos=[photo()],
    )


def parcel_of(request):
    from .models import ReverseShipment

    return ReverseShipment.objects.select_related("return_point").get(request=request)


def photo(fmt="PNG", size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def make_return(buyer, merchant, *, quantity=1, reason="defective", photos=None, order=None):
    from .services import request_return

    order = order or delivered_order(buyer, merchant)
    return request_return(
        actor=buyer,
        order_line_id=order.lines.first().pk,
        quantity=quantity,
        reason=reason,
        photos=photos or [],
    )


def _parties(victim):
    if victim.kind == "merchant":
        buyer = make_actor("buyer", "owner", email=f"ret-{victim.organisation_id}@buyer.test")
        return buyer, victim
    merchant = make_actor("merchant", "owner", email=f"ret-{victim.organisation_id}@m.test")
    return victim, merchant


def other_return(victim, intruder):
    """A return request of `victim` (as its buyer or merchant) for tenancy tests."""
    buyer, merchant = _parties(victim)
    return make_return(buyer, merchant, photos=[photo()]).pk


def other_evidence(victim, intruder):
    request_id = other_return(victim, intruder)
    from .models import ReturnEvidence

    evidence = ReturnEvidence.objects.get(request_id=request_id)
    return {"return_id": request_id, "evidence_id": evidence.pk}


def other_delivered_order(victim, intruder):
    buyer, merchant = _parties(victim)
    return delivered_order(buyer, merchant).pk


def received_return(buyer, merchant, *, quantity=3, reason="defective", order=None):
    """A return at the market's return point (`received`), moved there directly as reverse
    logistics would (approved → in_transit → received, no reverse parcel); the order's
    payment is captured first (the outbox delivers `orders.order_accepted`)."""
    from django.db import transaction

    from tradelane.core.outbox import relay_pending

    from . import lifecycle
    from .models import ReturnRequest
    from .states import ReturnStatus

    order = order or delivered_order(buyer, merchant)
    relay_pending()
    request = make_return(buyer, merchant, quantity=quantity, reason=reason, order=order)
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().get(pk=request.pk)
        for target in (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT, ReturnStatus.RECEIVED):
            lifecycle.move(locked, target, actor=None, note="test: at the return point")
    return locked
