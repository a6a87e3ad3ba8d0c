"""Platform return points: one per market (a processing point, not a stock warehouse),
seeded by migration 0004 and created lazily from `seed.return_point_default` for a market
that has none. Each holds the tariff, in the market's currency, that prices reverse labels
and every disposition option; operator admins edit it (`set_tariff`, audited)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import Forbidden, InvalidInput, NotFound
from tradelane.core.money import minor_units
from tradelane.markets.models import Market

from .models import ReturnPoint
from .seed import return_point_default


def return_point_for(market: str) -> ReturnPoint:
    """The market's return point; a market without one gets the seeded default (created
    once: concurrent callers end with the same row)."""
    code = (market or "").upper()
    point = ReturnPoint.objects.filter(market_id=code).first()
    if point is not None:
        return point
    market_obj = Market.objects.filter(code=code).first()
    if market_obj is None:
        raise NotFound("No such market.", field="market")
    try:
        with transaction.atomic():
            point, _ = ReturnPoint.objects.get_or_create(
                market=market_obj,
                defaults=return_point_default(code, market_obj.currency, market_obj.name),
            )
    except IntegrityError:  # another transaction created it first
        point = ReturnPoint.objects.get(market_id=code)
    return point


def list_return_points() -> QuerySet[ReturnPoint]:
    """Every market's return point (markets without one get the seeded default first)."""
    missing = Market.objects.exclude(code__in=ReturnPoint.objects.values("market_id"))
    for code in missing.values_list("code", flat=True):
        return_point_for(code)
    return ReturnPoint.objects.select_related("market").order_by("market_id")


def get_return_point(market: str) -> ReturnPoint:
    code = (market or "").upper()
    if not Market.objects.filter(code=code).exists():
        raise NotFound("No such market.", field="market")
    return return_point_for(code)


AMOUNT_FIELDS = (
    "reverse_label_cost",
    "pickup_surcharge",
    "handling_fee",
    "consolidation_parcel_cost",
    "consolidation_per_kg",
    "disposal_fee",
)
SHARE_FIELDS = {  # field: (lowest exclusive?, lowest, highest)
    "liquidation_share": (False, Decimal(0), Decimal(1)),
    "returnless_share": (True, Decimal(0), Decimal(5)),
}
TEXT_FIELDS = {"name": 120, "city": 80, "postal_code": 20}
MAX_AMOUNT = Decimal("100000000")
MAX_ADDRESS_LINES = 4


def _amount(value, field: str, currency: str) -> Decimal:
    if isinstance(value, bool | float) or value is None:
        raise InvalidInput('An amount as a string, e.g. "7.50".', field=field)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{value!r} is not an amount.", field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise InvalidInput(f"From 0 to {MAX_AMOUNT:,} {currency}.", field=field)
    digits = minor_units(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        raise InvalidInput(f"At most {digits} decimals in {currency}.", field=field)
    return amount


def _share(value, field: str) -> Decimal:
    exclusive, low, high = SHARE_FIELDS[field]
    if isinstance(value, bool | float) or value is None:
        raise InvalidInput('A fraction as a string, e.g. "0.5".', field=field)
    try:
        share = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{value!r} is not a number.", field=field) from None
    too_low = share <= low if exclusive else share < low
    if not share.is_finite() or too_low or share > high:
        bound = "above" if exclusive else "from"
        raise InvalidInput(f"A fraction {bound} {low} up to {high}.", field=field)
    if share != share.quantize(Decimal("0.0001")):
        raise InvalidInput("At most 4 decimals.", field=field)
    return share


def _text(value, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput("Text.", field=field)
    value = value.strip()
    required = field != "postal_code"
    if required and not value:
        raise InvalidInput("Required.", field=field, code="required")
    if len(value) > TEXT_FIELDS[field]:
        raise InvalidInput(f"At most {TEXT_FIELDS[field]} characters.", field=field)
    return value


def _address_lines(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("Address lines, as text.", field="address")
    lines = [v.strip() for v in value if v.strip()]
    if not lines:
        raise InvalidInput("At least one address line.", field="address", code="required")
    if len(lines) > MAX_ADDRESS_LINES or any(len(v) > 80 for v in lines):
        raise InvalidInput(
            f"At most {MAX_ADDRESS_LINES} lines of at most 80 characters.", field="address"
        )
    return lines


@transaction.atomic
def set_tariff(*, actor: Actor, market: str, changes: dict) -> ReturnPoint:
    """An operator admin edits a market's return point: its name and address, and the
    tariff (amounts in the point's currency, shares as fractions). Only the fields given
    change. Locks the row; audited (`returns.return_point_changed`). Refuses with a 422
    naming the field: an unknown field, a negative or over-precise amount, a share out
    of range; 403 for anyone but an operator admin; 404 for an unknown market."""
    if actor is None or not actor.is_operator or actor.role != "admin":
        raise Forbidden("Only operator admins edit return points.")
    point = get_return_point(market)
    point = ReturnPoint.objects.select_for_update().get(pk=point.pk)
    values = {}
    for field, value in changes.items():
        if field in AMOUNT_FIELDS:
            values[field] = _amount(value, field, point.currency)
        elif field in SHARE_FIELDS:
            values[field] = _share(value, field)
        elif field in TEXT_FIELDS:
            values[field] = _text(value, field)
        elif field == "address":
            values[field] = _address_lines(value)
        else:
            raise InvalidInput("Unknown field.", field=field)
    if not values:
        raise InvalidInput("Nothing to change.", field="body", code="required")
    before = {field: getattr(point, field) for field in values}
    for field, value in values.items():
        setattr(point, field, value)
    point.updated_at = timezone.now()
    point.save()
    record_audit(
        actor=actor,
        action="returns.return_point_changed",
        target=point,
        summary=f"return point of {point.market_id}",
        changes=diff(before, values),
    )
    return point
