"""Per-market prices and the visibility checklist."""

from ninja import Router, Status

from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, RowId

from .. import selectors, services
from ..schemas import PriceIn, PriceOut, VisibilityOut

router = Router(tags=["catalog: prices"])


@router.post(
    "/merchant/skus/{sku_id}/prices",
    response={201: PriceOut, **ERRORS},
    summary="Set a SKU's price in a market",
)
@allow(MERCHANT_MEMBER)
def set_price(request, payload: PriceIn, sku_id: int = RowId):
    """Appends a price version, effective now or at `effective_from` (future). The price
    must be in the market's currency (422 `wrong_currency`); breaks strictly increasing
    (`breaks_not_increasing`); MOQ a multiple of the increment."""
    data = payload.model_dump()
    price = services.set_price(
        actor=current_actor(request),
        sku_id=sku_id,
        market_code=data["market"],
        currency=data["currency"],
        unit_price=data["unit_price"],
        breaks=data["breaks"],
        moq=data["moq"],
        increment=data["increment"],
        effective_from=data["effective_from"],
    )
    return Status(201, PriceOut.of(price))


@router.get(
    "/merchant/skus/{sku_id}/prices",
    response={200: list[PriceOut], **ERRORS},
    summary="A SKU's price history",
)
@allow(MERCHANT_MEMBER)
def price_history(request, sku_id: int = RowId, market: str | None = None):
    """Every version, newest first per market, scheduled ones included."""
    prices = selectors.list_price_history(
        actor=current_actor(request), sku_id=sku_id, market_code=(market or "")[:2] or None
    )
    return [PriceOut.of(p) for p in prices[:500]]


@router.get(
    "/merchant/skus/{sku_id}/visibility",
    response={200: list[VisibilityOut], **ERRORS},
    summary="Where a SKU is sold, and what is missing elsewhere",
)
@allow(MERCHANT_MEMBER)
def sku_visibility(request, sku_id: int = RowId):
    actor = current_actor(request)
    sku = selectors.get_sku(actor=actor, sku_id=sku_id)
    markets, checklist = selectors.visibility_checklist(actor=actor, skus=[sku])
    return [VisibilityOut.of(checklist[(sku.pk, code)]) for code in markets]


@router.get(
    "/merchant/visibility",
    response={200: list[VisibilityOut], **ERRORS},
    summary="The SKU × market visibility checklist",
)
@allow(MERCHANT_MEMBER)
def visibility(request):
    actor = current_actor(request)
    skus = list(selectors.list_skus(actor=actor)[:1000])
    markets, checklist = selectors.visibility_checklist(actor=actor, skus=skus)
    return [VisibilityOut.of(checklist[(s.pk, code)]) for s in skus for code in markets]
