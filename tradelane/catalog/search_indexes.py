"""PostgreSQL: one full-text index of the storefront read model per market.

Every market's sellable listings have their own partial GIN index on `search_vector`
(`catalog_listing_search_us … WHERE market_id = 'US' AND sellable`). A search word is then
looked up among that market's listings alone; with one index over all markets (market as
a btree_gin key) PostgreSQL intersected the word's posting list with the market's — at
1M SKUs × 6 markets, 16 ms of a 23 ms query for "charger" against 4.5 ms here
(bench/README.md). Queries name the market as a literal (Django binds parameters on the
client), so the planner matches each partial index's predicate.

Every market gets its index from catalog migration 0007 and, for a market added later
(`manage.py load_markets`), from the next `migrate` (the post_migrate hook in apps.py; a
deploy runs migrate). Outside a transaction the index is built CONCURRENTLY, so writes to
the listings go on meanwhile. Nothing here on SQLite (search there is a substring match).
"""

from __future__ import annotations

import re

PREFIX = "catalog_listing_search_"
_CODE = re.compile(r"^[A-Z]{2}$")


def index_name(code: str) -> str:
    return PREFIX + code.lower()


def create_statement(code: str, *, concurrently: bool = False) -> str:
    """The DDL of one market's index. The code is checked (two capital letters) before it
    is written into the statement: DDL takes no parameters."""
    if not _CODE.match(code):
        raise ValueError(f"not a market code: {code!r}")
    how = "CONCURRENTLY " if concurrently else ""
    return (
        f"CREATE INDEX {how}IF NOT EXISTS {index_name(code)} ON catalog_listing "
        f"USING gin (search_vector) WHERE market_id = '{code}' AND sellable"
    )


def missing(cursor) -> list[str]:
    """Codes of the markets whose index does not exist yet."""
    cursor.execute(
        "SELECT code FROM markets_market WHERE NOT EXISTS (SELECT 1 FROM pg_indexes "
        "WHERE tablename = 'catalog_listing' AND indexname = %s || lower(code)) ORDER BY code",
        [PREFIX],
    )
    return [code for (code,) in cursor.fetchall()]


def ensure(connection) -> list[str]:
    """Create the index of every market that has none; returns their codes. CONCURRENTLY
    when called outside a transaction. A no-op on other databases."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        codes = missing(cursor)
        for code in codes:
            cursor.execute(create_statement(code, concurrently=not connection.in_atomic_block))
    return codes
