"""The one explicit registry of outbox event handlers: topic -> handlers, in order.

A handler takes a `tradelane.core.outbox.Event` and must be idempotent.
"""

from tradelane.accounts import handlers as accounts
from tradelane.catalog import handlers as catalog
from tradelane.logistics.fulfilment import handlers as fulfilment
from tradelane.merchants import handlers as merchants
from tradelane.orders import handlers as orders
from tradelane.returns import handlers as returns

HANDLERS = {
    "accounts.invitation_created": [accounts.send_invitation_email],
    "accounts.organisation_signed_up": [accounts.send_welcome_email],
    "merchants.application_decided": [
        merchants.notify_application_decision,
        merchants.email_application_decision,
    ],
    "merchants.warehouse_saved": [catalog.refresh_merchant_availability],
    "orders.order_placed": [orders.notify_parties, orders.email_parties],
    "orders.order_accepted": [
        orders.capture_order_payment,
        orders.notify_parties,
        orders.email_parties,
        fulfilment.create_shipment,
    ],
    "orders.order_declined": [
        orders.release_order_payment,
        orders.notify_parties,
        orders.email_parties,
    ],
    "orders.order_handed_over": [orders.notify_parties],
    "orders.order_delivered": [orders.notify_parties, orders.email_parties],
    "orders.order_cancelled": [
        fulfilment.cancel_shipment,
        orders.release_order_payment,
        orders.notify_parties,
        orders.email_parties,
    ],
    "fulfilment.shipment_handed_over": [fulfilment.notify_parties],
    "fulfilment.shipment_exception": [fulfilment.notify_parties],
    "fulfilment.shipment_lost": [fulfilment.refund_undelivered, fulfilment.notify_parties],
    "fulfilment.shipment_returned": [fulfilment.refund_undelivered, fulfilment.notify_parties],
    "fulfilment.late_delivery_credited": [fulfilment.refund_late_credit, fulfilment.notify_parties],
    "returns.return_requested": [returns.notify_parties],
    "returns.return_approved": [returns.notify_parties],
    "returns.return_rejected": [returns.notify_parties],
    "returns.return_disputed": [returns.notify_parties],
    "returns.return_escalated": [returns.notify_parties],
    "returns.return_denied": [returns.notify_parties],
    "returns.return_cancelled": [returns.notify_parties],
    "returns.return_in_transit": [returns.notify_parties],
    "returns.return_received": [returns.notify_parties],
    "returns.return_completed": [returns.issue_refund, returns.notify_parties],
    "returns.refund_failed": [returns.notify_parties],
}
