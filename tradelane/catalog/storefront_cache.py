"""A short-lived cache of storefront listing and search results (the API endpoint's JSON
and the page's result list).

The rule: what the storefront *displays* may be up to `STOREFRONT_CACHE_SECONDS` (a few
seconds) stale — a new price, a sold-out SKU or a newly listed product shows after at most
that long. That is safe because nothing is sold from these numbers: checkout re-prices every
line from the catalog itself (`search.priced_skus`, exact to the instant), refuses what is
no longer sold or in stock, and asks the buyer's consent when the price differs from the
one in the cart. Product pages read the source tables and are not cached.

The key is (kind, market, normalised query parameters, language, audience). Every member
sees the same storefront of a market today (no per-buyer prices or assortments), so the
audience is "member": a cached entry is only ever read after the view's access rule has
admitted the caller (`@allow` runs first), and a future per-viewer view (buyer-specific
prices, merchant previews) must put what differs into `audience`. Only successful results
are stored; errors (unknown market, bad parameters) are computed each time.

The backend is Django's cache alias "storefront" (config/settings.py: Redis when
`CACHE_URL` is set, else per-process memory). `STOREFRONT_CACHE_SECONDS = 0` turns it off.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from .search import normalise_query

T = TypeVar("T")
ALIAS = "storefront"
VERSION = "v2"  # bump when the cached shape changes
AUDIENCE_MEMBER = "member"


def key_for(
    *,
    kind: str,
    market: str,
    params: Mapping,
    language: str,
    audience: str = AUDIENCE_MEMBER,
) -> str:
    """The cache key of one storefront result. `params` are the parsed query parameters
    (None and "" are the same: absent); `q` is normalised; the order does not matter."""
    parts = []
    for name in sorted(params):
        value = params[name]
        if name == "q":
            value = normalise_query(value)
        if value is None or value == "":
            continue
        parts.append(f"{name}={value}")
    raw = "\x1f".join([kind, market.upper(), language or "", audience, *parts])
    return f"store:{VERSION}:" + hashlib.sha256(raw.encode()).hexdigest()


def timeout() -> int:
    return max(0, int(getattr(settings, "STOREFRONT_CACHE_SECONDS", 0)))


# Single flight per process: when an entry is missing, one thread computes it and the
# others asking for the same key wait for that result instead of all computing it at once
# (a popular page expiring under load). Striped locks: no per-key bookkeeping to clean up.
_LOCKS = [threading.Lock() for _ in range(64)]


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value cached under `key`, else `compute()` stored for `timeout()` seconds.
    With the cache off, always `compute()` (no cache round trip)."""
    seconds = timeout()
    if not seconds:
        return compute()
    cache = caches[ALIAS]
    value = cache.get(key)
    if value is None:
        with _LOCKS[hash(key) % len(_LOCKS)]:
            value = cache.get(key)  # computed by the thread that held the lock
            if value is None:
                value = compute()
                cache.set(key, value, seconds)
    return value
