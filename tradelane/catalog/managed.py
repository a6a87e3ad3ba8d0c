"""Reads for fully-managed listings: the two models compared on one SKU, and the
operator's queue of supply prices awaiting (or carrying) a retail price."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import NotFound
from tradelane.core.money import Money

from .models import ManagedOffer, ManagedPriceChange, Price
from .selectors import get_sku
from .services.pricing import is_fully_managed


def _pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Comparison:
    """One market of one SKU under both models. Amounts in the market's currency.

    Semi-managed: the buyer pays `own_price` (the merchant's), the merchant keeps it.
    Fully-managed: the buyer pays `retail_price` (the platform's), the merchant gets
    `supply_price`, the platform keeps the difference. Margins over `unit_cost` when the
    merchant gave one."""

    market: str
    currency: str
    own_price: Decimal | None
    supply_price: Decimal | None
    retail_price: Decimal | None
    unit_cost: Decimal | None

    def money(self, value: Decimal | None) -> Money | None:
        return None if value is None else Money(value, self.currency)

    @property
    def shown(self) -> dict[str, Money | None]:
        """The amounts as Money, for templates."""
        names = ("own_price", "supply_price", "retail_price", "unit_cost")
        names += ("semi_margin", "full_margin", "platform_margin")
        return {name: self.money(getattr(self, name)) for name in names}

    @property
    def semi_margin(self) -> Decimal | None:
        if self.own_price is None or self.unit_cost is None:
            return None
        return self.own_price - self.unit_cost

    @property
    def semi_margin_pct(self) -> Decimal | None:
        return _pct(self.semi_margin, self.own_price)

    @property
    def full_margin(self) -> Decimal | None:
        if self.supply_price is None or self.unit_cost is None:
            return None
        return self.supply_price - self.unit_cost

    @property
    def full_margin_pct(self) -> Decimal | None:
        return _pct(self.full_margin, self.supply_price)

    @property
    def platform_margin(self) -> Decimal | None:
        if self.retail_price is None or self.supply_price is None:
            return None
        return self.retail_price - self.supply_price

    @property
    def platform_margin_pct(self) -> Decimal | None:
        return _pct(self.platform_margin, self.retail_price)

    @property
    def merchant_difference(self) -> Decimal | None:
        """What the merchant gets per unit semi-managed minus fully-managed."""
        if self.own_price is None or self.supply_price is None:
            return None
        return self.own_price - self.supply_price


def compare_models(*, actor: Actor, sku_id: int) -> tuple[object, bool, list[Comparison]]:
    """(sku, fully_managed?, one Comparison per market with a price or an offer).
    For a fully-managed merchant `own_price` is empty (its storefront price is the
    platform's). Four queries whatever the number of markets."""
    sku = get_sku(actor=actor, sku_id=sku_id)
    fully = is_fully_managed(actor.organisation)
    own: dict[str, Price] = {}
    if not fully:
        for price in Price.objects.filter(sku=sku, effective_from__lte=timezone.now()).order_by(
            "market_id", "-effective_from", "-id"
        ):
            own.setdefault(price.market_id, price)
    offers = {o.market_id: o for o in ManagedOffer.objects.filter(sku=sku)}
    rows = []
    for code in sorted(set(own) | set(offers)):
        price, offer = own.get(code), offers.get(code)
        rows.append(
            Comparison(
                market=code,
                currency=(price or offer).currency,
                own_price=price.unit_price if price else None,
                supply_price=offer.supply_price if offer else None,
                retail_price=offer.retail_price if offer else None,
                unit_cost=offer.unit_cost if offer else None,
            )
        )
    return sku, fully, rows


def list_offers(
    *, actor: Actor, market: str | None = None, pending_only: bool = False
) -> QuerySet[ManagedOffer]:
    """Operators: every managed offer (newest supply first), with SKU, product and
    merchant joined (one query per page)."""
    if actor is None or actor.kind != "operator":
        raise NotFound("Not found.")
    offers = ManagedOffer.objects.select_related(
        "sku", "sku__product", "sku__organisation", "sku__organisation__merchant_profile"
    ).order_by("-supply_set_at", "-id")
    if market:
        offers = offers.filter(market_id=market.upper())
    if pending_only:
        offers = offers.filter(retail_price__isnull=True)
    return offers


def get_offer(*, actor: Actor, offer_id: int) -> ManagedOffer:
    offer = list_offers(actor=actor).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound("No such offer.", field="offer_id")
    return offer


def offer_history(offer: ManagedOffer, *, limit: int = 50) -> QuerySet[ManagedPriceChange]:
    return offer.changes.select_related("actor").order_by("-created_at", "-id")[:limit]
