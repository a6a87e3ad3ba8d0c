"""Stock per warehouse: versioned absolute set (If-Match), relative adjust, history."""

from django.http import HttpResponse
from ninja import Header, Router

from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, ErrorOut, RowId

from .. import selectors, services
from ..schemas import MovementOut, StockAdjustIn, StockOut, StockSetIn
from .common import etag, parse_if_match

router = Router(tags=["catalog: stock"])
STOCK_ERRORS = {**ERRORS, 412: ErrorOut, 428: ErrorOut}


@router.get(
    "/merchant/skus/{sku_id}/stock",
    response={200: list[StockOut], **ERRORS},
    summary="A SKU's stock in each of your warehouses",
)
@allow(MERCHANT_MEMBER)
def list_stock(request, sku_id: int = RowId):
    actor = current_actor(request)
    selectors.get_sku(actor=actor, sku_id=sku_id)
    return [StockOut.of(level) for level in selectors.list_stock(actor=actor, sku_id=sku_id)]


@router.get(
    "/merchant/skus/{sku_id}/stock/{warehouse_id}",
    response={200: StockOut, **ERRORS},
    summary="Stock of a SKU in one warehouse (ETag = version)",
)
@allow(MERCHANT_MEMBER)
def get_stock(request, response: HttpResponse, sku_id: int = RowId, warehouse_id: int = RowId):
    """Version 0 means no stock was ever recorded there; send it as If-Match to set it."""
    level = selectors.get_stock(
        actor=current_actor(request), sku_id=sku_id, warehouse_id=warehouse_id
    )
    response["ETag"] = etag(level.version)
    return StockOut.of(level)


@router.put(
    "/merchant/skus/{sku_id}/stock/{warehouse_id}",
    response={200: StockOut, **STOCK_ERRORS},
    summary="Set stock (absolute), guarded by If-Match",
)
@allow(MERCHANT_MEMBER)
def set_stock(
    request,
    response: HttpResponse,
    payload: StockSetIn,
    sku_id: int = RowId,
    warehouse_id: int = RowId,
    if_match: str | None = Header(None, alias="If-Match"),
):
    """`If-Match: <version>` is required (428 without it); a stale version is 412
    `precondition_failed` and nothing changes. Negative stock is 422 `negative_stock`."""
    actor = current_actor(request)
    level = services.set_stock(
        actor=actor,
        sku_id=sku_id,
        warehouse_id=warehouse_id,
        on_hand=payload.on_hand,
        if_match=parse_if_match(if_match),
        note=payload.note,
    )
    response["ETag"] = etag(level.version)
    return StockOut.of(level)


@router.post(
    "/merchant/skus/{sku_id}/stock/{warehouse_id}/adjust",
    response={200: StockOut, **ERRORS},
    summary="Adjust stock by a delta",
)
@allow(MERCHANT_MEMBER)
def adjust_stock(
    request,
    response: HttpResponse,
    payload: StockAdjustIn,
    sku_id: int = RowId,
    warehouse_id: int = RowId,
):
    """Never below the reserved quantity: 409 `insufficient_stock`, nothing changed."""
    level = services.adjust_stock(
        actor=current_actor(request),
        sku_id=sku_id,
        warehouse_id=warehouse_id,
        delta=payload.delta,
        reason=payload.reason,
        note=payload.note,
    )
    response["ETag"] = etag(level.version)
    return StockOut.of(level)


@router.get(
    "/merchant/skus/{sku_id}/stock-movements",
    response={200: list[MovementOut], **ERRORS},
    summary="A SKU's stock history",
)
@allow(MERCHANT_MEMBER)
def movements(request, sku_id: int = RowId):
    return [
        MovementOut.of(m)
        for m in selectors.list_movements(actor=current_actor(request), sku_id=sku_id)
    ]
