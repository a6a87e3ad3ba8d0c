"""The landed-cost use case: check the input, load the snapshot once, run the engine.

A read: nothing is written. API and pages both call `quote_landed_cost`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import timezone

from tradelane.core.errors import InvalidInput

from . import engine, selectors
from .engine.inputs import B2B, Buyer, GoodsLine, QuoteRequest, Warehouse
from .taxids import validate_tax_id


def quote_landed_cost(
    *,
    market: str,
    postal_code: str,
    lines: list[GoodsLine],
    buyer_kind: str = engine.B2C,
    buyer_tax_id: str | None = None,
    incoterm: str = engine.DDP,
    quoted_at: datetime | None = None,
    warehouse: Warehouse | None = None,
) -> engine.Quote:
    """Three tiers for explicit goods lines. Raises InvalidInput with the field at fault."""
    quoted_at = quoted_at or timezone.now()
    if quoted_at.tzinfo is None:
        raise InvalidInput("Give the time with its UTC offset.", field="quoted_at")
    warehouse = warehouse or Warehouse()
    if not warehouse.opening_weekdays:
        raise InvalidInput(
            "The warehouse needs at least one opening day.",
            field="origin_warehouse.opening_weekdays",
        )
    if not lines:
        raise InvalidInput("Give at least one goods line.", field="lines")
    if incoterm not in (engine.DDP, engine.DAP):
        raise InvalidInput("Incoterm must be DDP or DAP.", field="incoterm")
    on = quoted_at.astimezone(UTC).date()
    network = selectors.load_network(
        market=market,
        on=on,
        origin=warehouse.country,
        currencies={line.unit_value.currency for line in lines},
    )
    postal = (postal_code or "").strip()
    if network.postal_pattern is not None and not network.postal_pattern.match(postal):
        raise InvalidInput(
            f"{postal!r} is not a postal code of {network.market}.",
            field="destination.postal_code",
            code="invalid_postal_code",
        )
    tax_id = None
    if buyer_tax_id:
        tax_id = validate_tax_id(network.market, buyer_tax_id)
    elif buyer_kind == B2B and buyer_tax_id is not None:
        raise InvalidInput("Enter the buyer's tax id.", field="buyer_tax_id", code="invalid_tax_id")
    request = QuoteRequest(
        lines=tuple(lines),
        postal_code=postal,
        quoted_at=quoted_at,
        warehouse=warehouse,
        buyer=Buyer(buyer_kind, tax_id if buyer_kind == B2B else None),
        incoterm=incoterm,
    )
    return engine.quote(network, request)
