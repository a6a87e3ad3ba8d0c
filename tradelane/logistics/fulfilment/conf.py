"""Fulfilment settings, each overridable in Django settings or the environment.

- `FULFILMENT_CLOCK_SPEED`: simulated hours pass this many times faster than real time
  (1 = real time; the demo uses 3600: one simulated hour per second).
- `FULFILMENT_AUTO_PICKUP`: the simulated carrier's driver collects and scans parcels by
  itself at the planned pickup (the demo); off, the merchant's scan hands them over.
- `FULFILMENT_CARRIER_SECRETS`: {carrier: secret} for signed inbound webhooks.
- `FULFILMENT_WEBHOOK_TOLERANCE`: seconds a webhook's timestamp may differ from now.
"""

from __future__ import annotations

import os

from django.conf import settings


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def clock_speed() -> float:
    value = getattr(settings, "FULFILMENT_CLOCK_SPEED", None)
    if value is None:
        value = _env("FULFILMENT_CLOCK_SPEED", "3600" if settings.DEBUG else "1")
    return max(float(value), 1.0)


def auto_pickup() -> bool:
    value = getattr(settings, "FULFILMENT_AUTO_PICKUP", None)
    if value is None:
        value = _env("FULFILMENT_AUTO_PICKUP", "1" if settings.DEBUG else "0") in ("1", "true")
    return bool(value)


def carrier_secrets() -> dict[str, str]:
    secrets = getattr(settings, "FULFILMENT_CARRIER_SECRETS", None)
    if secrets is None:
        secrets = {"simulated": _env("FULFILMENT_SIMULATED_SECRET", "")}
        if not secrets["simulated"] and (settings.DEBUG or settings.TESTING):
            secrets["simulated"] = "simulated-carrier-dev-secret"
    return {name: secret for name, secret in secrets.items() if secret}


def webhook_tolerance() -> int:
    return int(getattr(settings, "FULFILMENT_WEBHOOK_TOLERANCE", 300))
