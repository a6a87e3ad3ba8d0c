"""The payment-provider adapter: the interface every provider implements, and the registry.

`settings.PAYMENT_PROVIDER` names the provider new payments use ("test" by default);
a payment remembers its provider, so later captures and refunds go to the same one.
`settings.PAYMENT_PROVIDERS` may map more names to dotted paths of provider classes.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import PaymentProvider, ProviderError, ProviderResult

BUILTIN = {"test": "tradelane.payments.providers.simulator.TestProvider"}

__all__ = ["PaymentProvider", "ProviderError", "ProviderResult", "default_name", "get_provider"]


def default_name() -> str:
    return getattr(settings, "PAYMENT_PROVIDER", "test")


def get_provider(name: str | None = None) -> PaymentProvider:
    name = name or default_name()
    registry = {**BUILTIN, **getattr(settings, "PAYMENT_PROVIDERS", {})}
    if name not in registry:
        raise LookupError(f"unknown payment provider {name!r}")
    return import_string(registry[name])()
