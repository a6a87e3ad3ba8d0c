"""The one explicit registry of outbox event handlers: topic -> handlers, in order.

A handler takes a `tradelane.core.outbox.Event` and must be idempotent.
"""

from tradelane.accounts import handlers as accounts
from tradelane.catalog import handlers as catalog
from tradelane.merchants import handlers as merchants

HANDLERS = {
    "accounts.invitation_created": [accounts.send_invitation_email],
    "accounts.organisation_signed_up": [accounts.send_welcome_email],
    "merchants.application_decided": [
        merchants.notify_application_decision,
        merchants.email_application_decision,
    ],
    "merchants.warehouse_saved": [catalog.refresh_merchant_availability],
}
