"""What a payment provider must offer: four calls, each with an idempotency key.

A call returns a `ProviderResult` when the provider answered (approved or declined) and
raises `ProviderError` when it did not (unreachable, timeout, 5xx): then nobody knows
whether the operation happened, so the caller records nothing final and retries later with
the same idempotency key, which the provider must honour by replaying its first answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from tradelane.core.money import Money


class ProviderError(Exception):
    """No answer from the provider (transport failure); safe to retry with the same key."""


@dataclass(frozen=True)
class ProviderResult:
    ok: bool
    provider_ref: str = ""
    amount: Decimal | None = None
    failure_code: str = ""
    failure_message: str = ""
    replayed: bool = False
    raw: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "provider_ref": self.provider_ref,
            "amount": None if self.amount is None else str(self.amount),
            "failure_code": self.failure_code,
            "failure_message": self.failure_message,
        }

    @classmethod
    def from_json(cls, data: dict, *, replayed: bool = False) -> ProviderResult:
        amount = data.get("amount")
        return cls(
            ok=bool(data["ok"]),
            provider_ref=data.get("provider_ref", ""),
            amount=None if amount is None else Decimal(amount),
            failure_code=data.get("failure_code", ""),
            failure_message=data.get("failure_message", ""),
            replayed=replayed,
            raw=data,
        )


class PaymentProvider(Protocol):
    name: str

    def check_method(self, method: str) -> None:
        """Raise `UnknownPaymentMethod` for a token this provider cannot charge."""

    def authorise(
        self, *, amount: Money, method: str, reference: str, idempotency_key: str
    ) -> ProviderResult: ...

    def capture(
        self, *, provider_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult: ...

    def void(self, *, provider_ref: str, idempotency_key: str) -> ProviderResult: ...

    def refund(
        self, *, provider_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult: ...
