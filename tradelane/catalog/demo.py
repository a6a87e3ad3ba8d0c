"""Demo catalog: a few products per demo merchant, priced in the six launch markets with
price breaks, and stock in the merchant's own warehouse. Safe to rerun: a merchant's
product that exists (same title) is left as it is. Goes through the catalog's services, so
the storefront read model and the history are what a merchant's own edits would make."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tradelane.accounts.models import User
from tradelane.accounts.selectors import actor_for
from tradelane.markets.models import Market
from tradelane.merchants import selectors as merchants

from . import services
from .models import Product

# Rough list-price multipliers from a USD base, for demo prices in each launch currency.
FROM_USD = {"USD": "1", "CAD": "1.38", "MXN": "18.50", "GBP": "0.79", "EUR": "0.92"}
MARKETS = ("US", "CA", "MX", "GB", "DE", "FR")


def _sku(code, hs, attributes, net, gross, dims, per_carton, **flags) -> dict:
    length, width, height = dims
    return {
        "code": code,
        "attributes": attributes,
        "hs_code": hs,
        "origin_country": "CN",
        "net_weight_kg": net,
        "gross_weight_kg": gross,
        "length_cm": length,
        "width_cm": width,
        "height_cm": height,
        "units_per_carton": per_carton,
        "certifications": ["CE", "UKCA", "FCC"],
        **flags,
    }


CATALOG = {
    "owner@shenzhen-volt.example": [
        (
            "65W GaN USB-C charger",
            "Three-port fast charger for laptops and phones. Foldable plug.",
            "7.90",
            [
                _sku(
                    "SV-GAN65-EU", "8504.40.95", {"plug": "EU"}, "0.12", "0.18", ("9", "7", "4"), 60
                ),
                _sku(
                    "SV-GAN65-US", "8504.40.95", {"plug": "US"}, "0.12", "0.18", ("9", "7", "4"), 60
                ),
            ],
        ),
        (
            "Braided USB-C cable 2 m",
            "100 W, e-marked, 2 metres, nylon braid.",
            "1.60",
            [
                _sku(
                    "SV-CABLE-2M",
                    "8544.42.90",
                    {"length": "2 m"},
                    "0.06",
                    "0.08",
                    ("12", "8", "2"),
                    200,
                )
            ],
        ),
        (
            "Smart Wi-Fi plug",
            "16 A smart plug with energy metering; works with the major voice assistants.",
            "5.40",
            [_sku("SV-PLUG-EU", "8536.69.90", {"plug": "EU"}, "0.09", "0.13", ("8", "6", "6"), 80)],
        ),
    ],
    "owner@yiwu-living.example": [
        (
            "Stainless steel lunch box",
            "Three compartments, leak-proof lid, 1.2 litres.",
            "4.30",
            [
                _sku(
                    "YL-LUNCH-12",
                    "7323.93.00",
                    {"size": "1.2 l"},
                    "0.38",
                    "0.45",
                    ("20", "14", "8"),
                    24,
                )
            ],
        ),
        (
            "Bamboo storage boxes (set of 3)",
            "Stackable bamboo boxes with lids for pantries and desks.",
            "6.10",
            [
                _sku(
                    "YL-BAMBOO-3",
                    "4420.90.99",
                    {"set": "3"},
                    "0.90",
                    "1.10",
                    ("30", "22", "12"),
                    10,
                )
            ],
        ),
    ],
    "owner@guangzhou-threads.example": [
        (
            "Cotton work T-shirt",
            "180 g/m² combed cotton, reinforced seams, for uniforms and merchandise.",
            "2.20",
            [
                _sku(
                    "GT-TEE-M",
                    "6109.10.00",
                    {"size": "M", "colour": "navy"},
                    "0.18",
                    "0.20",
                    ("25", "20", "2"),
                    50,
                ),
                _sku(
                    "GT-TEE-L",
                    "6109.10.00",
                    {"size": "L", "colour": "navy"},
                    "0.19",
                    "0.21",
                    ("25", "20", "2"),
                    50,
                ),
            ],
        ),
    ],
}


def _price(usd: str, currency: str) -> Decimal:
    return (Decimal(usd) * Decimal(FROM_USD[currency])).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def seed() -> int:
    """Create the demo products that are missing; returns how many were created."""
    created = 0
    currencies = dict(Market.objects.filter(pk__in=MARKETS).values_list("code", "currency"))
    for email, products in CATALOG.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        actor = actor_for(user)
        warehouse = merchants.list_pickup_warehouses(actor.organisation_id).first()
        for title, description, usd, skus in products:
            if Product.objects.filter(organisation_id=actor.organisation_id, title=title).exists():
                continue
            product = services.create_product(
                actor=actor, title=title, description=description, skus=skus
            )
            created += 1
            for sku in product.skus.all():
                for market in MARKETS:
                    currency = currencies[market]
                    unit = _price(usd, currency)
                    services.set_price(
                        actor=actor,
                        sku_id=sku.pk,
                        market_code=market,
                        currency=currency,
                        unit_price=unit,
                        breaks=[
                            {
                                "min_quantity": 100,
                                "unit_price": str((unit * Decimal("0.92")).quantize(unit)),
                            },
                            {
                                "min_quantity": 500,
                                "unit_price": str((unit * Decimal("0.85")).quantize(unit)),
                            },
                        ],
                        moq=10,
                        increment=10,
                        source="demo",
                    )
                if warehouse is not None:
                    services.adjust_stock(
                        actor=actor,
                        sku_id=sku.pk,
                        warehouse_id=warehouse.pk,
                        delta=2000,
                        reason="received",
                    )
    return created
