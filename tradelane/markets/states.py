"""Market lifecycle: planned → recruiting (merchants enrol) → live (buyers can order)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECRUITING = "recruiting", _("Recruiting merchants")
    LIVE = "live", _("Live")


TRANSITIONS: dict[str, frozenset[str]] = {
    MarketStatus.PLANNED: frozenset({MarketStatus.RECRUITING}),
    MarketStatus.RECRUITING: frozenset({MarketStatus.LIVE, MarketStatus.PLANNED}),
    MarketStatus.LIVE: frozenset(),
}


def next_statuses(current: str) -> list[str]:
    """The statuses a market in `current` may move to, in lifecycle order."""
    allowed = TRANSITIONS.get(current, frozenset())
    return [value for value in MarketStatus.values if value in allowed]
