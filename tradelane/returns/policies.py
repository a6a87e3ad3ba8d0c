"""The effective return policy of a merchant in a market, and the pure rules that judge a
request by it: which reasons are covered, when the window closes, and whether the
auto-approval rule applies. No queries here: `selectors.effective_policy` builds a
`Policy` from the market's terms and the merchant's own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from .states import Reason


@dataclass(frozen=True)
class Policy:
    market: str
    window_days: int
    covered_reasons: tuple[str, ...]
    accepts_changed_mind: bool
    changed_mind_days: int
    changed_mind_business_days: bool
    decision_days: int
    auto_approve_days: int
    auto_approve_reasons: tuple[str, ...]
    source: str = ""

    @property
    def reasons(self) -> tuple[str, ...]:
        """Every reason a buyer may give under this policy."""
        extra = (Reason.CHANGED_MIND,) if self.accepts_changed_mind else ()
        return tuple(r for r in self.covered_reasons if r != Reason.CHANGED_MIND) + extra

    def covers(self, reason: str) -> bool:
        return reason in self.reasons

    def window_end(self, reason: str, delivered_at: datetime) -> datetime:
        """The last instant a request for `reason` may be made (end of the window)."""
        if reason == Reason.CHANGED_MIND:
            if self.changed_mind_business_days:
                return add_business_days(delivered_at, self.changed_mind_days)
            return delivered_at + timedelta(days=self.changed_mind_days)
        return delivered_at + timedelta(days=self.window_days)

    def auto_approval(
        self, *, reason: str, photos: int, delivered_at: datetime, now: datetime
    ) -> str | None:
        """The explanation when the auto-approval rule approves the request, else None.

        Rule: a reason in `auto_approve_reasons` (transit damage by default), at least one
        photo, requested within `auto_approve_days` of delivery."""
        if reason not in self.auto_approve_reasons or photos < 1:
            return None
        if now - delivered_at > timedelta(days=self.auto_approve_days):
            return None
        return _(
            "Approved automatically: %(reason)s with a photo within %(days)s days of delivery."
        ) % {"reason": Reason(reason).label, "days": self.auto_approve_days}


def add_business_days(start: datetime, days: int) -> datetime:
    """`start` plus `days` weekdays (Saturday and Sunday do not count)."""
    current = start
    left = days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
