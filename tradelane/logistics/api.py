"""Landed-cost quotes and the network tables: thin — parse, authorise, call, map errors."""

from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ninja import Router, Status
from ninja.pagination import paginate

from tradelane.core.access import ANY_MEMBER, OPERATOR_ADMIN, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId
from tradelane.core.errors import InvalidInput

from . import quoting, selectors, services, sku_quotes
from .engine import Warehouse
from .schemas import (
    DutyRateIn,
    DutyRateOut,
    EndIn,
    LandedCostIn,
    LandedCostOut,
    QuoteIn,
    RateCardOut,
    RateCardRevisionIn,
    goods_line,
    quoted_at,
)

router = Router(tags=["logistics"])


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid date.", field=field) from None


def _warehouse(payload) -> Warehouse | None:
    if payload is None:
        return None
    try:
        ZoneInfo(payload.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {payload.time_zone!r}.", field="origin_warehouse.time_zone"
        ) from None
    days = set(payload.opening_weekdays)
    if not days <= set(range(7)):
        raise InvalidInput(
            "Weekdays are 0 (Monday) to 6.", field="origin_warehouse.opening_weekdays"
        )
    return Warehouse(
        country=payload.country,
        time_zone=payload.time_zone,
        opening_weekdays=frozenset(days),
        pickup_cutoff=time.fromisoformat(payload.pickup_cutoff),
    )


@router.post(
    "/landed-cost",
    response={200: LandedCostOut, **ERRORS},
    summary="Landed cost and delivery window in three tiers",
)
@allow(ANY_MEMBER)
def landed_cost(request, payload: LandedCostIn):
    """Price explicit goods lines to a destination in Economy, Standard and Premium at once.

    Each tier: cartons, actual / volumetric / chargeable weight, shipping, duties, taxes,
    fees, the total and the promised delivery window, with a breakdown whose lines name
    their rule and as-of date and sum exactly to the total in the market currency. A tier
    that cannot carry the goods is unavailable with its reason. Refused (422, with field):
    unknown market or unsupported lane (`destination.market`), a postal code not of the
    market (`destination.postal_code`), an invalid tax id (`buyer_tax_id`).
    """
    lines = [goods_line(line, i) for i, line in enumerate(payload.lines)]
    quote = quoting.quote_landed_cost(
        market=payload.destination.market,
        postal_code=payload.destination.postal_code,
        lines=lines,
        buyer_kind=payload.buyer_type,
        buyer_tax_id=payload.buyer_tax_id,
        incoterm=payload.incoterm,
        quoted_at=quoted_at(payload.quoted_at),
        warehouse=_warehouse(payload.origin_warehouse),
    )
    return LandedCostOut.of(quote)


@router.post(
    "/quotes",
    response={200: LandedCostOut, **ERRORS},
    summary="Delivered cost of catalog SKUs in three tiers",
)
@allow(ANY_MEMBER)
def quote(request, payload: QuoteIn):
    """Price SKU lines to a destination in Economy, Standard and Premium at once.

    The server computes everything: each line's customs value is the SKU's price in force
    in the destination market for that quantity (price breaks applied, market currency);
    weights, cartons, HS code, origin and restricted-goods flags come from the SKU; the
    origin is the merchant's pickup warehouse holding the stock (near-ready lead times
    count in the pickup date). The response has the shape of `POST /landed-cost`.
    Refused: a SKU not sold in the market (404, `lines[i].sku_id`); a quantity below the
    MOQ or off its steps (422, `lines[i].quantity`); SKUs shipping from different
    merchants or warehouses (422 `mixed_origins`, `lines[i].sku_id`: one origin per
    quote); and everything `/landed-cost` refuses (market, postal code, tax id).
    """
    result = sku_quotes.quote_skus(
        market=payload.destination.market,
        postal_code=payload.destination.postal_code,
        lines=[sku_quotes.SkuLine(line.sku_id, line.quantity) for line in payload.lines],
        buyer_kind=payload.buyer_type,
        buyer_tax_id=payload.buyer_tax_id,
        incoterm=payload.incoterm,
    )
    return LandedCostOut.of(result)


@router.get(
    "/logistics/rate-cards",
    response={200: list[RateCardOut], **ERRORS},
    summary="Rate cards (operators)",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def list_rate_cards(
    request, market: str | None = None, tier: str | None = None, on: str | None = None
):
    """Every version of every card; filter by destination market, tier, or the day in force."""
    cards = selectors.list_rate_cards(market=market, tier=tier, on=_day(on, "on"))
    return [RateCardOut.of(card) for card in cards]  # a few dozen rows per lane set


@router.get(
    "/logistics/rate-cards/{card_id}",
    response={200: RateCardOut, **ERRORS},
    summary="One rate card (operators)",
)
@allow(OPERATOR_MEMBER)
def get_rate_card(request, card_id: int = RowId):
    return RateCardOut.of(selectors.get_rate_card(card_id))


@router.post(
    "/logistics/rate-cards/{card_id}/revisions",
    response={201: RateCardOut, **ERRORS},
    summary="Revise a rate card from a future day (operator admins; audited)",
)
@allow(OPERATOR_ADMIN)
def revise_rate_card(request, payload: RateCardRevisionIn, card_id: int = RowId):
    data = payload.model_dump(exclude_unset=True)
    effective_from = _day(data.pop("effective_from"), "effective_from")
    note = data.pop("note", "")
    card = services.revise_rate_card(
        actor=current_actor(request),
        card_id=card_id,
        effective_from=effective_from,
        changes=data,
        note=note,
    )
    return Status(201, RateCardOut.of(card))


@router.get(
    "/logistics/duty-rates",
    response={200: list[DutyRateOut], **ERRORS},
    summary="Duty rates (operators)",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def list_duty_rates(
    request, market: str | None = None, hs: str | None = None, on: str | None = None
):
    """Filter by market, by HS code (rows whose prefix matches it) or the day in force."""
    rates = selectors.list_duty_rates(market=market, hs=hs, on=_day(on, "on"))
    return [DutyRateOut.of(row) for row in rates]


@router.post(
    "/logistics/duty-rates",
    response={201: DutyRateOut, **ERRORS},
    summary="Add a duty rate from a future day (operator admins; audited)",
)
@allow(OPERATOR_ADMIN)
def add_duty_rate(request, payload: DutyRateIn):
    data = payload.model_dump()
    data["effective_from"] = _day(data["effective_from"], "effective_from")
    data["effective_to"] = _day(data["effective_to"], "effective_to")
    row = services.add_duty_rate(actor=current_actor(request), **data)
    return Status(201, DutyRateOut.of(row))


@router.post(
    "/logistics/duty-rates/{rate_id}/end",
    response={200: DutyRateOut, **ERRORS},
    summary="End a duty rate on a future day (operator admins; audited)",
)
@allow(OPERATOR_ADMIN)
def end_duty_rate(request, payload: EndIn, rate_id: int = RowId):
    row = services.end_duty_rate(
        actor=current_actor(request),
        rate_id=rate_id,
        effective_to=_day(payload.effective_to, "effective_to"),
    )
    return DutyRateOut.of(row)
