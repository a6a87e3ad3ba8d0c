"""Merchants' products and SKUs."""

from ninja import Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId

from .. import selectors, services
from ..schemas import (
    ProductIn,
    ProductOut,
    ProductPatchIn,
    ProductSummaryOut,
    SkuIn,
    SkuOut,
    SkuPatchIn,
)
from .common import as_json

router = Router(tags=["catalog: products"])


@router.get(
    "/merchant/products", response={200: list[ProductSummaryOut], **ERRORS}, summary="Your products"
)
@allow(MERCHANT_MEMBER)
@paginate(Pagination)
def list_products(request, q: str = ""):
    return selectors.list_products(actor=current_actor(request), query=q[:100])


@router.post("/merchant/products", response={201: ProductOut, **ERRORS}, summary="Create a product")
@allow(MERCHANT_MEMBER)
def create_product(request, payload: ProductIn):
    """With its SKUs (trade data optional until you list it). Accepts `Idempotency-Key`.
    Errors name the field, e.g. `skus[1].hs_code`."""
    data = payload.model_dump()
    actor = current_actor(request)

    def action():
        product = services.create_product(actor=actor, **data)
        product = selectors.get_product(actor=actor, product_id=product.pk)
        return 201, as_json(ProductOut, ProductOut.of(product))

    status, body = idempotency.run(
        request, operation="catalog.create_product", payload=data, action=action
    )
    return Status(status, body)


@router.get(
    "/merchant/products/{product_id}", response={200: ProductOut, **ERRORS}, summary="A product"
)
@allow(MERCHANT_MEMBER)
def get_product(request, product_id: int = RowId):
    return ProductOut.of(selectors.get_product(actor=current_actor(request), product_id=product_id))


@router.patch(
    "/merchant/products/{product_id}",
    response={200: ProductOut, **ERRORS},
    summary="Edit a product",
)
@allow(MERCHANT_MEMBER)
def update_product(request, payload: ProductPatchIn, product_id: int = RowId):
    actor = current_actor(request)
    services.update_product(
        actor=actor, product_id=product_id, **payload.model_dump(exclude_unset=True)
    )
    return ProductOut.of(selectors.get_product(actor=actor, product_id=product_id))


@router.post(
    "/merchant/products/{product_id}/skus",
    response={201: SkuOut, **ERRORS},
    summary="Add a SKU to a product",
)
@allow(MERCHANT_MEMBER)
def create_sku(request, payload: SkuIn, product_id: int = RowId):
    sku = services.create_sku(
        actor=current_actor(request), product_id=product_id, **payload.model_dump()
    )
    return Status(201, SkuOut.of(sku))


@router.get("/merchant/skus/{sku_id}", response={200: SkuOut, **ERRORS}, summary="A SKU")
@allow(MERCHANT_MEMBER)
def get_sku(request, sku_id: int = RowId):
    return SkuOut.of(selectors.get_sku(actor=current_actor(request), sku_id=sku_id))


@router.patch(
    "/merchant/skus/{sku_id}", response={200: SkuOut, **ERRORS}, summary="Edit a SKU's trade data"
)
@allow(MERCHANT_MEMBER)
def update_sku(request, payload: SkuPatchIn, sku_id: int = RowId):
    sku = services.update_sku(
        actor=current_actor(request), sku_id=sku_id, **payload.model_dump(exclude_unset=True)
    )
    return SkuOut.of(sku)
