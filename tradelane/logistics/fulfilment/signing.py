"""Inbound carrier webhooks are signed: HMAC-SHA256 over `<timestamp>.<raw body>` with the
carrier's shared secret, sent as `X-Carrier-Timestamp` (Unix seconds) and
`X-Carrier-Signature: sha256=<hex>`. A timestamp outside the tolerance window is refused,
so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-Carrier-Timestamp"
SIGNATURE_HEADER = "X-Carrier-Signature"


class Unsigned(Exception):
    """No signature, or one that does not match."""


class Stale(Exception):
    """Signed, but the timestamp is outside the tolerance window (or not a number)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = str(int(timestamp)).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    *,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: int = 300,
) -> None:
    """Raise Unsigned or Stale; return None when the request is authentic and fresh."""
    if not signature or not timestamp:
        raise Unsigned("missing signature")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise Stale("timestamp is not Unix seconds")
    if not hmac.compare_digest(sign(secret, int(timestamp), body), signature.strip()):
        raise Unsigned("signature does not match")
    if abs(now - int(timestamp)) > tolerance:
        raise Stale("timestamp outside the tolerance window")
