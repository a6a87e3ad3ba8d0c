"""Pickup planning, pure: which day each parcel is collected at its merchant's warehouse.

A parcel ready by the warehouse's cut-off (local time) on an opening day goes that day,
otherwise on the next opening day; each day holds at most the warehouse's daily parcel
capacity (a shipment counts its cartons). Parcels are placed by handover deadline, then by
readiness, then by id, each on the earliest day with room — never over capacity. A parcel
bigger than a whole day's capacity cannot be planned and is returned as unplaced.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HORIZON_DAYS = 60


@dataclass(frozen=True, slots=True)
class Site:
    time_zone: str
    opening_days: frozenset[int]  # ISO weekdays, 1 = Monday
    cutoff: time
    capacity: int  # parcels per day


@dataclass(frozen=True, slots=True)
class Parcel:
    id: int
    cartons: int
    ready_at: datetime  # aware
    deadline: datetime | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    days: dict[int, date]  # parcel id -> pickup day
    unplaced: tuple[int, ...]
    load: dict[date, int]  # parcels per day, booked before + planned now


def first_day(site: Site, ready_at: datetime) -> date:
    local = ready_at.astimezone(ZoneInfo(site.time_zone))
    day = local.date()
    if local.time() > site.cutoff:
        day += timedelta(days=1)
    return day


def opening_days(site: Site, start: date, horizon: int = HORIZON_DAYS) -> Iterator[date]:
    for offset in range(horizon):
        day = start + timedelta(days=offset)
        if day.isoweekday() in site.opening_days:
            yield day


def pickup_at(site: Site, day: date) -> datetime:
    """The moment of a day's pickup: the cut-off, local time, as an aware datetime."""
    return datetime.combine(day, site.cutoff, tzinfo=ZoneInfo(site.time_zone))


def plan(site: Site, parcels: Sequence[Parcel], booked: Mapping[date, int] | None = None) -> Plan:
    load = dict(booked or {})
    days: dict[int, date] = {}
    unplaced = []
    order = sorted(
        parcels,
        key=lambda p: (p.deadline is None, p.deadline or p.ready_at, p.ready_at, p.id),
    )
    for parcel in order:
        if parcel.cartons > site.capacity:
            unplaced.append(parcel.id)
            continue
        for day in opening_days(site, first_day(site, parcel.ready_at)):
            if load.get(day, 0) + parcel.cartons <= site.capacity:
                load[day] = load.get(day, 0) + parcel.cartons
                days[parcel.id] = day
                break
        else:
            unplaced.append(parcel.id)
    return Plan(days=days, unplaced=tuple(unplaced), load=load)
