"""Cart, checkout and orders over the API. Thin: parse, authorise, one service or selector."""

from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from tradelane.catalog.api.common import as_json
from tradelane.core import idempotency
from tradelane.core.access import ANY_MEMBER, BUYER_MEMBER, MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, ErrorOut, Pagination, RowId

from . import documents, selectors, services
from .pricing import LineRequest, market_or_error
from .schemas import (
    CartLineIn,
    CartOut,
    CheckoutIn,
    CheckoutOut,
    CheckoutPreviewOut,
    OrderOut,
    OrderSummaryOut,
    PostalCodeIn,
    QuantityIn,
    ReasonIn,
    TierIn,
)

router = Router(tags=["orders"])
MarketCode = Path(..., pattern=r"^[A-Za-z]{2}$", description="ISO market code, e.g. DE")
CHECKOUT_ERRORS = {**ERRORS, 402: ErrorOut}


def _cart(request, market: str) -> dict:
    view = selectors.get_cart(actor=current_actor(request), market=market)
    return CartOut.of(view, market_or_error(market))


@router.get("/cart/{market}", response={200: CartOut, **ERRORS}, summary="Your cart in a market")
@allow(BUYER_MEMBER)
def get_cart(request, market: str = MarketCode):
    """Lines grouped by merchant and shipping warehouse; each group quoted in the three
    tiers (landed cost and delivery window) to the cart's postal code. `price_changed`
    marks lines whose price moved since you saw it: accept the new prices to check out."""
    return _cart(request, market)


@router.post(
    "/cart/{market}/lines", response={201: CartOut, **ERRORS}, summary="Add a SKU to the cart"
)
@allow(BUYER_MEMBER)
def add_line(request, payload: CartLineIn, market: str = MarketCode):
    services.add_to_cart(
        actor=current_actor(request),
        market=market,
        sku_id=payload.sku_id,
        quantity=payload.quantity,
    )
    return Status(201, _cart(request, market))


@router.patch(
    "/cart/{market}/lines/{line_id}",
    response={200: CartOut, **ERRORS},
    summary="Change a line's quantity (0 removes it)",
)
@allow(BUYER_MEMBER)
def set_quantity(request, payload: QuantityIn, market: str = MarketCode, line_id: int = RowId):
    services.set_quantity(
        actor=current_actor(request), market=market, line_id=line_id, quantity=payload.quantity
    )
    return _cart(request, market)


@router.delete(
    "/cart/{market}/lines/{line_id}", response={200: CartOut, **ERRORS}, summary="Remove a line"
)
@allow(BUYER_MEMBER)
def remove_line(request, market: str = MarketCode, line_id: int = RowId):
    services.remove_line(actor=current_actor(request), market=market, line_id=line_id)
    return _cart(request, market)


@router.put(
    "/cart/{market}/tier", response={200: CartOut, **ERRORS}, summary="Choose a group's tier"
)
@allow(BUYER_MEMBER)
def choose_tier(request, payload: TierIn, market: str = MarketCode):
    services.choose_tier(
        actor=current_actor(request), market=market, group=payload.group, tier=payload.tier
    )
    return _cart(request, market)


@router.put(
    "/cart/{market}/postal-code",
    response={200: CartOut, **ERRORS},
    summary="Set the postal code the cart is quoted to",
)
@allow(BUYER_MEMBER)
def set_postal_code(request, payload: PostalCodeIn, market: str = MarketCode):
    services.set_postal_code(
        actor=current_actor(request), market=market, postal_code=payload.postal_code
    )
    return _cart(request, market)


@router.post(
    "/cart/{market}/accept-prices",
    response={200: CartOut, **ERRORS},
    summary="Accept the current prices of the cart's lines",
)
@allow(BUYER_MEMBER)
def accept_prices(request, market: str = MarketCode):
    services.accept_prices(actor=current_actor(request), market=market)
    return _cart(request, market)


def _request(payload: CheckoutIn) -> services.CheckoutRequest:
    return services.CheckoutRequest(
        market=payload.market,
        shipping_address=payload.shipping_address.model_dump(),
        payment_method=payload.payment_method,
        buyer_tax_id=payload.buyer_tax_id,
        po_number=payload.po_number,
        incoterm=payload.incoterm,
        lines=[LineRequest(line.sku_id, line.quantity) for line in payload.lines]
        if payload.lines is not None
        else None,
        tier=payload.tier,
        currency=payload.currency,
        expected_total=payload.expected_total,
    )


@router.post(
    "/checkout/preview",
    response={200: CheckoutPreviewOut, **ERRORS},
    summary="What checkout would charge, without placing anything",
)
@allow(BUYER_MEMBER)
def preview_checkout(request, payload: CheckoutIn):
    market, _address, _tax_id, _cart_obj, chosen, total = services.price_checkout(
        current_actor(request), _request(payload)
    )
    return {
        "currency": market.currency,
        "total": str(total),
        "groups": [
            {
                "key": group.key,
                "merchant": group.merchant_name,
                "tier": tier.tier,
                "at_checkout": str(tier.at_checkout.amount),
                "on_delivery": str(tier.on_delivery.amount),
                "window": {
                    "pickup": tier.window.pickup,
                    "earliest": tier.window.earliest,
                    "latest": tier.window.latest,
                },
            }
            for group, tier in chosen
        ],
    }


@router.post(
    "/checkout",
    response={201: CheckoutOut, **CHECKOUT_ERRORS},
    summary="Place orders (one per merchant warehouse) and pay",
)
@allow(BUYER_MEMBER)
def place_checkout(request, payload: CheckoutIn):
    """Send `Idempotency-Key`: a retry returns the first result; the same key with another
    body is a 422. Without `lines`, the cart of `market` is checked out. Prices come from the
    catalog; a price field in the request is refused. Stock is reserved atomically: when a
    line no longer fits, 409 `insufficient_stock` and nothing is placed. A refused payment
    is a 402 and releases the stock."""
    actor = current_actor(request)
    data = payload.model_dump(mode="json")

    def action():
        checkout = services.place_checkout(actor=actor, request=_request(payload))
        orders = [OrderOut.of(p.order, p.lines, p.history) for p in checkout._placed]
        body = {
            "id": checkout.pk,
            "market": checkout.market_id,
            "currency": checkout.currency,
            "total": str(checkout.total),
            "orders": orders,
        }
        return 201, as_json(CheckoutOut, body)

    status, body = idempotency.run(
        request, operation="orders.place_checkout", payload=data, action=action, atomic=False
    )
    return Status(status, body)


@router.get("/orders", response={200: list[OrderSummaryOut], **ERRORS}, summary="Orders")
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_orders(request, status: str | None = None, q: str = Query("", max_length=100)):
    """A buyer's orders, a merchant's orders, or all orders for an operator."""
    orders = selectors.list_orders(actor=current_actor(request), status=status, query=q)
    return [OrderSummaryOut.of(order) for order in orders]


def _order(request, order_id: int) -> dict:
    order = selectors.get_order(actor=current_actor(request), order_id=order_id)
    return OrderOut.of(order, selectors.order_lines(order), selectors.order_history(order))


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS}, summary="An order")
@allow(ANY_MEMBER)
def get_order(request, order_id: int = RowId):
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/accept", response={200: OrderOut, **ERRORS}, summary="Accept an order"
)
@allow(MERCHANT_MEMBER)
def accept_order(request, order_id: int = RowId):
    services.accept_order(actor=current_actor(request), order_id=order_id)
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/decline", response={200: OrderOut, **ERRORS}, summary="Decline an order"
)
@allow(MERCHANT_MEMBER)
def decline_order(request, payload: ReasonIn, order_id: int = RowId):
    services.decline_order(actor=current_actor(request), order_id=order_id, reason=payload.reason)
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/ready",
    response={200: OrderOut, **ERRORS},
    summary="Mark an accepted order packed and ready for pickup",
)
@allow(MERCHANT_MEMBER)
def mark_ready(request, order_id: int = RowId):
    services.mark_ready(actor=current_actor(request), order_id=order_id)
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/cancel",
    response={200: OrderOut, **ERRORS},
    summary="Cancel an order before handover",
)
@allow(BUYER_MEMBER)
def cancel_order(request, payload: ReasonIn, order_id: int = RowId):
    services.cancel_order(actor=current_actor(request), order_id=order_id, reason=payload.reason)
    return _order(request, order_id)


@router.get(
    "/orders/{order_id}/invoice.pdf",
    response={200: None, **ERRORS},
    summary="The order's commercial invoice (PDF)",
)
@allow(ANY_MEMBER)
def invoice_pdf(request, order_id: int = RowId):
    order = selectors.get_order(actor=current_actor(request), order_id=order_id)
    return documents.invoice_response(order)
