"""Markets and FX endpoints: thin — parse, authorise, call one service/selector."""

from datetime import date
from typing import Annotated

from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import OPERATOR_ADMIN, PUBLIC, SIGNED_IN, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId
from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money, validate_currency

from . import selectors, services
from .schemas import (
    CURRENCY,
    DAY,
    ConversionOut,
    EndIn,
    FeeIn,
    FeeOut,
    FxRateIn,
    FxRateOut,
    LaunchIn,
    MarketDetailOut,
    MarketOut,
    MarketPatchIn,
    MoneyIn,
    RegimeOut,
    StatusIn,
    TaxRegimeIn,
)
from .states import MarketStatus

router = Router(tags=["markets"])
MarketCode = Path(..., pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, e.g. DE")


def _day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid date.", field=field) from None


def _money_in(value: MoneyIn | dict | None, field: str) -> Money | None:
    if value is None:
        return None
    data = value if isinstance(value, dict) else value.model_dump()
    currency = validate_currency(data["currency"], field=f"{field}.currency")
    return Money.of(data["amount"], currency)


def _detail(market) -> dict:
    return MarketDetailOut.of(
        market,
        selectors.get_tax_regime(market),
        selectors.list_tax_regimes(market),
        selectors.list_all_fees(market),
    )


@router.get("/markets", auth=None, response={200: list[MarketOut], **ERRORS}, summary="All markets")
@allow(PUBLIC)
def list_markets(request, status: MarketStatus | None = None):
    """Every market with its currency, status and the tax regime in force today."""
    return [MarketOut.of(m, m.regime) for m in selectors.list_markets_with_regime(status)]


@router.get(
    "/markets/{code}", auth=None, response={200: MarketDetailOut, **ERRORS}, summary="One market"
)
@allow(PUBLIC)
def get_market(request, code: str = MarketCode):
    """A market with all its tax regimes and fees (past, current and scheduled)."""
    return _detail(selectors.get_market(code))


@router.patch("/markets/{code}", response={200: MarketDetailOut, **ERRORS}, summary="Edit a market")
@allow(OPERATOR_ADMIN)
def update_market(request, payload: MarketPatchIn, code: str = MarketCode):
    fields = payload.model_dump(exclude_unset=True)
    for key, value in fields.items():
        if value is None and key != "display_decimals":
            raise InvalidInput("This field cannot be null.", field=key)
    market = services.update_market(actor=current_actor(request), code=code.upper(), **fields)
    return _detail(market)


@router.post(
    "/markets/{code}/launch",
    response={200: MarketDetailOut, **ERRORS},
    summary="Make a market live",
)
@allow(OPERATOR_ADMIN)
def launch_market(request, payload: LaunchIn, code: str = MarketCode):
    market = services.launch_market(
        actor=current_actor(request), code=code.upper(), note=payload.note
    )
    return _detail(market)


@router.post(
    "/markets/{code}/status",
    response={200: MarketDetailOut, **ERRORS},
    summary="Change a market's status",
)
@allow(OPERATOR_ADMIN)
def change_status(request, payload: StatusIn, code: str = MarketCode):
    market = services.change_market_status(
        actor=current_actor(request),
        code=code.upper(),
        status=payload.status,
        note=payload.note,
    )
    return _detail(market)


@router.get("/fx-rates", response={200: list[FxRateOut], **ERRORS}, summary="FX rates")
@allow(SIGNED_IN)
@paginate(Pagination)
def list_fx_rates(
    request,
    base: Annotated[str | None, Query(pattern=CURRENCY)] = None,
    quote: Annotated[str | None, Query(pattern=CURRENCY)] = None,
    as_of: Annotated[str | None, Query(pattern=DAY, description="YYYY-MM-DD")] = None,
    source: Annotated[str | None, Query(max_length=40)] = None,
):
    """Newest first. 1 `base` = `rate` `quote`."""
    rows = selectors.list_fx_rates(
        base=base, quote=quote, as_of=_day(as_of, "as_of"), source=source
    )
    return [FxRateOut.of(row) for row in rows]


@router.post(
    "/fx-rates", response={200: FxRateOut, 201: FxRateOut, **ERRORS}, summary="Set an FX rate"
)
@allow(OPERATOR_ADMIN)
def set_fx_rate(request, payload: FxRateIn):
    """Create (201) or replace (200) the rate for base, quote, day and source.

    Accepts `Idempotency-Key`: a retry returns the first result.
    """
    data = payload.model_dump()
    try:
        as_of = date.fromisoformat(data["as_of"])
    except ValueError:
        raise InvalidInput("as_of is not a valid date.", field="as_of") from None

    def action():
        row, created = services.set_fx_rate(
            actor=current_actor(request),
            base=data["base"],
            quote=data["quote"],
            rate=data["rate"],
            as_of=as_of,
            source=data["source"],
        )
        return (201 if created else 200), FxRateOut.of(row) | {"as_of": row.as_of.isoformat()}

    status, body = idempotency.run(
        request, operation="markets.set_fx_rate", payload=data, action=action
    )
    return Status(status, body)


@router.get("/fx/convert", response={200: ConversionOut, **ERRORS}, summary="Convert an amount")
@allow(SIGNED_IN)
def convert(
    request,
    amount: Annotated[str, Query(pattern=r"^-?\d{1,15}(\.\d{1,8})?$")],
    from_currency: Annotated[str, Query(alias="from", pattern=CURRENCY)],
    to_currency: Annotated[str, Query(alias="to", pattern=CURRENCY)],
    on: Annotated[
        str | None,
        Query(pattern=DAY, description="YYYY-MM-DD; default today: the latest rate on or before"),
    ] = None,
):
    """Converts at the latest rate on or before `on` and returns the rate used (id, source, date)."""
    money = Money.of(amount, from_currency)
    return ConversionOut.of(selectors.convert(money, to_currency, on=_day(on, "on")))


# --- tax regimes and fees --------------------------------------------------------------------


@router.post(
    "/markets/{code}/tax-regimes",
    response={201: RegimeOut, **ERRORS},
    summary="Add a tax regime",
)
@allow(OPERATOR_ADMIN)
def add_tax_regime(request, payload: TaxRegimeIn, code: str = MarketCode):
    """Add an effective-dated regime. An overlapping period is refused with 422
    `overlapping_period` and nothing is written; `close_open` first ends the open-ended
    regime that started earlier. Accepts `Idempotency-Key`.
    """
    data = payload.model_dump()
    args = {
        **data,
        "effective_from": _day(data["effective_from"], "effective_from"),
        "effective_to": _day(data["effective_to"], "effective_to"),
        **{
            key: _money_in(data[key], key)
            for key in ("duty_de_minimis", "tax_de_minimis", "collect_at_sale_threshold")
        },
    }

    def action():
        regime = services.add_tax_regime(actor=current_actor(request), code=code.upper(), **args)
        return 201, _json(RegimeOut, RegimeOut.of(regime))

    status, body = idempotency.run(
        request,
        operation="markets.add_tax_regime",
        payload={"code": code.upper(), **data},
        action=action,
    )
    return Status(status, body)


@router.post(
    "/markets/{code}/tax-regimes/{regime_id}/end",
    response={200: RegimeOut, **ERRORS},
    summary="End a tax regime",
)
@allow(OPERATOR_ADMIN)
def end_tax_regime(request, payload: EndIn, code: str = MarketCode, regime_id: int = RowId):
    """Bring the end of a regime forward to `effective_to` (exclusive), which must be after
    today: days that have begun keep their rules (422 `end_in_past`)."""
    regime = services.end_tax_regime(
        actor=current_actor(request),
        code=code.upper(),
        regime_id=regime_id,
        effective_to=_day(payload.effective_to, "effective_to"),
    )
    return RegimeOut.of(regime)


@router.post("/markets/{code}/fees", response={201: FeeOut, **ERRORS}, summary="Add a fee")
@allow(OPERATOR_ADMIN)
def add_fee(request, payload: FeeIn, code: str = MarketCode):
    """Add an effective-dated fixed fee. A fee of the same name may not overlap in time
    (422 `overlapping_period`, nothing written). Accepts `Idempotency-Key`."""
    data = payload.model_dump()
    args = {
        **data,
        "amount": _money_in(data["amount"], "amount"),
        "max_consignment": _money_in(data["max_consignment"], "max_consignment"),
        "effective_from": _day(data["effective_from"], "effective_from"),
        "effective_to": _day(data["effective_to"], "effective_to"),
    }

    def action():
        fee = services.add_fee(actor=current_actor(request), code=code.upper(), **args)
        return 201, _json(FeeOut, FeeOut.of(fee))

    status, body = idempotency.run(
        request, operation="markets.add_fee", payload={"code": code.upper(), **data}, action=action
    )
    return Status(status, body)


@router.post(
    "/markets/{code}/fees/{fee_id}/end", response={200: FeeOut, **ERRORS}, summary="End a fee"
)
@allow(OPERATOR_ADMIN)
def end_fee(request, payload: EndIn, code: str = MarketCode, fee_id: int = RowId):
    """Bring the end of a fee forward to `effective_to` (exclusive), after today."""
    fee = services.end_fee(
        actor=current_actor(request),
        code=code.upper(),
        fee_id=fee_id,
        effective_to=_day(payload.effective_to, "effective_to"),
    )
    return FeeOut.of(fee)


def _json(schema, data: dict) -> dict:
    """The body as JSON-ready values, so a replayed response is identical to the first."""
    return schema.model_validate(data).model_dump(mode="json")
