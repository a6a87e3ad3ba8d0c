"""Return rates (reads only): per SKU for its merchant, per merchant and per top-level
catalog category for operators.

Definition — the return rate over a period (the last 30, 90 or 365 days; 90 by default,
optionally in one market) is

    units returned ÷ units delivered

- **units delivered**: the quantities of the order lines of orders delivered in the period
  (`Order.delivered_at` inside it; the order delivered or completed);
- **units returned**: the quantities of return requests created in the period that were
  not cancelled or denied (every other status counts, `requested` included: the buyer
  has said those units are coming back).

Each side is counted by its own date, so a return of an item delivered before the period
counts in it; a rate can therefore exceed 100%. With no unit delivered in the period the
rate is undefined: `None`, shown "—", never a division error.

Every list is aggregated in the database with GROUP BY (correlated subqueries per row for
the paginated lists): a page costs a constant number of queries whatever its rows — one to
count, one for the page, one for the page's top reasons. Categories are reference data:
their tree is read once and each category folded into its top-level ancestor.

Tenancy: a merchant sees only its own SKUs (another merchant's id is a 404); merchants and
categories across the platform are for operators only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tradelane.accounts.models import Organisation, OrganisationKind
from tradelane.catalog.models import Category, Sku
from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.markets.models import Market
from tradelane.orders.models import OrderLine
from tradelane.orders.states import OrderStatus

from .models import ReturnRequest
from .states import Reason, ReturnStatus

PERIODS = (30, 90, 365)
DEFAULT_PERIOD = 90
# Requests in these statuses send nothing back: they do not count as returned.
NOT_RETURNED = (ReturnStatus.CANCELLED, ReturnStatus.DENIED)
DELIVERED = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
TOP_REASONS = 3
SORTS = ("rate", "returned", "delivered", "name")
DEFAULT_SORT = "rate"
UNCATEGORISED = _("Uncategorised")


# --- parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The period (and market) a rate is computed over: [since, until]."""

    days: int
    since: datetime
    until: datetime
    market: str | None = None


def window(*, period=None, market: str | None = None, now: datetime | None = None) -> Window:
    """Validate the period (30, 90 or 365 days; default 90) and the market (an existing
    market code, or none for all markets).

    Raises InvalidInput (422) naming `period` or `market`."""
    if period in (None, ""):
        days = DEFAULT_PERIOD
    else:
        try:
            days = int(str(period).strip())
        except ValueError:
            days = None
        if days not in PERIODS:
            raise InvalidInput(
                "The period is 30, 90 or 365 days.", field="period", code="invalid_period"
            )
    code = (market or "").strip().upper() or None
    if code is not None and not Market.objects.filter(pk=code).exists():
        raise InvalidInput(f"Unknown market {market!r}.", field="market", code="unknown_market")
    until = now or timezone.now()
    return Window(days=days, since=until - timedelta(days=days), until=until, market=code)


def check_sort(sort: str | None) -> str:
    """rate (highest first), returned / delivered (most units first) or name (A→Z).

    Raises InvalidInput (422) naming `sort`."""
    sort = sort or DEFAULT_SORT
    if sort not in SORTS:
        raise InvalidInput(
            "Sort by rate, returned, delivered or name.", field="sort", code="invalid_sort"
        )
    return sort


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    units: int

    @property
    def label(self) -> str:
        return str(Reason(self.reason).label)


@dataclass
class RateRow:
    """One SKU, merchant or category: units delivered and returned in the window."""

    key: int | None
    label: str
    delivered: int
    returned: int
    code: str = ""  # the SKU code
    merchant_id: int | None = None
    merchant_name: str = ""
    reasons: list[ReasonCount] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """returned ÷ delivered as a fraction to 0.1% (0.125 = 12.5%); None without
        deliveries."""
        if not self.delivered:
            return None
        return (Decimal(self.returned) / Decimal(self.delivered)).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP
        )

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent (12.5), None without deliveries."""
        rate = self.rate
        return None if rate is None else (rate * 100).quantize(Decimal("0.1"))

    @property
    def top_reasons(self) -> list[ReasonCount]:
        return self.reasons[:TOP_REASONS]


def _rank(reasons: dict[str, int]) -> list[ReasonCount]:
    """Most units first, then the reason code: a stable order."""
    ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return [ReasonCount(reason=r, units=n) for r, n in ranked if n > 0]


class RateRows:
    """A lazily evaluated list of `RateRow`s over an annotated queryset. Pagination counts
    it (one query) and slices it: a slice is one query for its rows and one for their
    reasons, whatever its length."""

    def __init__(
        self,
        queryset: QuerySet,
        make_row: Callable[[object], RateRow],
        reasons_for: Callable[[list], dict],
    ):
        self.queryset = queryset
        self.make_row = make_row
        self.reasons_for = reasons_for

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            rows = self[item : item + 1]
            if not rows:
                raise IndexError(item)
            return rows[0]
        rows = [self.make_row(obj) for obj in self.queryset[item]]
        if rows:
            reasons = self.reasons_for([row.key for row in rows])
            for row in rows:
                row.reasons = _rank(reasons.get(row.key, {}))
        return rows


# --- the two sides --------------------------------------------------------------------------


def _delivered(w: Window) -> QuerySet[OrderLine]:
    lines = OrderLine.objects.order_by().filter(
        order__status__in=DELIVERED,
        order__delivered_at__gte=w.since,
        order__delivered_at__lte=w.until,
    )
    return lines.filter(order__market_id=w.market) if w.market else lines


def _returned(w: Window) -> QuerySet[ReturnRequest]:
    requests = (
        ReturnRequest.objects.order_by()
        .filter(created_at__gte=w.since, created_at__lte=w.until)
        .exclude(status__in=NOT_RETURNED)
    )
    return requests.filter(market_id=w.market) if w.market else requests


def _units(queryset: QuerySet, by: str) -> Coalesce:
    """The units of `queryset` whose `by` is the outer row: a correlated GROUP BY."""
    return Coalesce(
        Subquery(
            queryset.filter(**{by: OuterRef("pk")})
            .values(by)
            .annotate(units=Sum("quantity"))
            .values("units")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
        output_field=IntegerField(),
    )


def _reasons(queryset: QuerySet, by: str, keys: Sequence) -> dict:
    out: dict = defaultdict(dict)
    rows = (
        queryset.filter(**{f"{by}__in": keys})
        .values(by, "reason")
        .annotate(units=Sum("quantity"))
        .order_by()
    )
    for row in rows:
        out[row[by]][row["reason"]] = row["units"]
    return out


RATE = Case(
    When(
        delivered__gt=0,
        then=Cast(F("returned"), FloatField()) / Cast(F("delivered"), FloatField()),
    ),
    default=Value(None, output_field=FloatField()),
    output_field=FloatField(),
)


def _ordered(queryset: QuerySet, sort: str, name: str) -> QuerySet:
    """Annotated (delivered, returned) rows with any activity, in the asked order."""
    queryset = queryset.filter(Q(delivered__gt=0) | Q(returned__gt=0)).annotate(rate=RATE)
    order = {
        "rate": [F("rate").desc(nulls_last=True), F("returned").desc()],
        "returned": [F("returned").desc(), F("rate").desc(nulls_last=True)],
        "delivered": [F("delivered").desc(), F("rate").desc(nulls_last=True)],
        "name": [],
    }[sort]
    return queryset.order_by(*order, name, "pk")


# --- per SKU --------------------------------------------------------------------------------


def _merchant_scope(actor: Actor, merchant_id: int | None) -> int | None:
    """The merchant whose SKUs the actor may read: its own for a merchant (another id is a
    404), any (or all, None) for an operator."""
    if actor is not None and actor.kind == "merchant" and actor.organisation_id:
        if merchant_id not in (None, actor.organisation_id):
            raise NotFound("No such merchant.", field="merchant")
        return actor.organisation_id
    if actor is not None and actor.is_operator:
        if (
            merchant_id is not None
            and not Organisation.objects.filter(
                pk=merchant_id, kind=OrganisationKind.MERCHANT
            ).exists()
        ):
            raise NotFound("No such merchant.", field="merchant")
        return merchant_id
    raise NotFound("No such merchant.", field="merchant")


def sku_rates(
    *, actor: Actor, window: Window, merchant_id: int | None = None, sort: str = DEFAULT_SORT
) -> RateRows:
    """Return rate per SKU with units delivered or returned in the window: a merchant's
    own SKUs; for an operator, one merchant's (`merchant_id`) or every merchant's.

    Raises NotFound (404, field `merchant`) for another merchant's id or an unknown one,
    InvalidInput (422, field `sort`) for an unknown sort."""
    sort = check_sort(sort)
    scope = _merchant_scope(actor, merchant_id)
    skus = Sku.objects.select_related("product", "organisation")
    if scope is not None:
        skus = skus.filter(organisation_id=scope)
    skus = skus.annotate(
        delivered=_units(_delivered(window), "sku_id"),
        returned=_units(_returned(window), "order_line__sku_id"),
    )
    language = get_language()

    def make(sku) -> RateRow:
        return RateRow(
            key=sku.pk,
            code=sku.code,
            label=sku.product.localized("title", language),
            delivered=sku.delivered,
            returned=sku.returned,
            merchant_id=sku.organisation_id,
            merchant_name=sku.organisation.name,
        )

    return RateRows(
        _ordered(skus, sort, "code"),
        make,
        lambda keys: _reasons(_returned(window), "order_line__sku_id", keys),
    )


# --- per merchant (operators) ---------------------------------------------------------------


def _operator_only(actor: Actor) -> None:
    if actor is None or not actor.is_operator:
        raise NotFound("Not found.")


def merchant_rates(*, actor: Actor, window: Window, sort: str = DEFAULT_SORT) -> RateRows:
    """Return rate per merchant with units delivered or returned in the window (operators).

    Raises InvalidInput (422, field `sort`); NotFound for anyone but an operator."""
    _operator_only(actor)
    sort = check_sort(sort)
    merchants = Organisation.objects.filter(kind=OrganisationKind.MERCHANT).annotate(
        delivered=_units(_delivered(window), "order__merchant_id"),
        returned=_units(_returned(window), "merchant_id"),
    )

    def make(org) -> RateRow:
        return RateRow(
            key=org.pk,
            label=org.name,
            delivered=org.delivered,
            returned=org.returned,
            merchant_id=org.pk,
            merchant_name=org.name,
        )

    return RateRows(
        _ordered(merchants, sort, "name"),
        make,
        lambda keys: _reasons(_returned(window), "merchant_id", keys),
    )


# --- per top-level category (operators) -----------------------------------------------------


def top_level_categories() -> dict[int, Category]:
    """Every category id → its top-level ancestor (one query; cycles end the walk)."""
    categories = {c.pk: c for c in Category.objects.only("id", "name", "parent_id")}
    roots: dict[int, Category] = {}
    for pk, category in categories.items():
        seen = {pk}
        node = category
        while node.parent_id is not None and node.parent_id in categories:
            if node.parent_id in seen:
                break
            seen.add(node.parent_id)
            node = categories[node.parent_id]
        roots[pk] = node
    return roots


def category_rates(*, actor: Actor, window: Window, sort: str = DEFAULT_SORT) -> list[RateRow]:
    """Return rate per top-level catalog category (a SKU's product's category folded into
    its root; SKUs without one under "Uncategorised", key None), operators only. Four
    queries: the tree, deliveries, returns and reasons, each grouped by category.

    Raises InvalidInput (422, field `sort`); NotFound for anyone but an operator."""
    _operator_only(actor)
    sort = check_sort(sort)
    roots = top_level_categories()

    def root_of(category_id):
        root = roots.get(category_id)
        return (root.pk, root.name) if root else (None, str(UNCATEGORISED))

    rows: dict = {}

    def row(category_id) -> RateRow:
        key, label = root_of(category_id)
        if key not in rows:
            rows[key] = RateRow(key=key, label=label, delivered=0, returned=0)
        return rows[key]

    delivered_by = "sku__product__category_id"
    for item in _delivered(window).values(delivered_by).annotate(units=Sum("quantity")):
        row(item[delivered_by]).delivered += item["units"]
    returned_by = "order_line__sku__product__category_id"
    for item in _returned(window).values(returned_by).annotate(units=Sum("quantity")):
        row(item[returned_by]).returned += item["units"]
    reasons: dict = defaultdict(lambda: defaultdict(int))
    for item in (
        _returned(window).values(returned_by, "reason").annotate(units=Sum("quantity")).order_by()
    ):
        reasons[root_of(item[returned_by])[0]][item["reason"]] += item["units"]
    out = [r for r in rows.values() if r.delivered or r.returned]
    for r in out:
        r.reasons = _rank(reasons.get(r.key, {}))
    return sort_rows(out, sort)


def sort_rows(rows: list[RateRow], sort: str) -> list[RateRow]:
    """The same orders as the database lists: rate (none last), units, or name."""

    def by_rate(r):
        return (r.rate is None, -(r.rate or 0), -r.returned, r.label.casefold())

    keys = {
        "rate": by_rate,
        "returned": lambda r: (-r.returned, r.rate is None, -(r.rate or 0), r.label.casefold()),
        "delivered": lambda r: (-r.delivered, r.rate is None, -(r.rate or 0), r.label.casefold()),
        "name": lambda r: (r.label.casefold(), r.key or 0),
    }
    return sorted(rows, key=keys[sort])
