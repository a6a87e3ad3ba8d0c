"""Payment and refund lifecycles.

    pending ─► authorised ─► captured ─► partially_refunded ─► refunded
       │           │            └───────────────────────────────►┘
       │           └─► voided
       └─► failed (declined by the provider: final; the caller starts a new payment)

A transport failure (provider unreachable, timeout) is not a state: the payment stays
where it was and the same call may be retried (the provider sees the same idempotency
key, so a retry never charges twice). Refund amounts are claimed on the payment before
the provider is called (`refund_pending_amount`) and become `refunded_amount` on success.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    AUTHORISED = "authorised", _("Authorised")
    FAILED = "failed", _("Failed")
    CAPTURED = "captured", _("Captured")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")
    VOIDED = "voided", _("Voided")


S = PaymentStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.AUTHORISED, S.FAILED}),
    S.AUTHORISED: frozenset({S.CAPTURED, S.VOIDED}),
    S.CAPTURED: frozenset({S.PARTIALLY_REFUNDED, S.REFUNDED}),
    S.PARTIALLY_REFUNDED: frozenset({S.REFUNDED}),
    S.FAILED: frozenset(),
    S.VOIDED: frozenset(),
    S.REFUNDED: frozenset(),
}

# A refund may be claimed against a payment in these states.
REFUNDABLE = frozenset({S.CAPTURED, S.PARTIALLY_REFUNDED})
FINAL = frozenset({S.FAILED, S.VOIDED, S.REFUNDED})


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Operation(models.TextChoices):
    AUTHORISE = "authorise", _("Authorise")
    CAPTURE = "capture", _("Capture")
    VOID = "void", _("Void")
    REFUND = "refund", _("Refund")


class Outcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    DECLINED = "declined", _("Declined")
    ERROR = "error", _("Provider error")
