"""Payment errors: core domain errors with stable codes (never rename a code)."""

from tradelane.core.errors import Conflict, DomainError, InvalidInput


class PaymentRefused(DomainError):
    """The provider answered and said no (HTTP 402)."""

    status = 402
    code = "payment_declined"


class PaymentDeclined(PaymentRefused):
    code = "payment_declined"


class InsufficientFunds(PaymentRefused):
    code = "insufficient_funds"


class RefundDeclined(PaymentRefused):
    code = "refund_declined"


class ProviderUnavailable(Conflict):
    """The provider could not be reached or timed out: nothing was recorded as failed;
    retry the same call later (the provider sees the same idempotency key)."""

    code = "provider_unavailable"


class RefundExceedsCaptured(Conflict):
    code = "refund_exceeds_captured"


class ProviderRefused(Conflict):
    """A capture or void the provider refused (e.g. already voided on its side)."""

    code = "provider_refused"


class UnknownPaymentMethod(InvalidInput):
    code = "unknown_payment_method"


def failure_error(payment) -> PaymentRefused:
    """The error to show for a failed payment (its stored failure code and message)."""
    cls = InsufficientFunds if payment.failure_code == "insufficient_funds" else PaymentDeclined
    return cls(payment.failure_message or "The payment was declined.", field="method")
