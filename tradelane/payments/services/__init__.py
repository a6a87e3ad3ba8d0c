"""Payment writes. Provider calls run outside transactions; see each function's docstring."""

from .payments import (
    authorise_payment,
    capture_payment,
    create_payment,
    provider_key,
    void_payment,
)
from .refunds import refund_key, refund_payment, resume_refund

__all__ = [
    "authorise_payment",
    "capture_payment",
    "create_payment",
    "provider_key",
    "refund_key",
    "refund_payment",
    "resume_refund",
    "void_payment",
]
