"""Explained eligibility: pure rules over an application's answers and warehouses.

Each rule the operator keeps enabled gives pass / warn / fail with a reason in plain words;
the score is the weighted share of points (pass = 1, warn = ½, fail = 0) out of 100.
Nothing here touches the database: the live form, the API and the review page all call
`evaluate()` with what they have.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

PASS, WARN, FAIL = "pass", "warn", "fail"
POINTS = {PASS: Decimal(1), WARN: Decimal("0.5"), FAIL: Decimal(0)}


class RuleCode(models.TextChoices):
    OWN_WAREHOUSE = "own_warehouse", _("Own warehouse")
    EXPORT_EXPERIENCE = "export_experience", _("Export experience")
    READY_STOCK = "ready_stock", _("Ready stock")
    NEAR_READY_LEAD_TIME = "near_ready_lead_time", _("Near-ready lead time")
    HANDOVER_CAPACITY = "handover_capacity", _("Daily handover capacity")
    WAREHOUSE_CAPACITY = "warehouse_capacity", _("Warehouse capacity")
    OTHER_MARKETPLACES = "other_marketplaces", _("Track record on other marketplaces")


@dataclass(frozen=True)
class RuleDefinition:
    code: str
    unit: str
    higher_is_better: bool
    pass_at: int
    warn_at: int
    weight: int


DEFINITIONS: dict[str, RuleDefinition] = {
    d.code: d
    for d in (
        RuleDefinition(RuleCode.OWN_WAREHOUSE, "warehouses", True, 1, 1, 30),
        RuleDefinition(RuleCode.EXPORT_EXPERIENCE, "years", True, 2, 1, 15),
        RuleDefinition(RuleCode.READY_STOCK, "% of SKUs", True, 80, 50, 20),
        RuleDefinition(RuleCode.NEAR_READY_LEAD_TIME, "days", False, 7, 15, 10),
        RuleDefinition(RuleCode.HANDOVER_CAPACITY, "parcels a day", True, 50, 10, 15),
        RuleDefinition(RuleCode.WAREHOUSE_CAPACITY, "% of handover capacity", True, 100, 50, 5),
        RuleDefinition(RuleCode.OTHER_MARKETPLACES, "marketplaces", True, 1, 0, 5),
    )
}


@dataclass(frozen=True)
class RuleSetting:
    """An operator's tuning of one rule for an edition."""

    code: str
    enabled: bool
    weight: int
    pass_at: int
    warn_at: int

    @classmethod
    def default(cls, code: str) -> RuleSetting:
        d = DEFINITIONS[code]
        return cls(code, True, d.weight, d.pass_at, d.warn_at)


def default_settings() -> list[RuleSetting]:
    return [RuleSetting.default(code) for code in DEFINITIONS]


@dataclass(frozen=True)
class WarehouseFacts:
    active: bool
    daily_parcel_capacity: int


@dataclass(frozen=True)
class Facts:
    """The answers that count for eligibility (None = not answered yet)."""

    export_years: int | None = None
    ready_share_percent: int | None = None
    near_ready_lead_days: int | None = None
    daily_handover_capacity: int | None = None
    other_marketplaces: tuple[str, ...] = ()
    warehouses: tuple[WarehouseFacts, ...] = ()


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    outcome: str
    reason: str
    weight: int
    value: int | None

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "label": str(self.label),
            "outcome": self.outcome,
            "reason": str(self.reason),
            "weight": self.weight,
            "value": self.value,
        }


@dataclass(frozen=True)
class Eligibility:
    score: int
    pass_score: int
    results: tuple[RuleResult, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.outcome == FAIL)

    @property
    def warned(self) -> int:
        return sum(1 for r in self.results if r.outcome == WARN)

    @property
    def meets_bar(self) -> bool:
        """No failed rule and a score at or above the edition's pass score."""
        return self.failed == 0 and self.score >= self.pass_score

    def as_json(self) -> dict:
        return {
            "score": self.score,
            "pass_score": self.pass_score,
            "meets_bar": self.meets_bar,
            "rules": [r.as_json() for r in self.results],
        }


def _grade(value: int, setting: RuleSetting, higher_is_better: bool) -> str:
    if higher_is_better:
        if value >= setting.pass_at:
            return PASS
        return WARN if value >= setting.warn_at else FAIL
    if value <= setting.pass_at:
        return PASS
    return WARN if value <= setting.warn_at else FAIL


def _value(code: str, facts: Facts) -> int | None:
    active = [w for w in facts.warehouses if w.active]
    if code == RuleCode.OWN_WAREHOUSE:
        return len(active)
    if code == RuleCode.EXPORT_EXPERIENCE:
        return facts.export_years
    if code == RuleCode.READY_STOCK:
        return facts.ready_share_percent
    if code == RuleCode.NEAR_READY_LEAD_TIME:
        return facts.near_ready_lead_days
    if code == RuleCode.HANDOVER_CAPACITY:
        return facts.daily_handover_capacity
    if code == RuleCode.WAREHOUSE_CAPACITY:
        if not facts.daily_handover_capacity:
            return None
        capacity = sum(w.daily_parcel_capacity for w in active)
        return int(capacity * 100 // facts.daily_handover_capacity)
    if code == RuleCode.OTHER_MARKETPLACES:
        return len(facts.other_marketplaces)
    raise ValueError(f"unknown rule {code!r}")


_NOT_ANSWERED = {
    RuleCode.EXPORT_EXPERIENCE: _("Not answered yet: how many years have you exported?"),
    RuleCode.READY_STOCK: _("Not answered yet: what share of your SKUs is ready within 48 h?"),
    RuleCode.NEAR_READY_LEAD_TIME: _(
        "Not answered yet: how many days does near-ready stock need before handover?"
    ),
    RuleCode.HANDOVER_CAPACITY: _("Not answered yet: how many parcels can you hand over a day?"),
    RuleCode.WAREHOUSE_CAPACITY: _(
        "Give your daily handover capacity to compare it with your warehouses'."
    ),
}


def _reason(code: str, outcome: str, value: int, s: RuleSetting, facts: Facts) -> str:
    v, p, w = value, s.pass_at, s.warn_at
    if code == RuleCode.OWN_WAREHOUSE:
        if outcome == FAIL or v == 0:
            return str(
                _("No own warehouse: the semi-managed program does not provide warehousing.")
            )
        if outcome == WARN:
            return _("%(v)s active own warehouse; %(p)s or more are expected.") % {"v": v, "p": p}
        return ngettext(
            "%(v)s active own warehouse for pickups.",
            "%(v)s active own warehouses for pickups.",
            v,
        ) % {"v": v}
    if code == RuleCode.EXPORT_EXPERIENCE:
        if outcome == PASS:
            return _("%(v)s years of export experience.") % {"v": v}
        if outcome == WARN:
            return _("%(v)s years of export experience: %(p)s or more is the norm.") % {
                "v": v,
                "p": p,
            }
        return _("%(v)s years of export experience: at least %(w)s are needed.") % {
            "v": v,
            "w": w,
        }
    if code == RuleCode.READY_STOCK:
        if outcome == PASS:
            return _("%(v)s%% of SKUs can be handed over within 48 h.") % {"v": v}
        if outcome == WARN:
            return _(
                "%(v)s%% of SKUs ready within 48 h: delivery promises need %(p)s%% or more."
            ) % {"v": v, "p": p}
        return _(
            "Only %(v)s%% of SKUs ready within 48 h: the program needs at least %(w)s%% ready stock."
        ) % {"v": v, "w": w}
    if code == RuleCode.NEAR_READY_LEAD_TIME:
        if outcome == PASS:
            return _("Near-ready stock is ready to hand over in %(v)s days.") % {"v": v}
        if outcome == WARN:
            return _(
                "Near-ready stock takes %(v)s days: buyers wait longer than the %(p)s days aimed for."
            ) % {"v": v, "p": p}
        return _("Near-ready stock takes %(v)s days: more than the %(w)s days buyers accept.") % {
            "v": v,
            "w": w,
        }
    if code == RuleCode.HANDOVER_CAPACITY:
        if outcome == PASS:
            return _("You can hand over %(v)s parcels a day.") % {"v": v}
        if outcome == WARN:
            return _("%(v)s parcels a day: campaigns usually need %(p)s or more.") % {
                "v": v,
                "p": p,
            }
        return _("%(v)s parcels a day: pickups need at least %(w)s.") % {"v": v, "w": w}
    if code == RuleCode.WAREHOUSE_CAPACITY:
        if outcome == PASS:
            return _("Your warehouses can dispatch the parcels you plan to hand over.")
        return _(
            "Your active warehouses cover %(v)s%% of the daily handover capacity you stated."
        ) % {"v": v}
    if code == RuleCode.OTHER_MARKETPLACES:
        if outcome == PASS:
            return _("Sells on %(names)s: a track record to build on.") % {
                "names": ", ".join(facts.other_marketplaces)
            }
        return _("No other marketplace yet: there is no sales track record to look at.")
    raise ValueError(f"unknown rule {code!r}")


def evaluate(facts: Facts, settings: Iterable[RuleSetting], *, pass_score: int) -> Eligibility:
    """Grade `facts` with the enabled `settings`; pure and deterministic."""
    results = []
    total_weight = Decimal(0)
    earned = Decimal(0)
    for setting in settings:
        if not setting.enabled:
            continue
        definition = DEFINITIONS[setting.code]
        value = _value(setting.code, facts)
        if value is None:
            outcome, reason = FAIL, str(_NOT_ANSWERED[setting.code])
        else:
            outcome = _grade(value, setting, definition.higher_is_better)
            reason = str(_reason(setting.code, outcome, value, setting, facts))
        results.append(
            RuleResult(
                code=setting.code,
                label=RuleCode(setting.code).label,
                outcome=outcome,
                reason=reason,
                weight=setting.weight,
                value=value,
            )
        )
        total_weight += setting.weight
        earned += setting.weight * POINTS[outcome]
    score = (
        100
        if total_weight == 0
        else int((earned * 100 / total_weight).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    )
    return Eligibility(score=score, pass_score=pass_score, results=tuple(results))
