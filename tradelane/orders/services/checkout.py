"""Checkout: price on the server, reserve stock atomically, then take payment outside any lock.

1. read   price every line from the catalog and quote each merchant-warehouse group
          (pricing.plan); refuse changed prices, a wrong currency, unavailable tiers
2. write  one transaction: lock the cart, create the checkout, one order per group, its
          lines and a pending payment; reserve the stock (guarded UPDATEs: a line that
          does not fit raises 409 and nothing is written); empty the cart
3. call   authorise each order's payment with the provider — no row is locked
4. write  per order, in the payment outcome's transaction: an UPDATE guarded on `placed`
          records paid (event `orders.order_placed`) or payment_failed (stock released,
          the cart lines given back)

What was written is returned as held in memory (`PlacedOrder`), not read back — unless
another call recorded a payment's outcome first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from operator import attrgetter
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tradelane.catalog.services.reservations import StockLine, release_stock, reserve_stock
from tradelane.core.access import Actor
from tradelane.core.errors import Conflict, DomainError, Forbidden, InvalidInput
from tradelane.core.outbox import record_event
from tradelane.core.states import check_transition
from tradelane.logistics import engine
from tradelane.merchants.addresses import normalise_address
from tradelane.payments import services as payments
from tradelane.payments.errors import ProviderUnavailable

from ..models import TIERS, Cart, CartLine, Checkout, Order, OrderLine, OrderStatusChange
from ..pricing import LineRequest, Plan, market_or_error, plan
from ..states import TRANSITIONS, OrderStatus

log = logging.getLogger(__name__)
STALE_PLACEMENT = timedelta(seconds=30)
ADDRESS_LINES = ("country_area", "city", "city_area", "street_address", "postal_code")
STORED = Decimal("0.0001")  # the amount fields' scale: what reading an amount back gives
by_sku = attrgetter("sku_id")


class PaymentFailed(DomainError):
    status = 402
    code = "payment_failed"


@dataclass(slots=True)
class PlacedOrder:
    """An order as placement wrote it: its lines, and its status history so far."""

    order: Order  # with its payment, buyer and merchant
    lines: list[OrderLine]
    history: list[OrderStatusChange]


@dataclass
class CheckoutRequest:
    market: str
    shipping_address: dict
    payment_method: str
    buyer_tax_id: str = ""
    po_number: str = ""
    incoterm: str = engine.DDP
    lines: list[LineRequest] | None = None  # None: the buyer's cart in the market
    tier: str = "standard"  # for groups the cart has no choice for
    currency: str | None = None  # if given, must be the market's
    expected_total: Decimal | None = None  # if given, must be what checkout charges
    placed_at: datetime | None = field(default=None, repr=False)


def _address(market, raw: dict) -> dict:
    recipient = (raw.get("recipient") or "").strip()
    if not recipient or len(recipient) > 120:
        raise InvalidInput(
            "Give the recipient's name (up to 120 characters).",
            field="shipping_address.recipient",
        )
    company = (raw.get("company") or "").strip()[:120]
    phone = (raw.get("phone") or "").strip()[:32]
    try:
        normal = normalise_address(market.code, {k: raw.get(k) or "" for k in ADDRESS_LINES})
    except InvalidInput as error:
        error.field = f"shipping_address.{error.field}"
        raise
    return {"recipient": recipient, "company": company, "phone": phone, **normal}


def _validate(actor: Actor, req: CheckoutRequest):
    if actor is None or actor.kind != "buyer":
        raise Forbidden("Only buyer organisations place orders.", code="buyers_only")
    if req.incoterm not in (engine.DDP, engine.DAP):
        raise InvalidInput("Incoterm must be DDP or DAP.", field="incoterm")
    if req.tier not in TIERS:
        raise InvalidInput("Choose economy, standard or premium.", field="tier")
    if len(req.po_number or "") > 64:
        raise InvalidInput("At most 64 characters.", field="po_number")
    method = (req.payment_method or "").strip()
    if not method or len(method) > 64:
        raise InvalidInput("Choose a payment method.", field="payment_method")


def _cart_lines(actor: Actor, market: str) -> tuple[Cart | None, list[CartLine]]:
    cart = (
        Cart.objects.filter(organisation_id=actor.organisation_id, market_id=market.upper())
        .select_related("market")
        .first()
    )
    lines = list(cart.lines.all()) if cart else []
    if not lines:
        raise InvalidInput("Your cart is empty.", field="lines", code="empty")
    return cart, lines


def _check_seen_prices(the_plan: Plan, cart_lines: list[CartLine]) -> None:
    changed = sorted(
        [
            (line.index, line)
            for group in the_plan.groups
            for line in group.lines
            if cart_lines[line.index].seen_unit_price != line.unit_price.amount
        ],
        key=lambda pair: pair[0],
    )
    if changed:
        described = "; ".join(
            f"{line.sku.code}: {cart_lines[i].seen_unit_price.normalize():f} → "
            f"{line.unit_price.amount.normalize():f} {line.unit_price.currency}"
            for i, line in changed
        )
        raise Conflict(
            f"Prices changed since you saw them: {described}. Review and accept them.",
            field=f"lines[{changed[0][0]}].unit_price",
            code="prices_changed",
        )


def price_checkout(actor: Actor, req: CheckoutRequest, *, tiers: dict | None = None):
    """Steps 1 of checkout: the plan, the tier chosen per group and the amount to charge.
    Raises what checkout would refuse before writing anything."""
    _validate(actor, req)
    cart, cart_lines = (None, None)
    if req.lines is None:
        cart, cart_lines = _cart_lines(actor, req.market)
        lines = [LineRequest(line.sku_id, line.quantity) for line in cart_lines]
        tiers = cart.tiers
    else:
        lines = req.lines
    market = market_or_error(req.market)
    if req.currency is not None and req.currency.upper() != market.currency:
        raise InvalidInput(
            f"Orders in {market.name} are in {market.currency}.",
            field="currency",
            code="currency_mismatch",
        )
    address = _address(market, req.shipping_address or {})
    tax_id = (req.buyer_tax_id or "").strip()
    the_plan = plan(
        market=market,
        lines=lines,
        postal_code=address["postal_code"],
        buyer_kind=engine.B2B if tax_id else engine.B2C,
        buyer_tax_id=tax_id or None,
        incoterm=req.incoterm,
        quoted_at=req.placed_at,
    )
    if cart_lines is not None:
        _check_seen_prices(the_plan, cart_lines)
    chosen = []
    total = Decimal(0)
    for group in the_plan.groups:
        name = (tiers or {}).get(group.key, req.tier)
        tier = group.tier(name)
        if tier is None or not tier.available:
            reason = tier.unavailable.message if tier is not None else "not offered"
            raise InvalidInput(
                f"{name.title()} delivery is not available from {group.merchant_name}: {reason}",
                field=f"tiers.{group.key}",
                code="tier_unavailable",
            )
        for line in group.lines:
            if line.short and line.sku.readiness != "near_ready":
                raise Conflict(
                    f"Only {line.available} of {line.sku.code} left.",
                    field=f"lines[{line.index}].quantity",
                    code="insufficient_stock",
                )
        chosen.append((group, tier))
        total += tier.at_checkout.amount
    if req.expected_total is not None and req.expected_total != total:
        raise Conflict(
            f"The total is now {total} {market.currency}, not {req.expected_total}.",
            field="expected_total",
            code="total_changed",
        )
    return market, address, tax_id, cart, chosen, total


def place_checkout(*, actor: Actor, request: CheckoutRequest) -> Checkout:
    """Place the buyer's orders (one per merchant-warehouse group) and authorise payment.

    Locks the cart (cart checkout). Raises 422 with the field (address, tax id, quantities,
    tier, currency), 404 `lines[i].sku_id`, 409 `insufficient_stock` / `prices_changed` /
    `total_changed` / `cart_changed` with nothing written, 402 `payment_failed` when every
    order's payment was refused (the orders stay, as payment_failed; the cart is restored).
    Emits `orders.order_placed` per paid order.

    The checkout returned carries `_placed` (a `PlacedOrder` per order, in id order) and
    `_orders` (their orders)."""
    placed_at = request.placed_at or timezone.now()
    request.placed_at = placed_at
    market, address, tax_id, cart, chosen, total = price_checkout(actor, request)
    checkout, placed = _write(actor, request, market, address, tax_id, cart, chosen, total)
    current = True
    for item in placed:
        current &= authorise(item.order, lines=item.lines, history=item.history)
    checkout._placed = placed if current else _read_back(checkout)
    checkout._orders = [item.order for item in checkout._placed]
    if all(o.status == OrderStatus.PAYMENT_FAILED for o in checkout._orders):
        reason = checkout._orders[0].status_reason
        raise PaymentFailed(f"The payment was refused: {reason}", field="payment_method")
    return checkout


def _read_back(checkout: Checkout) -> list[PlacedOrder]:
    orders = (
        checkout.orders.order_by("id")
        .select_related("payment", "buyer", "merchant")
        .prefetch_related("lines", "history")
    )
    return [PlacedOrder(o, list(o.lines.all()), list(o.history.all())) for o in orders]


@transaction.atomic
def _write(
    actor, req, market, address, tax_id, cart, chosen, total
) -> tuple[Checkout, list[PlacedOrder]]:
    if cart is not None:
        locked = Cart.objects.select_for_update().get(pk=cart.pk)
        if locked.version != cart.version:
            raise Conflict(
                "Your cart changed while checking out; review it and try again.",
                field="lines",
                code="cart_changed",
            )
    checkout = Checkout.objects.create(
        organisation_id=actor.organisation_id,
        market=market,
        currency=market.currency,
        total=total,
        shipping_address=address,
        buyer_tax_id=tax_id,
        po_number=req.po_number or "",
        incoterm=req.incoterm,
        created_by=actor.user,
        created_at=req.placed_at,
    )
    orders = []
    for n, (group, tier) in enumerate(chosen, start=1):
        order = _order(checkout, group, tier, n, actor, req, address, tax_id)
        order.payment = payments.create_payment(
            payer_organisation_id=actor.organisation_id,
            payee_organisation_id=order.merchant_id,
            amount=order.money("total"),
            reference=f"order:{order.number}",
            method=req.payment_method.strip(),
        )
        orders.append(order)
    Order.objects.bulk_create(orders)
    placed, stock = [], []
    for order, (group, _tier) in zip(orders, chosen, strict=True):
        lines = [_order_line(order, line) for line in group.lines]
        history = [
            OrderStatusChange(
                subject=order, from_status="", to_status=OrderStatus.PLACED, actor=actor.user
            )
        ]
        placed.append(PlacedOrder(order, lines, history))
        for line in group.lines:
            stock.append((line.index, StockLine(line.sku.pk, group.warehouse.pk, line.quantity)))
    OrderLine.objects.bulk_create([line for item in placed for line in item.lines])
    reserve_stock(
        lines=[s for _i, s in sorted(stock, key=lambda pair: pair[0])],
        reference=f"checkout:{checkout.pk}",
        actor_user_id=actor.user.pk if actor.user else None,
    )
    OrderStatusChange.objects.bulk_create([item.history[0] for item in placed])
    if cart is not None:
        CartLine.objects.filter(cart_id=cart.pk).delete()
        Cart.objects.filter(pk=cart.pk).update(version=F("version") + 1)
    return checkout, placed


def _order(checkout, group, tier, n, actor, req, address, tax_id) -> Order:
    """The order as it is stored (amounts at the fields' scale, the deadline in UTC), with
    its buyer and merchant, so that what it shows needs no read back."""
    window = tier.window
    zone = ZoneInfo(group.warehouse.time_zone)
    deadline = datetime.combine(window.pickup, group.warehouse.pickup_cutoff, tzinfo=zone)
    reverse_charge = any(line.collected == "buyer" for line in tier.lines)
    merchant = group.lines[0].sku.organisation
    return Order(
        number=f"{checkout.pk:06d}-{n}",
        checkout=checkout,
        buyer=actor.organisation,
        merchant=merchant,
        warehouse=group.warehouse,
        market_id=checkout.market_id,
        status=OrderStatus.PLACED,
        currency=checkout.currency,
        tier=tier.tier,
        incoterm=req.incoterm,
        buyer_kind=engine.B2B if tax_id else engine.B2C,
        buyer_tax_id=tax_id,
        reverse_charge=reverse_charge,
        invoice_wording=tier.invoice_wording or "",
        po_number=req.po_number or "",
        shipping_address=address,
        goods_total=_stored(tier.subtotal("goods")),
        shipping_total=_stored(tier.subtotal("shipping")),
        duties_total=_stored(tier.subtotal("duty")),
        taxes_total=_stored(tier.subtotal("tax")),
        fees_total=_stored(tier.subtotal("fee")),
        total=_stored(tier.at_checkout),
        due_on_delivery=_stored(tier.on_delivery),
        breakdown=[
            {
                "kind": line.kind,
                "label": line.label,
                "amount": str(line.amount.amount),
                "rule": line.rule,
                "as_of": line.as_of.isoformat() if line.as_of else None,
                "collected": line.collected,
            }
            for line in tier.lines
        ],
        promised_pickup=window.pickup,
        promised_earliest=window.earliest,
        promised_latest=window.latest,
        handover_deadline=deadline.astimezone(UTC),
        created_at=checkout.created_at,
        updated_at=checkout.created_at,
    )


def _stored(money) -> Decimal:
    return money.amount.quantize(STORED)


def _order_line(order, line) -> OrderLine:
    sku = line.sku
    return OrderLine(
        order=order,
        sku=sku,
        sku_code=sku.code,
        title=sku.product.title,
        attributes=sku.attributes,
        hs_code=sku.hs_code,
        origin_country=sku.origin_country,
        quantity=line.quantity,
        unit_price=_stored(line.unit_price),
        line_total=_stored(line.line_total),
    )


def stock_lines(order: Order, lines: list[OrderLine] | None = None) -> list[StockLine]:
    """The order's lines as stock lines, by SKU (`lines`: the order's, if already held)."""
    rows = order.lines.order_by("sku_id") if lines is None else sorted(lines, key=by_sku)
    return [StockLine(line.sku_id, order.warehouse_id, line.quantity) for line in rows]


def authorise(
    order: Order,
    *,
    lines: list[OrderLine] | None = None,
    history: list[OrderStatusChange] | None = None,
) -> bool:
    """Steps 3 and 4 for one order and the payment it holds: the provider call, then the
    payment's outcome and the order's in one transaction. A provider that does not answer
    leaves the order `placed` (stock reserved, payment pending) for
    `settle_stale_placements` to retry. True when `order` in memory is as recorded (the
    history row written is appended to `history`); False when another call decided the
    payment or moved the order first (then it is settled here from a fresh read)."""
    recorded = []

    def record(payment) -> None:
        recorded.append(_record_outcome(order, payment, lines))

    try:
        payments.authorise_payment(payment=order.payment, then=record)
    except ProviderUnavailable:
        log.warning("payment provider unavailable for order %s; will retry", order.pk)
        return True
    if not recorded:  # the payment was decided by an earlier call: settle the order if not yet
        settle_payment(order_id=order.pk)
        return False
    if recorded[0] is None:  # the order had left `placed` already
        return False
    if history is not None:
        history.append(recorded[0])
    return True


def settle_stale_placements(*, older_than: timedelta = STALE_PLACEMENT, limit: int = 100) -> int:
    """Retry the authorisation of orders left `placed` (provider outage, crash between
    commit and call). Returns how many were looked at. Idempotent."""
    cutoff = timezone.now() - older_than
    stale = list(
        Order.objects.filter(status=OrderStatus.PLACED, created_at__lt=cutoff)
        .select_related("payment")
        .order_by("created_at")[:limit]
    )
    for order in stale:
        authorise(order)
    return len(stale)


@transaction.atomic
def settle_payment(*, order_id: int) -> Order:
    """Record the authorisation's outcome on a placed order (step 4). Idempotent: an order
    no longer `placed`, or whose payment is still pending, is returned as it is."""
    order = Order.objects.select_for_update(of=("self",)).select_related("payment").get(pk=order_id)
    if order.status == OrderStatus.PLACED:
        _record_outcome(order, order.payment)
    return order


def _record_outcome(
    order: Order, payment, lines: list[OrderLine] | None = None
) -> OrderStatusChange | None:
    """Step 4, inside the caller's transaction: a `placed` order whose payment is authorised
    becomes paid (event `orders.order_placed`); one whose payment failed becomes
    payment_failed (stock released, the lines given back to the cart). One UPDATE guarded
    on `placed` makes the change and keeps the order locked until the commit. Returns the
    history row, or None with nothing written when the payment is still pending or the
    order is no longer `placed` (another call settled it)."""
    if payment.status == "authorised":
        target, reason = OrderStatus.PAID, None
    elif payment.status == "failed":
        target = OrderStatus.PAYMENT_FAILED
        reason = payment.failure_message or payment.failure_code or "refused"
    else:
        return None
    check_transition(TRANSITIONS, OrderStatus.PLACED, target)
    changes = {"status": target} if reason is None else {"status": target, "status_reason": reason}
    if not Order.objects.filter(pk=order.pk, status=OrderStatus.PLACED).update(**changes):
        return None
    for name, value in changes.items():
        setattr(order, name, value)
    change = OrderStatusChange.objects.create(
        subject=order, from_status=OrderStatus.PLACED, to_status=target, note=(reason or "")[:500]
    )
    if target == OrderStatus.PAID:
        record_event("orders.order_placed", _event_payload(order))
    else:
        release_stock(lines=stock_lines(order, lines), reference=f"order:{order.number}")
        _restore_cart(order, lines)
    return change


def _restore_cart(order: Order, lines: list[OrderLine] | None = None) -> None:
    """Give the lines of an unpaid order back to the buyer's cart (lines already there stay)."""
    cart, _ = Cart.objects.get_or_create(organisation_id=order.buyer_id, market_id=order.market_id)
    CartLine.objects.bulk_create(
        [
            CartLine(
                cart=cart,
                sku_id=line.sku_id,
                quantity=line.quantity,
                seen_unit_price=line.unit_price,
                seen_currency=order.currency,
            )
            for line in (lines if lines is not None else order.lines.all())
        ],
        ignore_conflicts=True,
    )
    Cart.objects.filter(pk=cart.pk).update(version=F("version") + 1)


def _event_payload(order: Order) -> dict:
    return {
        "order_id": order.pk,
        "number": order.number,
        "buyer_id": order.buyer_id,
        "merchant_id": order.merchant_id,
        "total": str(order.total),
        "currency": order.currency,
        "status": order.status,
    }
