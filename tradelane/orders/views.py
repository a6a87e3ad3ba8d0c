"""Pages: the buyer's cart, checkout and orders; the merchant's orders. Thin: each action
calls one service and shows its error next to the field it names."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.catalog.forms import add_domain_error
from tradelane.core.access import (
    ANY_MEMBER,
    BUYER_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_MEMBER,
    allow,
    current_actor,
)
from tradelane.core.errors import DomainError, InvalidInput, NotFound
from tradelane.core.money import Money

from . import documents, selectors, services
from .forms import CheckoutForm, ReasonForm
from .pricing import market_or_error
from .schemas import CartOut
from .states import BUYER_CANCELLABLE, PATH, OrderStatus

PAGE_SIZE = 25


def _int(value, default=None):
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else default


# --- buyer: cart ----------------------------------------------------------------------------


@allow(BUYER_MEMBER)
def cart(request, market: str):
    market_obj = market_or_error(market)
    view = selectors.get_cart(actor=current_actor(request), market=market_obj.code)
    data = CartOut.of(view, market_obj)
    return TemplateResponse(
        request,
        "orders/cart.html",
        {
            "market": market_obj,
            "cart": data,
            "currency": market_obj.currency,
            "prices_changed": any(line["price_changed"] for line in data["lines"]),
        },
    )


@require_POST
@allow(BUYER_MEMBER)
def cart_action(request, market: str, action: str):
    """One form per cart action: add, quantity, remove, tier, postal_code, accept_prices."""
    actor = current_actor(request)
    post = request.POST
    try:
        if action == "add":
            services.add_to_cart(
                actor=actor,
                market=market,
                sku_id=_int(post.get("sku_id"), 0),
                quantity=_int(post.get("quantity"), 0),
            )
            messages.success(request, _("Added to your cart."))
        elif action == "quantity":
            services.set_quantity(
                actor=actor,
                market=market,
                line_id=_int(post.get("line_id"), 0),
                quantity=_int(post.get("quantity"), -1),
            )
        elif action == "remove":
            services.remove_line(actor=actor, market=market, line_id=_int(post.get("line_id"), 0))
        elif action == "tier":
            services.choose_tier(
                actor=actor, market=market, group=post.get("group", ""), tier=post.get("tier", "")
            )
        elif action == "postal_code":
            services.set_postal_code(
                actor=actor, market=market, postal_code=post.get("postal_code", "")
            )
        elif action == "accept_prices":
            services.accept_prices(actor=actor, market=market)
        else:
            raise InvalidInput("Unknown action.", field="action")
    except DomainError as error:
        if error.status == 404 and error.field not in ("sku_id", "line_id"):
            raise
        messages.error(request, error.message)
        if action == "add":
            return redirect("catalog:listing", market=market, sku_id=_int(post.get("sku_id"), 1))
    return redirect("orders:cart", market=market)


# --- buyer: checkout ------------------------------------------------------------------------


@allow(BUYER_MEMBER)
def checkout(request, market: str):
    actor = current_actor(request)
    market_obj = market_or_error(market)
    view = selectors.get_cart(actor=actor, market=market_obj.code)
    if not view.lines:
        messages.info(request, _("Your cart is empty."))
        return redirect("orders:cart", market=market_obj.code)
    initial = {"postal_code": view.cart.postal_code, "incoterm": "DDP"}
    form = CheckoutForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                placed = services.place_checkout(
                    actor=actor,
                    request=services.CheckoutRequest(
                        market=market_obj.code,
                        shipping_address=form.address(),
                        payment_method=data["payment_method"],
                        buyer_tax_id=data["buyer_tax_id"],
                        po_number=data["po_number"],
                        incoterm=data["incoterm"],
                    ),
                )
            except DomainError as error:
                if error.code in ("prices_changed", "cart_changed", "insufficient_stock"):
                    messages.error(request, error.message)
                    return redirect("orders:cart", market=market_obj.code)
                add_domain_error(form, error)
            else:
                return redirect("orders:confirmation", checkout_id=placed.pk)
        status = 422
    return TemplateResponse(
        request,
        "orders/checkout.html",
        {"market": market_obj, "form": form, "cart": CartOut.of(view, market_obj)},
        status=status,
    )


@allow(BUYER_MEMBER)
def confirmation(request, checkout_id: int):
    actor = current_actor(request)
    orders = list(selectors.list_orders(actor=actor).filter(checkout_id=checkout_id))
    if not orders:
        raise NotFound("No such checkout.")
    paid = [o for o in orders if o.status != OrderStatus.PAYMENT_FAILED]
    total = sum((o.money("total") for o in paid), Money(0, orders[0].currency))
    return TemplateResponse(
        request,
        "orders/confirmation.html",
        {"orders": orders, "checkout": orders[0].checkout, "total": total, "paid": paid},
    )


# --- orders (buyer and merchant) ------------------------------------------------------------


def _list(request, template: str):
    actor = current_actor(request)
    status = request.GET.get("status") or None
    if status not in OrderStatus.values:
        status = None
    query = request.GET.get("q", "")[:100]
    orders = selectors.list_orders(actor=actor, status=status, query=query)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        template,
        {"page": page, "status": status, "q": query, "statuses": OrderStatus.choices},
    )


def _detail(request, order_id: int, template: str, extra=None):
    order = selectors.get_order(actor=current_actor(request), order_id=order_id)
    history = list(selectors.order_history(order))
    reached = {h.to_status for h in history}
    context = {
        "order": order,
        "lines": selectors.order_lines(order),
        "history": history,
        "path": [(s, OrderStatus(s).label, s in reached) for s in PATH],
        "reason_form": ReasonForm(),
        **(extra or {}),
    }
    return TemplateResponse(request, template, context)


@allow(BUYER_MEMBER)
def buyer_orders(request):
    return _list(request, "orders/buyer_orders.html")


@allow(BUYER_MEMBER)
def buyer_order(request, order_id: int):
    return _detail(request, order_id, "orders/buyer_order.html", {"cancellable": BUYER_CANCELLABLE})


@allow(MERCHANT_MEMBER)
def merchant_orders(request):
    return _list(request, "orders/merchant_orders.html")


@allow(MERCHANT_MEMBER)
def merchant_order(request, order_id: int):
    return _detail(request, order_id, "orders/merchant_order.html")


@allow(OPERATOR_MEMBER)
def ops_orders(request):
    return _list(request, "orders/ops_orders.html")


@allow(OPERATOR_MEMBER)
def ops_order(request, order_id: int):
    return _detail(request, order_id, "orders/ops_order.html")


@require_POST
@allow(ANY_MEMBER)
def order_action(request, order_id: int, action: str):
    """accept / decline / ready (merchant), cancel (buyer)."""
    actor = current_actor(request)
    reason = request.POST.get("reason", "")
    calls = {
        ("merchant", "accept"): lambda: services.accept_order(actor=actor, order_id=order_id),
        ("merchant", "ready"): lambda: services.mark_ready(actor=actor, order_id=order_id),
        ("merchant", "decline"): lambda: services.decline_order(
            actor=actor, order_id=order_id, reason=reason
        ),
        ("buyer", "cancel"): lambda: services.cancel_order(
            actor=actor, order_id=order_id, reason=reason
        ),
    }
    call = calls.get((actor.kind, action))
    if call is None:
        raise NotFound("No such order.")
    try:
        order = call()
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Order %(number)s: %(status)s.")
            % {"number": order.number, "status": order.get_status_display()},
        )
    return redirect(f"orders:{actor.kind}_order", order_id=order_id)


@allow(ANY_MEMBER)
def invoice(request, order_id: int):
    order = selectors.get_order(actor=current_actor(request), order_id=order_id)
    return documents.invoice_response(order)
