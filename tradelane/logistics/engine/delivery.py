"""The promised delivery window: next pickup at the warehouse, then transit business days
in the destination's delivery calendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .inputs import Network, Warehouse

DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def pickup_date(quoted_at: datetime, warehouse: Warehouse, lead_time_days: int) -> date:
    """The first day the goods can be handed over at the warehouse.

    Ready stock (lead 0): today if the warehouse is open today and the cut-off has not
    passed, else its next opening day. Near-ready (lead n): the n-th opening day after
    today (the goods are finished by then and handed over that day).
    """
    local = quoted_at.astimezone(_zone(warehouse.time_zone))
    day = local.date()
    opening = warehouse.opening_weekdays
    if lead_time_days == 0 and day.weekday() in opening and local.time() < warehouse.pickup_cutoff:
        return day
    remaining = max(lead_time_days, 1)
    for _ in range(400):
        day += DAY
        if day.weekday() in opening:
            remaining -= 1
            if remaining == 0:
                return day
    raise ValueError("the warehouse has no opening day")  # refused at input already


def delivery_days(network: Network, start: date, count: int) -> tuple[date, ...]:
    """The first `count` delivery days after `start` (memoised on the snapshot)."""
    memo = network._calendar_memo.get(start)
    if memo is not None and len(memo) >= count:
        return memo
    days = []
    day = start
    closed_weekdays = network.non_delivery_weekdays
    holidays = network.holidays
    while len(days) < count:
        day += DAY
        if day.weekday() not in closed_weekdays and day not in holidays:
            days.append(day)
    memo = tuple(days)
    network._calendar_memo[start] = memo
    return memo
