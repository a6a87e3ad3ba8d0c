"""Program editions and their eligibility rules (operator admins)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import Conflict, InvalidInput, NotFound
from tradelane.markets.selectors import get_market

from ..eligibility import DEFINITIONS, RuleCode, default_settings
from ..models import Application, EligibilityRule, ProgramEdition
from ..selectors import evaluate_application, get_edition
from ..states import OPEN, ApplicationStatus

EDITION_FIELDS = (
    "name",
    "description",
    "market_codes",
    "recruitment_opens_on",
    "recruitment_closes_on",
    "operations_start_on",
    "pass_score",
)


def _markets(codes) -> list:
    if not codes:
        raise InvalidInput("Choose at least one market.", field="market_codes")
    markets = []
    for code in sorted({str(c).upper() for c in codes}):
        try:
            markets.append(get_market(code))
        except NotFound:
            raise InvalidInput(
                f"No market {code!r}.", field="market_codes", code="unknown_market"
            ) from None
    return markets


def _validate(edition: ProgramEdition) -> None:
    name = (edition.name or "").strip()
    if not name or len(name) > 120:
        raise InvalidInput("Name the edition (1 to 120 characters).", field="name")
    edition.name = name
    if edition.recruitment_closes_on < edition.recruitment_opens_on:
        raise InvalidInput(
            "Recruitment must close on or after the day it opens.",
            field="recruitment_closes_on",
            code="invalid_window",
        )
    if edition.operations_start_on < edition.recruitment_opens_on:
        raise InvalidInput(
            "Operations cannot start before recruitment opens.",
            field="operations_start_on",
            code="invalid_window",
        )
    if not 0 <= edition.pass_score <= 100:
        raise InvalidInput("The pass score is from 0 to 100.", field="pass_score")


def create_edition(
    *,
    actor: Actor,
    name: str,
    market_codes: list[str],
    recruitment_opens_on: date,
    recruitment_closes_on: date,
    operations_start_on: date,
    pass_score: int = 70,
    description: str = "",
) -> ProgramEdition:
    """Create an edition with the default eligibility rules. Audited.

    Raises InvalidInput (bad window, unknown market) or Conflict `name_taken`.
    """
    markets = _markets(market_codes)
    edition = ProgramEdition(
        name=name,
        description=(description or "").strip(),
        recruitment_opens_on=recruitment_opens_on,
        recruitment_closes_on=recruitment_closes_on,
        operations_start_on=operations_start_on,
        pass_score=pass_score,
    )
    _validate(edition)
    with transaction.atomic():
        try:
            with transaction.atomic():
                edition.save()
        except IntegrityError:
            raise Conflict(
                "An edition with this name exists.", field="name", code="name_taken"
            ) from None
        edition.markets.set(markets)
        EligibilityRule.objects.bulk_create(
            [
                EligibilityRule(
                    edition=edition,
                    code=s.code,
                    enabled=s.enabled,
                    weight=s.weight,
                    pass_at=s.pass_at,
                    warn_at=s.warn_at,
                )
                for s in default_settings()
            ]
        )
        record_audit(
            actor=actor,
            action="merchants.edition_created",
            target=edition,
            summary=f"{edition.name}: {', '.join(m.pk for m in markets)}",
        )
    return edition


def update_edition(*, actor: Actor, edition_id: int, **fields) -> ProgramEdition:
    """Edit an edition. Locks it. A market that an application targets cannot be removed
    (409 `market_in_use`)."""
    unknown = sorted(set(fields) - set(EDITION_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]} cannot be edited.", field=unknown[0])
    get_edition(edition_id)
    with transaction.atomic():
        edition = ProgramEdition.objects.select_for_update().get(pk=edition_id)
        before_codes = sorted(m.pk for m in edition.markets.all())
        simple = {k: v for k, v in fields.items() if k != "market_codes"}
        before = {k: getattr(edition, k) for k in simple}
        for key, value in simple.items():
            setattr(edition, key, value.strip() if isinstance(value, str) else value)
        _validate(edition)
        changes = diff(before, {k: getattr(edition, k) for k in simple})
        if "market_codes" in fields:
            markets = _markets(fields["market_codes"])
            codes = [m.pk for m in markets]
            removed = sorted(set(before_codes) - set(codes))
            in_use = (
                Application.objects.filter(edition=edition, target_markets__pk__in=removed)
                .exclude(status=ApplicationStatus.REJECTED)
                .exists()
            )
            if removed and in_use:
                raise Conflict(
                    f"Applications target {', '.join(removed)}: keep these markets.",
                    field="market_codes",
                    code="market_in_use",
                )
            if codes != before_codes:
                edition.markets.set(markets)
                changes["markets"] = [", ".join(before_codes), ", ".join(codes)]
        if changes:
            edition.updated_at = timezone.now()
            try:
                with transaction.atomic():
                    edition.save()
            except IntegrityError:
                raise Conflict(
                    "An edition with this name exists.", field="name", code="name_taken"
                ) from None
            record_audit(
                actor=actor,
                action="merchants.edition_updated",
                target=edition,
                summary=f"{edition.name} updated: {', '.join(changes)}",
                changes=changes,
            )
    return edition


def update_rule(
    *,
    actor: Actor,
    edition_id: int,
    code: str,
    enabled: bool | None = None,
    weight: int | None = None,
    pass_at: int | None = None,
    warn_at: int | None = None,
) -> EligibilityRule:
    """Tune one rule of an edition; open applications' stored scores are recomputed.

    For rules where more is better the warn threshold may not exceed the pass threshold
    (and the reverse for lead times): 422 `invalid_thresholds`.
    """
    if code not in RuleCode.values:
        raise NotFound(f"No eligibility rule {code!r}.", field="code", code="unknown_rule")
    edition = get_edition(edition_id)
    with transaction.atomic():
        ProgramEdition.objects.select_for_update().get(pk=edition.pk)
        rule, _ = EligibilityRule.objects.select_for_update().get_or_create(
            edition=edition,
            code=code,
            defaults={
                "weight": DEFINITIONS[code].weight,
                "pass_at": DEFINITIONS[code].pass_at,
                "warn_at": DEFINITIONS[code].warn_at,
            },
        )
        before = {"enabled": rule.enabled, "weight": rule.weight, "pass_at": rule.pass_at,
                  "warn_at": rule.warn_at}  # fmt: skip
        for key, value in (
            ("enabled", enabled),
            ("weight", weight),
            ("pass_at", pass_at),
            ("warn_at", warn_at),
        ):
            if value is not None:
                setattr(rule, key, value)
        if not 0 <= rule.weight <= 100:
            raise InvalidInput("Weight is from 0 to 100.", field="weight")
        if rule.pass_at < 0 or rule.warn_at < 0:
            raise InvalidInput("Thresholds are not negative.", field="pass_at")
        higher = DEFINITIONS[code].higher_is_better
        if (higher and rule.warn_at > rule.pass_at) or (not higher and rule.warn_at < rule.pass_at):
            raise InvalidInput(
                "The warning threshold must be "
                + ("at or below" if higher else "at or above")
                + " the pass threshold.",
                field="warn_at",
                code="invalid_thresholds",
            )
        after = {"enabled": rule.enabled, "weight": rule.weight, "pass_at": rule.pass_at,
                 "warn_at": rule.warn_at}  # fmt: skip
        changes = diff(before, after)
        if changes:
            rule.save()
            record_audit(
                actor=actor,
                action="merchants.eligibility_rule_updated",
                target=edition,
                summary=f"{edition.name}: rule {code} {', '.join(changes)}",
                changes=changes,
            )
            _rescore_open_applications(edition.pk)
    return rule


def _rescore_open_applications(edition_id: int) -> None:
    edition = ProgramEdition.objects.get(pk=edition_id)  # fresh: no stale prefetched rules
    applications = Application.objects.filter(edition_id=edition_id, status__in=OPEN).order_by("pk")
    for application in applications.select_for_update().prefetch_related("warehouses"):
        application.edition = edition
        result = evaluate_application(application)
        if (
            result.score != application.eligibility_score
            or result.as_json() != application.eligibility
        ):
            application.eligibility_score = result.score
            application.eligibility = result.as_json()
            application.save(update_fields=["eligibility_score", "eligibility"])
