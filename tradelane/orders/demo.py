"""Demo orders: a US buyer's two-merchant checkout (one order accepted by its merchant) and
a German buyer's B2B order with a VAT id. Placed through checkout like a real buyer, so
stock is reserved and payments go through the test provider. Skipped once orders exist."""

from __future__ import annotations

from tradelane.accounts.models import User
from tradelane.accounts.selectors import actor_for
from tradelane.catalog.models import Sku

from .models import Order
from .pricing import LineRequest
from .services import CheckoutRequest, accept_order, place_checkout

ADDRESSES = {
    "US": {
        "recipient": "Jane Buyer",
        "company": "Acme Supply",
        "street_address": "1600 Amphitheatre Pkwy",
        "city": "Mountain View",
        "country_area": "CA",
        "postal_code": "94043",
    },
    "DE": {
        "recipient": "Max Muster",
        "company": "Berlin Handel GmbH",
        "street_address": "Unter den Linden 1",
        "city": "Berlin",
        "postal_code": "10117",
    },
}

ORDERS = [
    ("buyer@acme-supply.example", "US", "", [("SV-GAN65-US", 120), ("GT-TEE-L", 200)]),
    ("einkauf@berlin-handel.example", "DE", "DE136695976", [("YL-LUNCH-12", 60)]),
]


def seed() -> int:
    if Order.objects.exists():
        return 0
    placed = 0
    for email, market, tax_id, lines in ORDERS:
        user = User.objects.filter(email=email).first()
        skus = dict(Sku.objects.filter(code__in=[c for c, _ in lines]).values_list("code", "pk"))
        if user is None or len(skus) != len(lines):
            continue
        checkout = place_checkout(
            actor=actor_for(user),
            request=CheckoutRequest(
                market=market,
                shipping_address=dict(ADDRESSES[market]),
                payment_method="test_ok",
                buyer_tax_id=tax_id,
                po_number=f"PO-DEMO-{placed + 1}",
                lines=[LineRequest(skus[code], quantity) for code, quantity in lines],
            ),
        )
        placed += len(checkout._orders)
    first = Order.objects.order_by("id").select_related("merchant").first()
    if first is not None:
        owner = User.objects.filter(
            memberships__organisation=first.merchant, memberships__role="owner"
        ).first()
        if owner is not None:
            accept_order(actor=actor_for(owner, first.merchant_id), order_id=first.pk)
    return placed
