"""Rate cards and duty rates: revise, add, end — effective-dated, never retroactive.

A revision starts tomorrow at the earliest: days that have begun keep the figures that
quoted them. Each write locks the row(s) it changes, checks under the lock, and audits.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import Conflict, InvalidInput
from tradelane.core.money import to_decimal, validate_currency
from tradelane.markets.models import Confidence
from tradelane.markets.services import bump_reference_version

from .. import seed
from ..models import DutyProgram, DutyRate, Lane, PricingBasis, RateCard

DECIMALS = {
    "handling_fee": (Decimal(0), Decimal(100000), False),
    "first_kg": (Decimal("0.001"), Decimal(1000), False),
    "first_price": (Decimal(0), Decimal(100000), False),
    "step_kg": (Decimal("0.001"), Decimal(1000), False),
    "step_price": (Decimal(0), Decimal(100000), False),
    "min_billable_kg": (Decimal(0), Decimal(1000), False),
    "rounding_kg": (Decimal("0.001"), Decimal(100), False),
    "fuel_surcharge_rate": (Decimal(0), Decimal(1), False),
    "max_weight_kg": (Decimal("0.001"), Decimal(100000), False),
    "max_side_cm": (Decimal("0.1"), Decimal(10000), False),
    "max_sum_of_sides_cm": (Decimal("0.1"), Decimal(10000), True),
    "max_length_plus_girth_cm": (Decimal("0.1"), Decimal(10000), True),
}
INTEGERS = {
    "volumetric_divisor": (1000, 20000, True),
    "transit_min_days": (0, 120, False),
    "transit_max_days": (0, 120, False),
}
BOOLEANS = ("carries_battery", "carries_liquid", "carries_magnet")
TEXTS = {"product_name": 120, "source_note": 5000}
EDITABLE_CARD_FIELDS = (
    *DECIMALS,
    *INTEGERS,
    *BOOLEANS,
    *TEXTS,
    "currency",
    "bands",
    "remote_areas",
    "confidence",
    "pricing_basis",
)


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def _decimal(value, field: str, low: Decimal, high: Decimal) -> Decimal:
    number = to_decimal(value, field=field)
    if number < low or number > high:
        raise InvalidInput(f"Must be between {low} and {high}.", field=field)
    return number


def _clean_bands(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidInput("Bands are a list of at most 20 {from_kg, per_kg}.", field="bands")
    out = []
    for i, band in enumerate(value):
        if not isinstance(band, dict) or set(band) != {"from_kg", "per_kg"}:
            raise InvalidInput("Each band has from_kg and per_kg.", field=f"bands[{i}]")
        start = _decimal(band["from_kg"], f"bands[{i}].from_kg", Decimal("0.001"), Decimal(100000))
        per_kg = _decimal(band["per_kg"], f"bands[{i}].per_kg", Decimal(0), Decimal(100000))
        out.append({"from_kg": str(start), "per_kg": str(per_kg)})
    starts = [Decimal(b["from_kg"]) for b in out]
    if starts != sorted(set(starts)):
        raise InvalidInput("Band starts must be distinct and ascending.", field="bands")
    return out


def _clean_remote(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > 20:
        raise InvalidInput("At most 20 remote areas.", field="remote_areas")
    out = []
    keys = {"name", "pattern", "per_kg", "minimum"}
    for i, area in enumerate(value):
        if not isinstance(area, dict) or set(area) != keys:
            raise InvalidInput(f"Each area has {sorted(keys)}.", field=f"remote_areas[{i}]")
        name, pattern = str(area["name"]).strip(), str(area["pattern"])
        if not name or len(name) > 100 or not pattern or len(pattern) > 300:
            raise InvalidInput("Name and pattern are required.", field=f"remote_areas[{i}]")
        try:
            re.compile(pattern)
        except re.error:
            raise InvalidInput(
                f"{pattern!r} is not a valid pattern.", field=f"remote_areas[{i}].pattern"
            ) from None
        out.append(
            {
                "name": name,
                "pattern": pattern,
                "per_kg": str(
                    _decimal(
                        area["per_kg"], f"remote_areas[{i}].per_kg", Decimal(0), Decimal(10000)
                    )
                ),
                "minimum": str(
                    _decimal(
                        area["minimum"], f"remote_areas[{i}].minimum", Decimal(0), Decimal(100000)
                    )
                ),
            }
        )
    return out


def _clean_card_changes(changes: dict) -> dict:
    clean = {}
    for field, value in changes.items():
        if field not in EDITABLE_CARD_FIELDS:
            raise InvalidInput(f"{field} cannot be changed.", field=field)
        if field in DECIMALS:
            low, high, nullable = DECIMALS[field]
            clean[field] = None if value is None and nullable else _decimal(value, field, low, high)
        elif field in INTEGERS:
            low, high, nullable = INTEGERS[field]
            if value is None and nullable:
                clean[field] = None
            elif not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise InvalidInput(f"A whole number from {low} to {high}.", field=field)
            else:
                clean[field] = value
        elif field in BOOLEANS:
            if not isinstance(value, bool):
                raise InvalidInput("true or false.", field=field)
            clean[field] = value
        elif field in TEXTS:
            if not isinstance(value, str) or len(value) > TEXTS[field]:
                raise InvalidInput(f"Text of at most {TEXTS[field]} characters.", field=field)
            clean[field] = value.strip()
        elif field == "currency":
            clean[field] = validate_currency(value, field=field)
        elif field == "bands":
            clean[field] = _clean_bands(value)
        elif field == "remote_areas":
            clean[field] = _clean_remote(value)
        elif field == "pricing_basis":
            if value not in PricingBasis.values:
                raise InvalidInput("per_parcel or per_shipment.", field=field)
            clean[field] = value
        elif field == "confidence":
            if value not in Confidence.values:
                raise InvalidInput("verified, uncertain or placeholder.", field=field)
            clean[field] = value
    return clean


def revise_rate_card(
    *, actor: Actor | None, card_id: int, effective_from: date, changes: dict, note: str = ""
) -> RateCard:
    """A new version of the card from `effective_from` (tomorrow or later) with `changes`;
    the version in force then ends that day. Locks the card; audited on the new card.
    Raises InvalidInput (bad field/date), NotFound, Conflict (a later version exists)."""
    from ..selectors import get_rate_card

    if not isinstance(effective_from, date) or effective_from < _tomorrow():
        raise InvalidInput(
            "A revision starts tomorrow at the earliest.",
            field="effective_from",
            code="retroactive",
        )
    clean = _clean_card_changes(changes)
    if not clean:
        raise InvalidInput("Nothing to change.", field="changes", code="no_changes")
    get_rate_card(card_id)
    with transaction.atomic():
        card = RateCard.objects.select_for_update().get(pk=card_id)
        if effective_from <= card.effective_from or (
            card.effective_to is not None and effective_from >= card.effective_to
        ):
            raise InvalidInput(
                "The revision must start inside this version's period.", field="effective_from"
            )
        if RateCard.objects.filter(
            lane_id=card.lane_id, tier=card.tier, effective_from__gt=card.effective_from
        ).exists():
            raise Conflict(
                "A later version of this card exists; revise that one.",
                field="card_id",
                code="later_version_exists",
            )
        before = {field: getattr(card, field) for field in clean}
        new = RateCard.objects.get(pk=card.pk)
        new.pk = None
        for field, value in clean.items():
            setattr(new, field, value)
        new.effective_from, new.effective_to = effective_from, card.effective_to
        new.as_of = timezone.localdate()
        if new.transit_max_days < new.transit_min_days:
            raise InvalidInput("Transit max must be ≥ min.", field="transit_max_days")
        card.effective_to = effective_from
        card.save(update_fields=["effective_to"])
        try:
            with transaction.atomic():
                new.save()
        except IntegrityError:
            raise InvalidInput(
                "These figures break a rule of the rate card.", field="changes"
            ) from None
        bump_reference_version()
        record_audit(
            actor=actor,
            action="logistics.rate_card_revised",
            target=new,
            summary=f"{card.lane} {card.tier} from {effective_from}"
            + (f": {note}" if note else ""),
            changes=diff(before, clean),
        )
    return new


def add_duty_rate(
    *,
    actor: Actor | None,
    market: str,
    program: str,
    hs_prefix: str,
    rate,
    description: str,
    effective_from: date,
    effective_to: date | None = None,
    origin_country: str = "",
    exclusive_of: str = "",
    confidence: str = Confidence.PLACEHOLDER,
    source_note: str = "",
) -> DutyRate:
    """Add a duty row from `effective_from` (tomorrow or later). Refuses an overlap with a
    row of the same market/program/origin/prefix (end that one first). Audited."""
    from tradelane.markets.selectors import get_market

    if program not in DutyProgram.values:
        raise InvalidInput(f"Unknown program {program!r}.", field="program")
    if exclusive_of and exclusive_of not in DutyProgram.values:
        raise InvalidInput(f"Unknown program {exclusive_of!r}.", field="exclusive_of")
    hs_prefix = (hs_prefix or "").replace(".", "").strip()
    if not re.fullmatch(r"\d{0,10}", hs_prefix) or len(hs_prefix) == 1:
        raise InvalidInput("An HS prefix is 2–10 digits (empty = fallback).", field="hs_prefix")
    origin_country = (origin_country or "").upper()
    if origin_country and not re.fullmatch(r"[A-Z]{2}", origin_country):
        raise InvalidInput(
            "An ISO country code, or empty for every origin.", field="origin_country"
        )
    value = _decimal(rate, "rate", Decimal(0), Decimal(5))
    if value != value.quantize(Decimal("1e-6")):
        raise InvalidInput("At most 6 decimals.", field="rate")
    description = (description or "").strip()
    if not description or len(description) > 200:
        raise InvalidInput("A description of 1–200 characters.", field="description")
    if not isinstance(effective_from, date) or effective_from < _tomorrow():
        raise InvalidInput(
            "A rate starts tomorrow at the earliest.", field="effective_from", code="retroactive"
        )
    if effective_to is not None and effective_to <= effective_from:
        raise InvalidInput("The end must be after the start.", field="effective_to")
    if confidence not in Confidence.values:
        raise InvalidInput("verified, uncertain or placeholder.", field="confidence")
    market_row = get_market(market)
    key = {
        "market": market_row,
        "program": program,
        "origin_country": origin_country,
        "hs_prefix": hs_prefix,
    }
    with transaction.atomic():
        same = DutyRate.objects.select_for_update().filter(**key).order_by("pk")
        overlap = same.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=effective_from))
        if effective_to is not None:
            overlap = overlap.filter(effective_from__lt=effective_to)
        if overlap.exists():
            raise Conflict(
                "A rate for this program and HS prefix overlaps; end it first.",
                field="effective_from",
                code="overlapping_rate",
            )
        row = DutyRate.objects.create(
            **key,
            rate=value,
            description=description,
            exclusive_of=exclusive_of,
            effective_from=effective_from,
            effective_to=effective_to,
            confidence=confidence,
            source_note=(source_note or "").strip()[:5000],
            as_of=timezone.localdate(),
        )
        bump_reference_version()
        record_audit(
            actor=actor,
            action="logistics.duty_rate_added",
            target=row,
            summary=f"{market_row.code} {program} {hs_prefix or '*'} {value} from {effective_from}",
            changes={"rate": [None, str(value)]},
        )
    return row


def end_duty_rate(*, actor: Actor | None, rate_id: int, effective_to: date) -> DutyRate:
    """End a duty row on `effective_to` (exclusive; tomorrow or later). Audited."""
    from ..selectors import get_duty_rate

    get_duty_rate(rate_id)
    if not isinstance(effective_to, date) or effective_to < _tomorrow():
        raise InvalidInput(
            "A rate ends tomorrow at the earliest.", field="effective_to", code="retroactive"
        )
    with transaction.atomic():
        row = DutyRate.objects.select_for_update().get(pk=rate_id)
        if effective_to <= row.effective_from:
            raise InvalidInput("The end must be after the start.", field="effective_to")
        if row.effective_to is not None and row.effective_to <= effective_to:
            raise Conflict(
                "This rate already ends by then.", field="effective_to", code="already_ended"
            )
        old = row.effective_to
        row.effective_to = effective_to
        row.save(update_fields=["effective_to"])
        bump_reference_version()
        record_audit(
            actor=actor,
            action="logistics.duty_rate_ended",
            target=row,
            summary=f"{row.market_id} {row.program} {row.hs_prefix or '*'} ends {effective_to}",
            changes={"effective_to": [None if old is None else str(old), str(effective_to)]},
        )
    return row


def load_reference_network(*, apps=None) -> dict[str, int]:
    """Create the seeded lanes, rate cards and duty rates where missing; never overwrites."""
    get = apps.get_model if apps is not None else None
    lane_model = get("logistics", "Lane") if get else Lane
    card_model = get("logistics", "RateCard") if get else RateCard
    duty_model = get("logistics", "DutyRate") if get else DutyRate
    market_model = get("markets", "Market") if get else None
    if market_model is None:
        from tradelane.markets.models import Market as market_model
    counts = {"lanes": 0, "rate_cards": 0, "duty_rates": 0}
    with transaction.atomic():
        for data in seed.LANES:
            market = market_model.objects.filter(pk=data["destination"]).first()
            if market is None:
                continue
            fields = {k: v for k, v in data.items() if k not in ("origin_country", "destination")}
            lane, created = lane_model.objects.get_or_create(
                origin_country=data["origin_country"], destination=market, defaults=fields
            )
            counts["lanes"] += created
            for card in seed.RATE_CARDS.get(market.pk, []):
                if not card_model.objects.filter(
                    lane=lane, tier=card["tier"], effective_from=card["effective_from"]
                ).exists():
                    card_model.objects.create(lane=lane, **_decimals(card))
                    counts["rate_cards"] += 1
        for row in seed.DUTY_RATES:
            market = market_model.objects.filter(pk=row["market"]).first()
            if market is None:
                continue
            key = {
                "market": market,
                "program": row["program"],
                "origin_country": row["origin_country"],
                "hs_prefix": row["hs_prefix"],
                "effective_from": row["effective_from"],
            }
            if not duty_model.objects.filter(**key).exists():
                rest = {k: v for k, v in row.items() if k not in {*key, "market"}}
                duty_model.objects.create(**key, **_decimals(rest))
                counts["duty_rates"] += 1
        if apps is None and any(counts.values()):  # a migration runs before the version table
            bump_reference_version()
    return counts


def _decimals(row: dict) -> dict:
    out = dict(row)
    for field in (*DECIMALS, "rate"):
        if isinstance(out.get(field), str):
            out[field] = Decimal(out[field])
    return out
