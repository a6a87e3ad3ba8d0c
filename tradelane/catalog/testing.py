"""Test helpers: admitted merchants, complete SKUs, prices and stock."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tradelane.merchants.testing import make_edition, make_warehouse

from . import services


def admit(actor, markets=("US", "DE", "GB"), *, days_ago: int = 1):
    """Make the merchant active in `markets` from `days_ago` (test shortcut for an approved
    application)."""
    from tradelane.merchants.models import Application, MerchantMarket

    edition = make_edition(None, name=f"Catalog edition {actor.organisation_id}", markets=markets)
    application = Application.objects.create(
        organisation_id=actor.organisation_id, edition=edition, status="approved"
    )
    for code in markets:
        MerchantMarket.objects.create(
            organisation_id=actor.organisation_id,
            market_id=code,
            edition=edition,
            application=application,
            active_from=timezone.localdate() - timedelta(days=days_ago),
        )
    return edition


def sku_fields(code="VOLT-65W-EU", **overrides) -> dict:
    fields = {
        "code": code,
        "attributes": {"plug": "EU", "colour": "white"},
        "hs_code": "8504.40.95",
        "origin_country": "CN",
        "net_weight_kg": "0.180",
        "gross_weight_kg": "0.240",
        "length_cm": "12",
        "width_cm": "8",
        "height_cm": "5",
        "units_per_carton": 50,
        "certifications": ["CE", "FCC"],
    }
    fields.update(overrides)
    return fields


def make_product(actor, *, title="65W GaN charger", skus=None, **fields):
    skus = [sku_fields()] if skus is None else skus
    return services.create_product(
        actor=actor,
        title=title,
        description=fields.pop("description", "USB-C fast charger"),
        skus=skus,
        **fields,
    )


def price(actor, sku, market="US", currency="USD", unit_price="10.00", **kwargs):
    return services.set_price(
        actor=actor,
        sku_id=sku.pk,
        market_code=market,
        currency=currency,
        unit_price=unit_price,
        **kwargs,
    )


def stock(actor, sku, warehouse, quantity=100):
    return services.adjust_stock(
        actor=actor, sku_id=sku.pk, warehouse_id=warehouse.pk, delta=quantity, reason="received"
    )


def listed(
    actor,
    *,
    title="65W GaN charger",
    code="VOLT-65W-EU",
    markets=("US",),
    unit_price=None,
    warehouse=None,
    quantity=100,
):
    """A product with one complete SKU priced in `markets` and in stock: visible."""
    product = make_product(actor, title=title, skus=[sku_fields(code)])
    sku = product.skus.get()
    currencies = {"US": "USD", "DE": "EUR", "GB": "GBP", "FR": "EUR", "CA": "CAD", "MX": "MXN"}
    for code_ in markets:
        price(actor, sku, code_, currencies[code_], unit_price or "10.00")
    warehouse = warehouse or make_warehouse(actor, name=f"WH {code}")
    stock(actor, sku, warehouse, quantity)
    return sku
