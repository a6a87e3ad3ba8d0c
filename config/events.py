"""The one explicit registry of outbox event handlers: topic -> handlers, in order.

A handler takes a `tradelane.core.outbox.Event` and must be idempotent.
"""

from tradelane.accounts import handlers as accounts

HANDLERS = {
    "accounts.invitation_created": [accounts.send_invitation_email],
    "accounts.organisation_signed_up": [accounts.send_welcome_email],
}
