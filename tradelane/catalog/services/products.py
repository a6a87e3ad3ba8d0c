"""Products and SKUs (with their trade data)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import Conflict, InvalidInput, NotFound

from .. import listings, tradedata
from ..models import Category, Product, Readiness, Sku

PRODUCT_TEXT = (
    "title",
    "title_es",
    "title_fr",
    "title_de",
    "description",
    "description_es",
    "description_fr",
    "description_de",
)
SKU_FIELDS = (
    "code",
    "attributes",
    "hs_code",
    "origin_country",
    *tradedata.MEASURES,
    "units_per_carton",
    "has_battery",
    "has_liquid",
    "has_magnet",
    "certifications",
    "readiness",
    "lead_days",
)


def _clean_product(fields: dict) -> dict:
    out = {}
    for key in PRODUCT_TEXT:
        if key in fields:
            limit = 200 if key.startswith("title") else 20000
            out[key] = (fields[key] or "").strip()[:limit]
    if "title" in out and not out["title"]:
        raise InvalidInput("An English title is required.", field="title", code="required")
    if "category_id" in fields:
        category_id = fields["category_id"]
        if category_id is not None and not Category.objects.filter(pk=category_id).exists():
            raise InvalidInput("Unknown category.", field="category_id", code="unknown_category")
        out["category_id"] = category_id
    if "is_active" in fields:
        out["is_active"] = bool(fields["is_active"])
    return out


def _merchant(actor: Actor) -> int:
    if actor is None or actor.kind != "merchant":
        raise NotFound("Not found.")
    return actor.organisation_id


def lock_product(actor: Actor, product_id: int) -> Product:
    product = (
        Product.objects.select_for_update()
        .filter(pk=product_id, organisation_id=_merchant(actor))
        .first()
    )
    if product is None:
        raise NotFound("No such product.", field="product_id")
    return product


def search_text_of(product: Product, sku: Sku) -> str:
    parts = [getattr(product, key) for key in PRODUCT_TEXT]
    parts += [f"{k} {v}" for k, v in (sku.attributes or {}).items()]
    parts.append(sku.code)
    return " ".join(p for p in parts if p).lower()


def _refresh_search_text(product: Product) -> None:
    for sku in product.skus.order_by("pk"):
        Sku.objects.filter(pk=sku.pk).update(search_text=search_text_of(product, sku))


@transaction.atomic
def create_product(*, actor: Actor, skus: list[dict] | None = None, **fields) -> Product:
    """Create a product (and optionally its SKUs). Raises InvalidInput naming the field."""
    data = _clean_product({"title": "", **fields})
    product = Product.objects.create(organisation_id=_merchant(actor), **data)
    for index, sku_fields in enumerate(skus or ()):
        try:
            _create_sku(product, sku_fields)
        except InvalidInput as error:
            error.field = f"skus[{index}].{error.field}" if error.field else f"skus[{index}]"
            raise
    return product


@transaction.atomic
def update_product(*, actor: Actor, product_id: int, **fields) -> Product:
    """Locks the product; rewrites its SKUs' search text when the text changed, and their
    storefront listings."""
    product = lock_product(actor, product_id)
    data = _clean_product(fields)
    for key, value in data.items():
        setattr(product, key, value)
    product.updated_at = timezone.now()
    product.save()
    if set(data) & set(PRODUCT_TEXT):
        _refresh_search_text(product)
    listings.refresh_product(product_id=product.pk)
    return product


def _clean_sku(fields: dict, *, current: Sku | None = None) -> dict:
    out = {}
    if "code" in fields:
        code = (fields["code"] or "").strip()
        if not code or len(code) > 64 or not code.isprintable():
            raise InvalidInput("A SKU code is 1 to 64 printable characters.", field="code")
        out["code"] = code
    if "attributes" in fields:
        out["attributes"] = tradedata.normalize_attributes(fields["attributes"])
    if "hs_code" in fields:
        out["hs_code"] = tradedata.normalize_hs_code(fields["hs_code"])
    if "origin_country" in fields:
        out["origin_country"] = tradedata.normalize_country(fields["origin_country"])
    for key in tradedata.MEASURES:
        if key in fields:
            out[key] = tradedata.normalize_measure(fields[key], field=key)
    if "units_per_carton" in fields:
        units = fields["units_per_carton"]
        if units is not None and (not isinstance(units, int) or not 1 <= units <= 1_000_000):
            raise InvalidInput("Units per carton: 1 to 1,000,000.", field="units_per_carton")
        out["units_per_carton"] = units
    for key in ("has_battery", "has_liquid", "has_magnet"):
        if key in fields:
            out[key] = bool(fields[key])
    if "certifications" in fields:
        out["certifications"] = tradedata.normalize_certifications(fields["certifications"])
    readiness = fields.get("readiness", current.readiness if current else Readiness.READY)
    lead_days = fields.get("lead_days", current.lead_days if current else None)
    if readiness not in Readiness.values:
        raise InvalidInput("Readiness is ready or near_ready.", field="readiness")
    if readiness == Readiness.NEAR_READY:
        if not isinstance(lead_days, int) or not 1 <= lead_days <= 90:
            raise InvalidInput(
                "Near-ready stock needs a lead time of 1 to 90 days.",
                field="lead_days",
                code="lead_days_required",
            )
    else:
        lead_days = None
    if "readiness" in fields or "lead_days" in fields or current is None:
        out["readiness"], out["lead_days"] = readiness, lead_days
    weights = (
        out.get("net_weight_kg", current and current.net_weight_kg),
        out.get("gross_weight_kg", current and current.gross_weight_kg),
    )
    if all(w is not None for w in weights) and weights[0] > weights[1]:
        raise InvalidInput(
            "Net weight cannot exceed gross weight.",
            field="net_weight_kg",
            code="net_exceeds_gross",
        )
    return out


def _save_sku(sku: Sku, product: Product) -> Sku:
    sku.trade_data_complete = not tradedata.missing_trade_fields(sku)
    sku.search_text = search_text_of(product, sku)
    sku.updated_at = timezone.now()
    try:
        with transaction.atomic():
            sku.save()
    except IntegrityError:
        raise Conflict(
            f"You already have a SKU with code {sku.code!r}.", field="code", code="duplicate_sku"
        ) from None
    return sku


def _create_sku(product: Product, fields: dict) -> Sku:
    if not (fields.get("code") or "").strip():
        raise InvalidInput("A SKU code is required.", field="code", code="required")
    data = _clean_sku(fields)
    sku = Sku(organisation_id=product.organisation_id, product=product, **data)
    return _save_sku(sku, product)


@transaction.atomic
def create_sku(*, actor: Actor, product_id: int, **fields) -> Sku:
    """Add a SKU to one of the merchant's products (locks the product)."""
    product = lock_product(actor, product_id)
    return _create_sku(product, fields)


@transaction.atomic
def update_sku(*, actor: Actor, sku_id: int, **fields) -> Sku:
    """Edit a SKU's attributes, trade data or readiness (locks the SKU); refreshes its
    storefront listings."""
    sku = (
        Sku.objects.select_for_update()
        .select_related("product")
        .filter(pk=sku_id, organisation_id=_merchant(actor))
        .first()
    )
    if sku is None:
        raise NotFound("No such SKU.", field="sku_id")
    data = _clean_sku(fields, current=sku)
    for key, value in data.items():
        setattr(sku, key, value)
    _save_sku(sku, sku.product)
    listings.refresh_skus(sku_ids=[sku.pk])
    return sku
