"""Cartons, chargeable weight, parcel limits and the shipping price of one tier."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from .inputs import Card, GoodsLine
from .records import maker

ZERO = Decimal(0)
ONE = Decimal(1)
PER_SHIPMENT = "per_shipment"


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
        per_carton = line.units_per_carton
        full, rest = divmod(line.quantity, per_carton)
        if full:
            groups.append(_group(index, full, per_carton, line.unit_gross_kg * per_carton, dims))
        if rest:
            groups.append(_group(index, 1, rest, line.unit_gross_kg * rest, dims))
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


@dataclass(frozen=True, slots=True)
class Parcels:
    """What every tier checks and prices, measured once per quote from the carton groups."""

    groups: tuple[CartonGroup, ...]
    shapes: tuple[tuple[Decimal, Decimal, int], ...]  # per group: (weight, volume cm³, count)
    cartons: int
    actual_kg: Decimal  # gross weight of every carton
    volume_cm3: Decimal  # of every carton
    max_weight_kg: Decimal  # the largest of each measure over the cartons
    max_side_cm: Decimal
    max_sum_of_sides_cm: Decimal
    max_length_plus_girth_cm: Decimal
    # per group: (grams, cm³ × 1000, count) as exact integers, or None when a weight or
    # volume has finer digits than that (then the tiers price in Decimal)
    grams: tuple[tuple[int, int, int], ...] | None = None


THOUSAND = Decimal(1000)


def _grams(shapes) -> tuple[tuple[int, int, int], ...] | None:
    out = []
    for weight, cube, count in shapes:
        grams, milli = weight * THOUSAND, cube * THOUSAND
        whole_grams, whole_milli = int(grams), int(milli)
        if whole_grams != grams or whole_milli != milli:
            return None
        out.append((whole_grams, whole_milli, count))
    return tuple(out)


def card_grams(card: Card) -> tuple | None:
    """The card's weights as whole grams (rounding, minimum, first weight, step, first band
    start or None), its divisor as an int and the price of a parcel up to the first weight
    (handling + first price), or None when a weight is finer than a gram."""
    values = [card.rounding_kg, card.min_billable_kg, card.first_kg, card.step_kg]
    if card.bands:
        values.append(card.bands[0][0])
    out = []
    for value in values:
        grams = value * THOUSAND
        if grams != int(grams):
            return None
        out.append(int(grams))
    divisor = card.volumetric_divisor
    if divisor is not None and divisor != int(divisor):
        return None
    if not card.bands:
        out.append(None)
    out.append(int(divisor) if divisor else None)
    out.append(card.handling_fee + card.first_price)
    return tuple(out)


def measure(groups: tuple[CartonGroup, ...]) -> Parcels:
    shaped = []
    cartons = 0
    actual = volume = heaviest = longest = widest = girthiest = ZERO
    for group in groups:
        length, width, height = group.dims
        count, weight = group.count, group.weight_kg
        cube = length * width * height
        shaped.append((weight, cube, count))
        cartons += count
        if count == 1:
            actual += weight
            volume += cube
        else:
            actual += weight * count
            volume += cube * count
        if weight > heaviest:
            heaviest = weight
        if length > longest:
            longest = length
        sides = length + width + height
        if sides > widest:
            widest = sides
        girth = sides + width + height  # L + 2W + 2H
        if girth > girthiest:
            girthiest = girth
    shaped = tuple(shaped)
    return _parcels(
        groups,
        shaped,
        cartons,
        actual,
        volume,
        heaviest,
        longest,
        widest,
        girthiest,
        _grams(shaped),
    )


def pack_and_measure(lines: tuple[GoodsLine, ...]) -> Parcels:
    """`measure(pack(lines))` in one pass: what a quote does once for all its tiers."""
    groups = []
    shaped = []
    grams: list | None = []
    cartons = 0
    actual = volume = heaviest = longest = widest = girthiest = ZERO
    for index, line in enumerate(lines):
        length, width, height = line.carton_cm
        if length < width:  # longest first (sorted() of three, unrolled)
            length, width = width, length
        if width < height:
            width, height = height, width
            if length < width:
                length, width = width, length
        dims = (length, width, height)
        cube = length * width * height
        sides = length + width + height
        girth = sides + width + height  # L + 2W + 2H
        if length > longest:
            longest = length
        if sides > widest:
            widest = sides
        if girth > girthiest:
            girthiest = girth
        unit_kg = line.unit_gross_kg
        if grams is not None:  # exact whole grams and cm³ × 1000, else Decimal pricing
            unit_g, milli = unit_kg * THOUSAND, cube * THOUSAND
            whole_g, whole_milli = int(unit_g), int(milli)
            if whole_g != unit_g or whole_milli != milli:
                grams = None
        per_carton = line.units_per_carton
        full, rest = divmod(line.quantity, per_carton)
        if full:  # the full cartons (unrolled: the partial one below is the same steps)
            weight = unit_kg * per_carton
            groups.append(_group(index, full, per_carton, weight, dims))
            shaped.append((weight, cube, full))
            if grams is not None:
                grams.append((whole_g * per_carton, whole_milli, full))
            cartons += full
            if full == 1:
                actual += weight
                volume += cube
            else:
                actual += weight * full
                volume += cube * full
            if weight > heaviest:
                heaviest = weight
        if rest:
            weight = unit_kg * rest
            groups.append(_group(index, 1, rest, weight, dims))
            shaped.append((weight, cube, 1))
            if grams is not None:
                grams.append((whole_g * rest, whole_milli, 1))
            cartons += 1
            actual += weight
            volume += cube
            if weight > heaviest:
                heaviest = weight
    return _parcels(
        tuple(groups),
        tuple(shaped),
        cartons,
        actual,
        volume,
        heaviest,
        longest,
        widest,
        girthiest,
        None if grams is None else tuple(grams),
    )


def price_tier(
    card: Card,
    lines: tuple[GoodsLine, ...],
    groups: tuple[CartonGroup, ...],
    postal_code: str,
    restricted_goods: bool = True,  # False: the caller knows no line is a battery/liquid/magnet
    parcels: Parcels | None = None,  # measure(groups), when the caller has it
    grams: tuple | None = None,  # card_grams(card), when the caller has it
) -> Shipping | Unavailable:
    """Per parcel (default): each carton priced on its own chargeable weight. Per shipment
    (`card.pricing_basis`): every carton checked against the parcel limits, then the
    cartons' chargeable weights (each the greater of actual and volumetric) summed, the
    minimum and rounding applied once, and the shipment priced once."""
    if restricted_goods and not (
        card.carries_battery and card.carries_liquid and card.carries_magnet
    ):
        refused = restricted(card, lines)
        if refused is not None:
            return refused
    parcels = parcels or measure(groups)
    max_sum = card.max_sum_of_sides_cm
    max_girth = card.max_length_plus_girth_cm
    if (
        parcels.max_weight_kg > card.max_weight_kg
        or parcels.max_side_cm > card.max_side_cm
        or (max_sum is not None and parcels.max_sum_of_sides_cm > max_sum)
        or (max_girth is not None and parcels.max_length_plus_girth_cm > max_girth)
    ):
        for group in groups:  # the first carton over a limit, and which limit
            refused = _over_limits(card, group)
            if refused is not None:
                return refused
    chargeable = transport = ZERO
    # chargeable_kg and parcel_price, inlined (this loop runs per carton group per tier)
    divisor = card.volumetric_divisor
    per_parcel = card.pricing_basis != PER_SHIPMENT
    exact = per_parcel and parcels.grams is not None
    if exact:
        grams = grams or card_grams(card)
        exact = grams is not None
    if exact:
        # the same arithmetic in exact whole grams (and cm³ × 1000): no Decimal division
        round_g, min_g, first_g, step_g, stepped_g, divisor_i, base_price = grams
        step_price = card.step_price
        # the transport is summed as whole counts: parcels at the base price, steps, and
        # the banded parcels' prices (the same value and exponent as adding each price)
        chargeable_g = parcels_n = steps_n = 0
        banded = None
        for weight_g, milli, count in parcels.grams:
            billed_g, over = weight_g, 0  # over: volumetric (milli / divisor) beats both
            if divisor_i and milli > weight_g * divisor_i and milli > min_g * divisor_i:
                over = divisor_i * round_g
            elif min_g > billed_g:
                billed_g = min_g
            units = -(-milli // over) if over else -(-billed_g // round_g)
            charge_g = units * round_g
            chargeable_g += charge_g * count
            if charge_g <= first_g:
                parcels_n += count
            elif stepped_g is None or charge_g <= stepped_g:
                parcels_n += count
                steps_n += -(-(charge_g - first_g) // step_g) * count
            else:
                price = parcel_price(card, Decimal(charge_g).scaleb(-3))
                banded = price * count if banded is None else banded + price * count
        if parcels_n:
            transport += base_price * parcels_n
            if steps_n:
                transport += step_price * steps_n
        if banded is not None:
            transport += banded
        chargeable = Decimal(chargeable_g).scaleb(-3)
    else:
        min_billable = card.min_billable_kg
        rounding = card.rounding_kg
        first_kg = card.first_kg
        step_kg = card.step_kg
        step_price = card.step_price
        base_price = card.handling_fee + card.first_price
        # up to the first band (if any), the price is the first weight plus whole steps
        stepped_to = card.bands[0][0] if card.bands else None
    for weight, volume, count in () if exact else parcels.shapes:
        billed = weight
        if divisor:
            vol = volume / divisor
            if vol > billed:
                billed = vol
        if not per_parcel:
            chargeable += billed * count
            continue
        if min_billable > billed:
            billed = min_billable
        charge = (billed / rounding).to_integral_value(ROUND_CEILING) * rounding
        if charge <= first_kg:
            price = base_price
        elif stepped_to is None or charge <= stepped_to:  # parcel_price, inlined
            steps = ((charge - first_kg) / step_kg).to_integral_value(ROUND_CEILING)
            price = base_price + steps * step_price
        else:
            price = parcel_price(card, charge)
        if count == 1:
            chargeable += charge
            transport += price
        else:
            chargeable += charge * count
            transport += price * count
    if not per_parcel:
        if min_billable > chargeable:
            chargeable = min_billable
        chargeable = (chargeable / rounding).to_integral_value(ROUND_CEILING) * rounding
        transport = parcel_price(card, chargeable)
    remote, remote_name = ZERO, ""
    for area in card.remote_areas:
        if area.pattern.match(postal_code):
            remote = area.per_kg * chargeable
            if remote < area.minimum:
                remote = area.minimum
            remote_name = area.name
            break
    fuel = (transport + remote) * card.fuel_rate
    volumetric = parcels.volume_cm3 / divisor if divisor else ZERO
    return _shipping(
        parcels.cartons,
        parcels.actual_kg,
        volumetric,
        chargeable,
        transport,
        remote,
        remote_name,
        fuel,
    )


_group, _shipping, _parcels = maker(CartonGroup), maker(Shipping), maker(Parcels)
