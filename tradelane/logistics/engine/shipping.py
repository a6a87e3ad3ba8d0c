"""Cartons, chargeable weight, parcel limits and the shipping price of one tier."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .inputs import Card, GoodsLine

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class CartonGroup:
    """`count` identical cartons of goods line `line`."""

    line: int
    count: int
    units: int  # per carton
    weight_kg: Decimal  # gross, per carton
    dims: tuple[Decimal, Decimal, Decimal]  # longest first


def pack(lines: tuple[GoodsLine, ...]) -> tuple[CartonGroup, ...]:
    """Full cartons of each line, plus one partial carton for the remainder."""
    groups = []
    for index, line in enumerate(lines):
        dims = tuple(sorted(line.carton_cm, reverse=True))
        full, rest = divmod(line.quantity, line.units_per_carton)
        if full:
            groups.append(
                CartonGroup(
                    index,
                    full,
                    line.units_per_carton,
                    line.unit_gross_kg * line.units_per_carton,
                    dims,
                )
            )
        if rest:
            groups.append(CartonGroup(index, 1, rest, line.unit_gross_kg * rest, dims))
    return tuple(groups)


@dataclass(frozen=True, slots=True)
class Unavailable:
    code: str  # over_max_weight | over_max_dimensions | restricted_goods | tier_not_offered
    message: str


@dataclass(frozen=True, slots=True)
class Shipping:
    cartons: int
    actual_kg: Decimal
    volumetric_kg: Decimal
    chargeable_kg: Decimal
    transport: Decimal  # card currency, full precision
    remote: Decimal
    remote_name: str
    fuel: Decimal


def restricted(card: Card, lines: tuple[GoodsLine, ...]) -> Unavailable | None:
    for index, line in enumerate(lines):
        for flag, carried, what in (
            (line.battery, card.carries_battery, "batteries"),
            (line.liquid, card.carries_liquid, "liquids"),
            (line.magnet, card.carries_magnet, "magnets"),
        ):
            if flag and not carried:
                return Unavailable(
                    "restricted_goods",
                    f"{card.tier.capitalize()} does not carry {what} (line {index + 1}).",
                )
    return None


def _over_limits(card: Card, group: CartonGroup) -> Unavailable | None:
    if group.weight_kg > card.max_weight_kg:
        return Unavailable(
            "over_max_weight",
            f"A carton of line {group.line + 1} weighs {group.weight_kg.normalize():f} kg; "
            f"{card.tier} takes at most {card.max_weight_kg.normalize():f} kg per parcel.",
        )
    length, width, height = group.dims
    if length > card.max_side_cm:
        return Unavailable(
            "over_max_dimensions",
            f"A carton of line {group.line + 1} is {length.normalize():f} cm long; {card.tier} "
            f"takes at most {card.max_side_cm.normalize():f} cm on the longest side.",
        )
    if card.max_sum_of_sides_cm is not None and length + width + height > card.max_sum_of_sides_cm:
        return Unavailable(
            "over_max_dimensions",
            f"A carton of line {group.line + 1} measures {(length + width + height).normalize():f} cm "
            f"L+W+H; {card.tier} takes at most {card.max_sum_of_sides_cm.normalize():f} cm.",
        )
    girth = length + 2 * (width + height)
    if card.max_length_plus_girth_cm is not None and girth > card.max_length_plus_girth_cm:
        return Unavailable(
            "over_max_dimensions",
            f"A carton of line {group.line + 1} measures {girth.normalize():f} cm length + girth; "
            f"{card.tier} takes at most {card.max_length_plus_girth_cm.normalize():f} cm.",
        )
    return None


def parcel_price(card: Card, chargeable: Decimal) -> Decimal:
    """Price of one parcel of `chargeable` kg (already rounded): never decreases with weight."""
    price = card.handling_fee + card.first_price
    if chargeable <= card.first_kg:
        return price
    stepped_to = card.bands[0][0] if card.bands else chargeable
    top = chargeable if chargeable < stepped_to else stepped_to
    if top > card.first_kg:
        steps = ((top - card.first_kg) / card.step_kg).to_integral_value(ROUND_CEILING)
        price += steps * card.step_price
    bands = card.bands
    for i, (start, per_kg) in enumerate(bands):
        if chargeable <= start:
            break
        end = bands[i + 1][0] if i + 1 < len(bands) else chargeable
        price += per_kg * ((chargeable if chargeable < end else end) - start)
    return price


def chargeable_kg(card: Card, group: CartonGroup) -> tuple[Decimal, Decimal]:
    """(volumetric, chargeable) kg of one carton of the group."""
    volumetric = ZERO
    if card.volumetric_divisor:
        length, width, height = group.dims
        volumetric = length * width * height / card.volumetric_divisor
    weight = group.weight_kg
    if volumetric > weight:
        weight = volumetric
    if card.min_billable_kg > weight:
        weight = card.min_billable_kg
    steps = (weight / card.rounding_kg).to_integral_value(ROUND_CEILING)
    return volumetric, steps * card.rounding_kg


def price_tier(
    card: Card,
    lines: tuple[GoodsLine, ...],
    groups: tuple[CartonGroup, ...],
    postal_code: str,
    restricted_goods: bool = True,  # False: the caller knows no line is a battery/liquid/magnet
) -> Shipping | Unavailable:
    if restricted_goods and not (
        card.carries_battery and card.carries_liquid and card.carries_magnet
    ):
        refused = restricted(card, lines)
        if refused is not None:
            return refused
    cartons = 0
    actual = volumetric = chargeable = transport = ZERO
    # chargeable_kg and parcel_price, inlined (this loop runs per carton group per tier)
    divisor = card.volumetric_divisor
    min_billable = card.min_billable_kg
    rounding = card.rounding_kg
    max_weight = card.max_weight_kg
    max_side = card.max_side_cm
    max_sum = card.max_sum_of_sides_cm
    max_girth = card.max_length_plus_girth_cm
    first_kg = card.first_kg
    base_price = card.handling_fee + card.first_price
    for group in groups:
        weight = group.weight_kg
        length, width, height = group.dims
        if (
            weight > max_weight
            or length > max_side
            or (max_sum is not None and length + width + height > max_sum)
            or (max_girth is not None and length + 2 * (width + height) > max_girth)
        ):
            return _over_limits(card, group)
        vol = length * width * height / divisor if divisor else ZERO
        billed = weight
        if vol > billed:
            billed = vol
        if min_billable > billed:
            billed = min_billable
        charge = (billed / rounding).to_integral_value(ROUND_CEILING) * rounding
        price = base_price if charge <= first_kg else parcel_price(card, charge)
        count = group.count
        cartons += count
        actual += weight * count
        volumetric += vol * count
        chargeable += charge * count
        transport += price * count
    remote, remote_name = ZERO, ""
    for area in card.remote_areas:
        if area.pattern.match(postal_code):
            remote = area.per_kg * chargeable
            if remote < area.minimum:
                remote = area.minimum
            remote_name = area.name
            break
    fuel = (transport + remote) * card.fuel_rate
    return Shipping(cartons, actual, volumetric, chargeable, transport, remote, remote_name, fuel)
