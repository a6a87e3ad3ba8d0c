"""The built-in test provider: a faithful stand-in for a card processor.

Its "servers" are two tables (`SimulatedCharge`, `SimulatedRequest`), so it behaves the
same across processes and workers: it remembers every idempotency key and replays the
first answer, refuses to capture more than authorised or refund more than captured, and
fails on purpose by payment-method token:

| token | behaviour |
|---|---|
| `test_ok` | approves everything |
| `test_decline` | authorisation declined (`payment_declined`) |
| `test_insufficient_funds` | authorisation declined (`insufficient_funds`) |
| `test_slow` | approves, but answers after `PAYMENT_TEST_SLOW_SECONDS` (bounded by `MAX_SLOW_SECONDS`); past `PAYMENT_PROVIDER_TIMEOUT_SECONDS` the operation is done but the caller gets a timeout |
| `test_error` | never answers: every call raises `ProviderError` |
| `test_error_once` | the first attempt of every request raises `ProviderError`; a retry with the same key is answered |
| `test_refund_decline` | approves authorisation and capture, declines refunds |
| `test_refund_error` | approves authorisation and capture; refunds never answer |
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction

from tradelane.core.money import Money

from ..errors import UnknownPaymentMethod
from ..models import SimulatedCharge, SimulatedRequest
from .base import ProviderError, ProviderResult

METHODS = {
    "test_ok": "Approves",
    "test_decline": "Declines the authorisation",
    "test_insufficient_funds": "Declines: insufficient funds",
    "test_slow": "Approves after a delay",
    "test_error": "Provider unreachable",
    "test_error_once": "First attempt of each request fails, retries succeed",
    "test_refund_decline": "Declines refunds",
    "test_refund_error": "Refunds never answer",
}
DECLINES = {
    "test_decline": ("payment_declined", "The card issuer declined the payment."),
    "test_insufficient_funds": ("insufficient_funds", "The account has insufficient funds."),
}
MAX_SLOW_SECONDS = 10.0


def slow_seconds() -> float:
    default = 0.0 if getattr(settings, "TESTING", False) else 2.0
    value = float(getattr(settings, "PAYMENT_TEST_SLOW_SECONDS", default))
    return max(0.0, min(value, MAX_SLOW_SECONDS))


def timeout_seconds() -> float:
    return float(getattr(settings, "PAYMENT_PROVIDER_TIMEOUT_SECONDS", 5.0))


def wait(seconds: float) -> None:
    """The simulated network delay (an Event wait, not a sleep; tests may replace it)."""
    if seconds > 0:
        threading.Event().wait(seconds)


def _canonical(money: Money) -> str:
    """One spelling per amount ("60", not "60.00" or "60.0000"), for request hashes."""
    return format(money.amount.normalize(), "f")


def _declined(code: str, message: str) -> dict:
    return {"ok": False, "failure_code": code, "failure_message": message}


class TestProvider:
    __test__ = False  # not a pytest class
    name = "test"

    def check_method(self, method: str) -> None:
        if method not in METHODS:
            raise UnknownPaymentMethod(
                f"Unknown payment method {method!r} for the test provider.", field="method"
            )

    # --- the four calls ------------------------------------------------------------------
    def authorise(
        self, *, amount: Money, method: str, reference: str, idempotency_key: str
    ) -> ProviderResult:
        if method == "test_error" or method not in METHODS:
            raise ProviderError("test provider: connection refused")

        def effect() -> dict:
            if method in DECLINES:
                return _declined(*DECLINES[method])
            charge = SimulatedCharge.objects.create(
                ref=f"sim_ch_{secrets.token_hex(8)}",
                method=method,
                currency=amount.currency,
                amount=amount.amount,
            )
            return {"ok": True, "provider_ref": charge.ref, "amount": str(amount.amount)}

        params = {"amount": _canonical(amount), "currency": amount.currency, "method": method}
        return self._call(idempotency_key, "authorise", params, method, effect)

    def capture(self, *, provider_ref: str, amount: Money, idempotency_key: str) -> ProviderResult:
        method = self._method_of(provider_ref)

        def effect() -> dict:
            charge = SimulatedCharge.objects.select_for_update().filter(ref=provider_ref).first()
            if charge is None:
                return _declined("no_such_charge", "No such charge.")
            if charge.status != "authorised":
                return _declined("charge_not_capturable", f"The charge is {charge.status}.")
            if amount.currency != charge.currency or amount.amount > charge.amount:
                return _declined("amount_exceeds_authorised", "More than was authorised.")
            charge.captured, charge.status = amount.amount, "captured"
            charge.save(update_fields=["captured", "status"])
            return {"ok": True, "provider_ref": charge.ref, "amount": str(amount.amount)}

        params = {"ref": provider_ref, "amount": _canonical(amount), "currency": amount.currency}
        return self._call(idempotency_key, "capture", params, method, effect)

    def void(self, *, provider_ref: str, idempotency_key: str) -> ProviderResult:
        method = self._method_of(provider_ref)

        def effect() -> dict:
            charge = SimulatedCharge.objects.select_for_update().filter(ref=provider_ref).first()
            if charge is None:
                return _declined("no_such_charge", "No such charge.")
            if charge.status != "authorised":
                return _declined("charge_not_voidable", f"The charge is {charge.status}.")
            charge.status = "voided"
            charge.save(update_fields=["status"])
            return {"ok": True, "provider_ref": charge.ref}

        return self._call(idempotency_key, "void", {"ref": provider_ref}, method, effect)

    def refund(self, *, provider_ref: str, amount: Money, idempotency_key: str) -> ProviderResult:
        method = self._method_of(provider_ref)
        if method == "test_refund_error":
            raise ProviderError("test provider: refund service unavailable")

        def effect() -> dict:
            charge = SimulatedCharge.objects.select_for_update().filter(ref=provider_ref).first()
            if charge is None:
                return _declined("no_such_charge", "No such charge.")
            if method == "test_refund_decline":
                return _declined("refund_declined", "The provider declined the refund.")
            if charge.status != "captured":
                return _declined("charge_not_refundable", f"The charge is {charge.status}.")
            if amount.currency != charge.currency or charge.refunded + amount.amount > (
                charge.captured
            ):
                return _declined("refund_exceeds_captured", "More than the captured amount.")
            charge.refunded += amount.amount
            charge.save(update_fields=["refunded"])
            return {
                "ok": True,
                "provider_ref": f"sim_re_{secrets.token_hex(8)}",
                "amount": str(amount.amount),
            }

        params = {"ref": provider_ref, "amount": _canonical(amount), "currency": amount.currency}
        return self._call(idempotency_key, "refund", params, method, effect)

    # --- machinery -----------------------------------------------------------------------
    @staticmethod
    def _method_of(provider_ref: str) -> str:
        return (
            SimulatedCharge.objects.filter(ref=provider_ref)
            .values_list("method", flat=True)
            .first()
            or ""
        )

    def _call(
        self, key: str, operation: str, params: dict, method: str, effect: Callable[[], dict]
    ) -> ProviderResult:
        result = self._once(key, operation, params, method, effect)
        if method == "test_slow":
            delay, timeout = slow_seconds(), timeout_seconds()
            if delay > timeout:  # done on the provider's side, but the answer is lost
                wait(timeout)
                raise ProviderError(f"test provider: no answer within {timeout:g} s")
            wait(delay)
        return result

    def _once(
        self, key: str, operation: str, params: dict, method: str, effect: Callable[[], dict]
    ) -> ProviderResult:
        """Apply `effect` at most once per idempotency key and replay its answer."""
        digest = hashlib.sha256(
            json.dumps([operation, params], sort_keys=True).encode()
        ).hexdigest()
        fail_first = method == "test_error_once"
        try:
            with transaction.atomic():
                response = None if fail_first else effect()
                SimulatedRequest.objects.create(
                    idempotency_key=key, operation=operation, params_hash=digest, response=response
                )
        except IntegrityError:
            pass  # the key is known: replay or finish below
        else:
            if fail_first:
                raise ProviderError("test provider: connection reset (first attempt)")
            return ProviderResult.from_json(response)
        with transaction.atomic():
            row = SimulatedRequest.objects.select_for_update().get(idempotency_key=key)
            if row.operation != operation or row.params_hash != digest:
                return ProviderResult(
                    ok=False,
                    failure_code="idempotency_key_reused",
                    failure_message="This idempotency key was used for another request.",
                )
            if row.response is not None:
                return ProviderResult.from_json(row.response, replayed=True)
            row.response = effect()
            row.attempts += 1
            row.save(update_fields=["response", "attempts"])
            return ProviderResult.from_json(row.response)
