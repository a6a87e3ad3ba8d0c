"""Order writes: cart, checkout, lifecycle."""

from .cart import (
    accept_prices,
    add_to_cart,
    choose_tier,
    remove_line,
    set_postal_code,
    set_quantity,
)
from .checkout import CheckoutRequest, PaymentFailed, place_checkout, price_checkout, settle_payment
from .fulfilment import (
    await_handover,
    complete_order,
    record_delivered,
    record_handover,
    record_in_transit,
)
from .lifecycle import accept_order, cancel_order, decline_order, mark_ready

__all__ = [
    "CheckoutRequest",
    "PaymentFailed",
    "accept_order",
    "accept_prices",
    "await_handover",
    "complete_order",
    "record_delivered",
    "record_handover",
    "record_in_transit",
    "add_to_cart",
    "cancel_order",
    "choose_tier",
    "decline_order",
    "mark_ready",
    "place_checkout",
    "price_checkout",
    "remove_line",
    "set_postal_code",
    "set_quantity",
    "settle_payment",
]
