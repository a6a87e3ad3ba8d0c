"""Disposition rules: the cost of each option for a returned item, the proposal and its
explanation, and the returnless-refund rule. Pure functions over plain values; the only
database reads are in `facts()` / `returnless_reason()` at the bottom.

Every amount is in the order's market currency and priced by the market's ReturnPoint
tariff. The item's value is the order line's unit price × the returned quantity.

Returnless (decided at approval): sending it back costs the reverse label + the handling
fee; when that is more than `returnless_share` × the value, the buyer keeps it and is
refunded. Only reasons where the buyer is not at fault qualify (never "changed mind").

Options at inspection (the handling fee applies to every physical return):

    return_to_merchant  cost = handling + the item's share of the consolidated parcel
                        (parcel cost / items in the merchant's open consolidation at the
                        point, this one included, × its quantity) + per-kg × its kg;
                        recovery = value × RESTOCK_SHARE[grade]; always allowed
    resell_locally      cost = handling; recovery = value × RESALE_SHARE[grade];
                        only as new or opened
    liquidate           cost = handling; recovery = liquidation_share × value;
                        not for a defective item
    dispose             cost = handling + disposal fee; recovery 0; blocked for apparel
                        and footwear in EU markets from 2026-07-19 (ESPR, Reg. 2024/1781)
                        unless a derogation is recorded

net = recovery − cost. The proposal is the allowed option with the best net; a tie goes to
the first in PREFERENCE (keep goods in use before destroying them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import points
from .models import ReturnPoint, ReturnRequest
from .states import B2B_REASONS, Disposition, Grade

# Share of the value the merchant gets back by restocking what is returned to it.
RESTOCK_SHARE = {
    Grade.AS_NEW: Decimal("1.00"),  # sold again as new
    Grade.OPENED: Decimal("0.80"),  # repacked, sold as open box
    Grade.DAMAGED: Decimal("0"),  # repair or parts: nothing counted
    Grade.DEFECTIVE: Decimal("0"),  # the merchant's own analysis or claim
}
# Share of the value a local resale recovers (the platform sells it in the market).
RESALE_SHARE = {Grade.AS_NEW: Decimal("0.90"), Grade.OPENED: Decimal("0.70")}
# Grades a local resale accepts, and grades a liquidator refuses.
RESELLABLE = frozenset(RESALE_SHARE)
NOT_LIQUIDATED = frozenset({Grade.DEFECTIVE})
# Assumed weight of one unit when the SKU has no weight.
DEFAULT_UNIT_KG = Decimal("0.5")
# Reasons that may get a returnless refund: the buyer is not at fault.
RETURNLESS_REASONS = frozenset(B2B_REASONS)
# Tie-break: keep goods in use before destroying them.
PREFERENCE = (
    Disposition.RETURN_TO_MERCHANT,
    Disposition.RESELL_LOCALLY,
    Disposition.LIQUIDATE,
    Disposition.DISPOSE,
)
PHYSICAL = frozenset(PREFERENCE)

# EU ESPR (Regulation (EU) 2024/1781, art. 25): no destruction of unsold apparel,
# clothing accessories and footwear (returns included) from 19 July 2026.
ESPR_FROM = date(2026, 7, 19)
EU_MARKETS = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip
# Catalog categories are a free tree (name + slug): any word here in the category or one
# of its parents marks apparel or footwear; so do HS chapters 61, 62 (apparel) and 64
# (footwear).
APPAREL_WORDS = (
    "apparel",
    "clothing",
    "clothes",
    "garment",
    "fashion",
    "footwear",
    "shoe",
    "boot",
    "sneaker",
    "sandal",
)
APPAREL_HS_CHAPTERS = ("61", "62", "64")
MAX_RULE = 500
# Stored explanations are English (like the other rule texts); pages translate the labels.
NAMES = {
    Disposition.RETURN_TO_MERCHANT: "return to merchant",
    Disposition.RESELL_LOCALLY: "resell locally",
    Disposition.LIQUIDATE: "liquidate",
    Disposition.DISPOSE: "dispose",
    Disposition.RETURNLESS: "returnless refund",
}
GRADE_NAMES = {
    Grade.AS_NEW: "as new",
    Grade.OPENED: "opened",
    Grade.DAMAGED: "damaged",
    Grade.DEFECTIVE: "defective",
}


def money_text(amount: Decimal, currency: str) -> str:
    from tradelane.core.money import Money

    return Money(amount, currency).format("en")


def pct(share: Decimal) -> str:
    value = (Decimal(share) * 100).quantize(Decimal("0.01")).normalize()
    return f"{value:f}%"


def rounded(amount: Decimal, currency: str) -> Decimal:
    from tradelane.core.money import minor_units

    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tariff:
    """A return point's prices (market currency)."""

    currency: str
    reverse_label_cost: Decimal
    pickup_surcharge: Decimal
    handling_fee: Decimal
    consolidation_parcel_cost: Decimal
    consolidation_per_kg: Decimal
    liquidation_share: Decimal
    disposal_fee: Decimal
    returnless_share: Decimal

    @classmethod
    def of(cls, point: ReturnPoint) -> Tariff:
        return cls(
            currency=point.currency,
            reverse_label_cost=point.reverse_label_cost,
            pickup_surcharge=point.pickup_surcharge,
            handling_fee=point.handling_fee,
            consolidation_parcel_cost=point.consolidation_parcel_cost,
            consolidation_per_kg=point.consolidation_per_kg,
            liquidation_share=point.liquidation_share,
            disposal_fee=point.disposal_fee,
            returnless_share=point.returnless_share,
        )


@dataclass(frozen=True)
class Item:
    """What is returned: its value (unit price × quantity), weight and kind."""

    market: str
    currency: str
    reason: str
    quantity: int
    unit_price: Decimal
    unit_kg: Decimal | None = None
    apparel: bool = False

    @property
    def value(self) -> Decimal:
        return self.unit_price * self.quantity

    @property
    def kg(self) -> Decimal:
        return (self.unit_kg or DEFAULT_UNIT_KG) * self.quantity


@dataclass(frozen=True)
class Option:
    disposition: str
    cost: Decimal
    recovery: Decimal
    allowed: bool
    explanation: str
    needs_derogation: bool = False
    parts: dict = field(default_factory=dict)

    @property
    def net(self) -> Decimal:
        return self.recovery - self.cost

    def as_json(self) -> dict:
        return {
            "disposition": self.disposition,
            "cost": str(self.cost),
            "recovery": str(self.recovery),
            "net": str(self.net),
            "allowed": self.allowed,
            "needs_derogation": self.needs_derogation,
            "explanation": self.explanation,
        }


# --- returnless -----------------------------------------------------------------------------


def returnless(item: Item, tariff: Tariff) -> str | None:
    """The explanation when returning costs more than `returnless_share` of the value,
    for a reason where the buyer is not at fault; else None."""
    if item.reason not in RETURNLESS_REASONS or tariff.currency != item.currency:
        return None
    cost = tariff.reverse_label_cost + tariff.handling_fee
    threshold = tariff.returnless_share * item.value
    if cost <= threshold:
        return None
    c = item.currency
    return (
        f"Returning costs {money_text(cost, c)} "
        f"(label {money_text(tariff.reverse_label_cost, c)} + handling "
        f"{money_text(tariff.handling_fee, c)}), more than {pct(tariff.returnless_share)} of "
        f"its {money_text(item.value, c)} value ({money_text(threshold, c)}): "
        "refund without return."
    )


# --- options at inspection ------------------------------------------------------------------


def espr_blocks(item: Item, today: date) -> bool:
    """Destroying this item is forbidden (EU market, apparel or footwear, ESPR in force)."""
    return item.apparel and item.market in EU_MARKETS and today >= ESPR_FROM


def is_apparel(words: list[str], hs_code: str = "") -> bool:
    text = " ".join(w.lower() for w in words if w)
    if any(word in text for word in APPAREL_WORDS):
        return True
    return (hs_code or "")[:2] in APPAREL_HS_CHAPTERS


def options(
    *, grade: str, item: Item, tariff: Tariff, waiting_items: int, today: date
) -> list[Option]:
    """Each physical disposition with its cost, recovery and whether it is allowed.
    `waiting_items`: items already in the merchant's open consolidation at the point."""
    if grade not in Grade.values:
        raise ValueError(f"unknown grade {grade!r}")
    c = item.currency
    m = lambda amount: money_text(amount, c)  # noqa: E731
    r = lambda amount: rounded(amount, c)  # noqa: E731
    handling = r(tariff.handling_fee)
    value = item.value
    grade_label = GRADE_NAMES[grade]

    # return to the merchant, consolidated
    together = waiting_items + item.quantity
    share = r(tariff.consolidation_parcel_cost * item.quantity / together)
    weight = r(tariff.consolidation_per_kg * item.kg)
    kg_note = "" if item.unit_kg else f", {DEFAULT_UNIT_KG} kg per unit assumed"
    restock = r(value * RESTOCK_SHARE[grade])
    rtm = Option(
        Disposition.RETURN_TO_MERCHANT,
        cost=handling + share + weight,
        recovery=restock,
        allowed=True,
        explanation=(
            f"Handling {m(handling)} + {m(share)} share of the {m(tariff.consolidation_parcel_cost)}"
            f" consolidated parcel ({item.quantity} of {together} items) + {item.kg.normalize():f}"
            f" kg × {m(tariff.consolidation_per_kg)}/kg = {m(weight)}{kg_note}; the merchant"
            f" restocks it for {pct(RESTOCK_SHARE[grade])} of its {m(value)} value"
            f" ({grade_label}): {m(restock)}."
        ),
    )

    # resell locally
    if grade in RESELLABLE:
        resale = r(value * RESALE_SHARE[grade])
        resell = Option(
            Disposition.RESELL_LOCALLY,
            cost=handling,
            recovery=resale,
            allowed=True,
            explanation=(
                f"Sold in the market for {pct(RESALE_SHARE[grade])} of its {m(value)} value"
                f" ({grade_label}): {m(resale)}, minus handling {m(handling)}."
            ),
        )
    else:
        resell = Option(
            Disposition.RESELL_LOCALLY,
            cost=handling,
            recovery=Decimal(0),
            allowed=False,
            explanation=f"Only items graded as new or opened are resold ({grade_label}).",
        )

    # liquidate
    lot = r(value * tariff.liquidation_share)
    liquidate = Option(
        Disposition.LIQUIDATE,
        cost=handling,
        recovery=lot if grade not in NOT_LIQUIDATED else Decimal(0),
        allowed=grade not in NOT_LIQUIDATED,
        explanation=(
            f"A liquidator pays {pct(tariff.liquidation_share)} of its {m(value)} value:"
            f" {m(lot)}, minus handling {m(handling)}."
            if grade not in NOT_LIQUIDATED
            else "A defective item is not sold to liquidators."
        ),
    )

    # dispose
    fee = r(tariff.disposal_fee)
    blocked = espr_blocks(item, today)
    dispose = Option(
        Disposition.DISPOSE,
        cost=handling + fee,
        recovery=Decimal(0),
        allowed=not blocked,
        needs_derogation=blocked,
        explanation=(
            f"Handling {m(handling)} + disposal {m(fee)}; nothing recovered."
            + (
                " Blocked: the EU ESPR (Reg. 2024/1781) forbids destroying apparel and"
                f" footwear in {item.market} since {ESPR_FROM:%Y-%m-%d}; only with a"
                " recorded derogation (e.g. safety, irreparable damage)."
                if blocked
                else ""
            )
        ),
    )
    return [rtm, resell, liquidate, dispose]


def propose(opts: list[Option], currency: str) -> tuple[str, str]:
    """The allowed option with the best net (ties: PREFERENCE order), and why."""
    m = lambda amount: money_text(amount, currency)  # noqa: E731
    allowed = [o for o in opts if o.allowed]
    best = max(allowed, key=lambda o: (o.net, -PREFERENCE.index(o.disposition)))
    others = "; ".join(f"{NAMES[o.disposition]} {m(o.net)}" for o in allowed if o is not best)
    rule = (
        f"Proposed: {NAMES[best.disposition]}, the best net of the allowed options: "
        f"{m(best.net)} (recovery {m(best.recovery)} − cost {m(best.cost)})"
        + (f"; others: {others}" if others else "")
        + "."
    )
    blocked = [NAMES[o.disposition] for o in opts if not o.allowed]
    if blocked:
        rule += f" Not allowed: {', '.join(blocked)}."
    return best.disposition, rule[:MAX_RULE]


def find(opts: list[Option], disposition: str) -> Option | None:
    return next((o for o in opts if o.disposition == disposition), None)


# --- facts (database reads) -----------------------------------------------------------------


def item_of(request: ReturnRequest) -> Item:
    """The returned item's facts, from the order line, its SKU and category."""
    from tradelane.orders.models import OrderLine

    line = (
        OrderLine.objects.select_related("order", "sku__product__category__parent")
        .filter(pk=request.order_line_id)
        .get()
    )
    sku = line.sku
    unit_kg = sku.gross_weight_kg or sku.net_weight_kg
    words = []
    category = sku.product.category
    depth = 0
    while category is not None and depth < 10:
        words += [category.name, category.slug]
        category = category.parent
        depth += 1
    return Item(
        market=request.market_id,
        currency=line.order.currency,
        reason=request.reason,
        quantity=request.quantity,
        unit_price=line.unit_price,
        unit_kg=unit_kg,
        apparel=is_apparel(words, line.hs_code),
    )


def returnless_reason(request: ReturnRequest) -> str | None:
    """The explanation when sending this return back would cost more than the return
    point's `returnless_share` of its value (a returnless refund), else None (also for a
    reason where the buyer is at fault)."""
    if request.reason not in RETURNLESS_REASONS:
        return None
    point = points.return_point_for(request.market_id)
    return returnless(item_of(request), Tariff.of(point))
