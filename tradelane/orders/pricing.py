"""What a set of (SKU, quantity) lines costs in a market, group by group: a read.

Lines are grouped by merchant and by the warehouse that ships them (the first of the
merchant's pickup warehouses holding the whole quantity, else one holding some, else its
first pickup warehouse for near-ready goods); each group is quoted once by the landed-cost
engine, for all three tiers. Prices are always the catalog's, in force now, with price
breaks applied: nothing a client sends is trusted.

Queries: market, the visible SKUs with their products and prices in force (one), stock per
warehouse (one), pickup warehouses (one per merchant), then the engine's network per group.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tradelane.catalog import search as catalog_search
from tradelane.catalog import selectors as catalog
from tradelane.core.errors import DomainError, InvalidInput, NotFound
from tradelane.core.money import Money
from tradelane.logistics import engine, quoting, sku_quotes
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

MAX_QUANTITY = 1_000_000
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class LineRequest:
    sku_id: int
    quantity: int


@dataclass(slots=True)
class PlannedLine:
    index: int  # position in the request (errors name `lines[index]`)
    sku: object
    price: object
    quantity: int
    unit_price: Money
    available: int  # in the group's warehouse

    @property
    def line_total(self) -> Money:
        return (self.unit_price * self.quantity).rounded()

    @property
    def short(self) -> int:
        """Units missing in the shipping warehouse (0 when the quantity is there)."""
        return max(0, self.quantity - self.available)


@dataclass(slots=True)
class Group:
    merchant_id: int
    merchant_name: str
    warehouse: object
    lines: list[PlannedLine] = field(default_factory=list)
    quote: engine.Quote | None = None
    error: DomainError | None = None  # why the group could not be quoted

    @property
    def key(self) -> str:
        return f"{self.merchant_id}:{self.warehouse.pk}"

    def tier(self, name: str) -> engine.TierQuote | None:
        if self.quote is None:
            return None
        return next((t for t in self.quote.tiers if t.tier == name), None)

    @property
    def goods_total(self) -> Money:
        total = Money(0, self.lines[0].unit_price.currency)
        for line in self.lines:
            total = total + line.line_total
        return total


@dataclass(slots=True)
class Plan:
    market: object
    groups: list[Group]

    @property
    def currency(self) -> str:
        return self.market.currency


def check_quantity(price, quantity: int, field: str) -> None:
    """A whole, bounded number of units the price in force sells (MOQ, increment)."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput("Give a whole number of units, 1 or more.", field=field)
    if quantity > MAX_QUANTITY:
        raise InvalidInput(f"At most {MAX_QUANTITY:,} units per line.", field=field)
    catalog.check_order_quantity(price, quantity, field=field)


def market_or_error(code: str, field: str = "market"):
    try:
        return markets.get_market(code)
    except NotFound:
        raise InvalidInput(f"No market {code!r}.", field=field, code="unknown_market") from None


def plan(
    *,
    market,  # a market code or a Market already read
    lines: list[LineRequest],
    postal_code: str | None = None,
    buyer_kind: str = engine.B2B,
    buyer_tax_id: str | None = None,
    incoterm: str = engine.DDP,
    quoted_at: datetime | None = None,
    strict: bool = True,
) -> Plan:
    """Group and price `lines`. With `strict`, the first problem raises (checkout); without,
    a quote problem is kept on its group (the cart page shows it) — unknown SKUs and bad
    quantities raise either way, naming `lines[i]`."""
    if not lines:
        raise InvalidInput("The order has no lines.", field="lines", code="empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"At most {MAX_LINES} lines.", field="lines")
    market_obj = market_or_error(market) if isinstance(market, str) else market
    code = market_obj.code
    seen: set[int] = set()
    for i, line in enumerate(lines):
        if line.sku_id in seen:
            raise InvalidInput(
                "This SKU is already on another line.", field=f"lines[{i}].sku_id", code="duplicate"
            )
        seen.add(line.sku_id)
    sold = catalog_search.priced_skus(code, [line.sku_id for line in lines], in_stock_only=False)
    stock = catalog.available_by_warehouse(list(seen))
    pickups: dict[int, list] = {}
    groups: dict[tuple[int, int], Group] = {}
    for i, line in enumerate(lines):
        sku, price = sold[line.sku_id]
        check_quantity(price, line.quantity, f"lines[{i}].quantity")
        if sku.organisation_id not in pickups:
            pickups[sku.organisation_id] = list(
                merchants.list_pickup_warehouses(sku.organisation_id)
            )
        available = stock.get(sku.pk, {})
        warehouse = sku_quotes.origin_warehouse(
            pickups[sku.organisation_id], line.quantity, available, i
        )
        group = groups.get((sku.organisation_id, warehouse.pk))
        if group is None:
            group = groups[(sku.organisation_id, warehouse.pk)] = Group(
                merchant_id=sku.organisation_id,
                merchant_name=sku.organisation.name,
                warehouse=warehouse,
            )
        group.lines.append(
            PlannedLine(
                index=i,
                sku=sku,
                price=price,
                quantity=line.quantity,
                unit_price=price.unit_price_for(line.quantity),
                available=available.get(warehouse.pk, 0),
            )
        )
    postal = postal_code if postal_code is not None else market_obj.postal_code_example
    for group in groups.values():
        try:
            group.quote = quoting.quote_landed_cost(
                market=code,
                postal_code=postal,
                lines=[
                    sku_quotes.goods_line(line.sku, line.unit_price, line.quantity)
                    for line in group.lines
                ],
                buyer_kind=buyer_kind,
                buyer_tax_id=buyer_tax_id,
                incoterm=incoterm,
                quoted_at=quoted_at,
                warehouse=sku_quotes.engine_warehouse(group.warehouse),
            )
        except DomainError as error:
            if strict:
                raise
            group.error = error
    return Plan(market=market_obj, groups=list(groups.values()))
