"""Reads for the merchant program.

Merchant reads are scoped to the acting organisation (another merchant's object is a
404); operator reads see every application; `is_merchant_active` and
`list_active_markets` are the program's answer to other contexts (catalog, orders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import InvalidInput, NotFound

from .eligibility import DEFINITIONS, Eligibility, Facts, RuleSetting, WarehouseFacts, evaluate
from .models import (
    Application,
    ApplicationStatusChange,
    EligibilityRule,
    MerchantMarket,
    MerchantProfile,
    ProgramEdition,
    Warehouse,
)
from .states import ApplicationStatus


def today() -> date:
    return timezone.localdate()


# --- editions and rules ----------------------------------------------------------------------


def list_editions(*, recruiting_on: date | None = None) -> QuerySet[ProgramEdition]:
    editions = ProgramEdition.objects.prefetch_related("markets").order_by(
        "-recruitment_opens_on", "-id"
    )
    if recruiting_on is not None:
        editions = editions.filter(
            recruitment_opens_on__lte=recruiting_on, recruitment_closes_on__gte=recruiting_on
        )
    return editions


def get_edition(edition_id: int) -> ProgramEdition:
    edition = list_editions().filter(pk=edition_id).first()
    if edition is None:
        raise NotFound("No such program edition.", field="edition_id", code="unknown_edition")
    return edition


def edition_market_codes(edition: ProgramEdition) -> list[str]:
    return sorted(m.pk for m in edition.markets.all())


def list_rules(edition: ProgramEdition) -> list[EligibilityRule]:
    return list(EligibilityRule.objects.filter(edition=edition).order_by("id"))


def rule_settings(edition: ProgramEdition) -> list[RuleSetting]:
    """The edition's tuned rules, in definition order; a rule with no row uses its default."""
    rows = {r.code: r for r in getattr(edition, "_rules", None) or list_rules(edition)}
    settings = []
    for code in DEFINITIONS:
        row = rows.get(code)
        settings.append(
            RuleSetting(code, row.enabled, row.weight, row.pass_at, row.warn_at)
            if row is not None
            else RuleSetting.default(code)
        )
    return settings


# --- warehouses ------------------------------------------------------------------------------


def list_warehouses(*, actor: Actor, active: bool | None = None) -> QuerySet[Warehouse]:
    warehouses = Warehouse.objects.filter(organisation_id=actor.organisation_id).order_by(
        "name", "id"
    )
    if active is not None:
        warehouses = warehouses.filter(is_active=active)
    return warehouses


def get_warehouse(*, actor: Actor, warehouse_id: int) -> Warehouse:
    warehouse = list_warehouses(actor=actor).filter(pk=warehouse_id).first()
    if warehouse is None:
        raise NotFound("No such warehouse.", field="warehouse_id")
    return warehouse


def list_pickup_warehouses(organisation_id: int) -> QuerySet[Warehouse]:
    """A merchant's active warehouses, for pickup planning (logistics)."""
    return Warehouse.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "name", "id"
    )


# --- applications ----------------------------------------------------------------------------


def _with_details(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("edition", "organisation").prefetch_related(
        "warehouses",
        "target_markets",
        "edition__markets",
        Prefetch(
            "edition__rules", queryset=EligibilityRule.objects.order_by("id"), to_attr="_rules"
        ),
    )


def list_applications(*, actor: Actor) -> QuerySet[Application]:
    return _with_details(
        Application.objects.filter(organisation_id=actor.organisation_id).order_by(
            "-created_at", "-id"
        )
    )


def get_application(*, actor: Actor, application_id: int) -> Application:
    application = list_applications(actor=actor).filter(pk=application_id).first()
    if application is None:
        raise NotFound("No such application.", field="application_id")
    return application


def find_application(*, actor: Actor, edition_id: int) -> Application | None:
    return list_applications(actor=actor).filter(edition_id=edition_id).first()


def list_review_queue(
    *,
    edition_id: int | None = None,
    status: str | None = None,
    market: str | None = None,
    min_score: int | None = None,
    max_score: int | None = None,
) -> QuerySet[Application]:
    """Applications for operators: submitted first by default (drafts are the merchant's)."""
    applications = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if status is not None:
        if status not in ApplicationStatus.values:
            raise InvalidInput(f"Unknown status {status!r}.", field="status", code="invalid_status")
        applications = Application.objects.filter(status=status)
    if edition_id is not None:
        applications = applications.filter(edition_id=edition_id)
    if market:
        applications = applications.filter(target_markets__pk=market.upper())
    if min_score is not None:
        applications = applications.filter(eligibility_score__gte=min_score)
    if max_score is not None:
        applications = applications.filter(eligibility_score__lte=max_score)
    return (
        applications.select_related("edition", "organisation")
        .prefetch_related("target_markets")
        .order_by("submitted_at", "id")
    )


def get_application_for_review(application_id: int) -> Application:
    application = _with_details(Application.objects.filter(pk=application_id)).first()
    if application is None:
        raise NotFound("No such application.", field="application_id")
    return application


def list_application_history(application: Application) -> QuerySet[ApplicationStatusChange]:
    return (
        ApplicationStatusChange.objects.filter(subject=application)
        .select_related("actor")
        .order_by("created_at", "id")
    )


def target_codes(application: Application) -> list[str]:
    return sorted(m.pk for m in application.target_markets.all())


def facts_of(application: Application, warehouses=None) -> Facts:
    warehouses = application.warehouses.all() if warehouses is None else warehouses
    return Facts(
        export_years=application.export_years,
        ready_share_percent=application.ready_share_percent,
        near_ready_lead_days=application.near_ready_lead_days,
        daily_handover_capacity=application.daily_handover_capacity,
        other_marketplaces=tuple(application.other_marketplaces or ()),
        warehouses=tuple(WarehouseFacts(w.is_active, w.daily_parcel_capacity) for w in warehouses),
    )


def evaluate_application(application: Application, warehouses=None) -> Eligibility:
    """Eligibility of the application's current answers under the edition's current rules."""
    edition = application.edition
    return evaluate(
        facts_of(application, warehouses),
        rule_settings(edition),
        pass_score=edition.pass_score,
    )


# --- activity in markets ---------------------------------------------------------------------


def _active_on(on: date) -> Q:
    return Q(active_from__lte=on) & (Q(active_until__isnull=True) | Q(active_until__gt=on))


def is_merchant_active(organisation_id: int, market_code: str, *, on: date | None = None) -> bool:
    """Whether the merchant may sell in `market_code` on `on` (default today)."""
    return MerchantMarket.objects.filter(
        _active_on(on or today()),
        organisation_id=organisation_id,
        market_id=(market_code or "").upper(),
    ).exists()


def list_active_markets(organisation_id: int, *, on: date | None = None) -> list[str]:
    """The market codes the merchant is active in on `on` (default today), sorted."""
    return sorted(
        set(
            MerchantMarket.objects.filter(
                _active_on(on or today()), organisation_id=organisation_id
            ).values_list("market_id", flat=True)
        )
    )


def active_merchant_ids(market_code: str, *, on: date | None = None) -> QuerySet:
    """The organisation ids of merchants active in `market_code` on `on` (default today),
    as a lazy queryset usable as a subquery (`organisation_id__in=`)."""
    return MerchantMarket.objects.filter(
        _active_on(on or today()), market_id=(market_code or "").upper()
    ).values("organisation_id")


def list_admissions(organisation_id: int) -> QuerySet[MerchantMarket]:
    """Every market admission of a merchant, current and scheduled."""
    return (
        MerchantMarket.objects.filter(organisation_id=organisation_id)
        .select_related("market", "edition")
        .order_by("market_id", "active_from")
    )


# --- profiles --------------------------------------------------------------------------------


def get_profile(organisation) -> MerchantProfile:
    """The merchant's profile, or an unsaved default one (semi-managed)."""
    profile = MerchantProfile.objects.filter(organisation=organisation).first()
    return profile or MerchantProfile(organisation=organisation)


def operating_model_of(organisation_id: int) -> str:
    from .states import OperatingModel

    model = (
        MerchantProfile.objects.filter(organisation_id=organisation_id)
        .values_list("operating_model", flat=True)
        .first()
    )
    return model or OperatingModel.SEMI_MANAGED


@dataclass(frozen=True)
class PublicProfile:
    organisation_id: int
    name: str
    country: str
    city: str
    years_exporting: int | None
    categories: list[str]
    markets_served: list[str]
    about: str
    # Filled by later issues (messaging, logistics); None = not enough data yet.
    response_time_hours: float | None = None
    on_time_handover_rate: float | None = None


def get_public_profile(organisation_id: int, *, on: date | None = None) -> PublicProfile:
    """What buyers see. Only merchants admitted to the program have a public profile."""
    from tradelane.accounts.models import Organisation  # reference data for the name only

    organisation = Organisation.objects.filter(pk=organisation_id, kind="merchant").first()
    if (
        organisation is None
        or not MerchantMarket.objects.filter(organisation_id=organisation_id).exists()
    ):
        raise NotFound("No such merchant.", field="organisation_id")
    profile = get_profile(organisation)
    city = profile.city
    if not city:
        warehouse = list_pickup_warehouses(organisation_id).first()
        city = warehouse.city if warehouse else ""
    return PublicProfile(
        organisation_id=organisation.pk,
        name=organisation.name,
        country=organisation.country,
        city=city,
        years_exporting=profile.years_exporting,
        categories=list(profile.categories or []),
        markets_served=list_active_markets(organisation_id, on=on),
        about=profile.about,
    )


# --- live eligibility ------------------------------------------------------------------------

FACT_FIELDS = (
    "export_years",
    "ready_share_percent",
    "near_ready_lead_days",
    "daily_handover_capacity",
    "other_marketplaces",
)


def preview_for(application: Application, answers: dict) -> Eligibility:
    """Eligibility if the application had `answers` (unsaved, e.g. while typing).

    Only the answers that count are read; warehouses are the merchant's own (unknown
    ids are ignored here: saving refuses them).
    """
    values = {field: getattr(application, field) for field in FACT_FIELDS}
    for field in FACT_FIELDS:
        if field in answers:
            values[field] = answers[field]
    warehouses = application.warehouses.all()
    if "warehouse_ids" in answers:
        ids = {i for i in answers["warehouse_ids"] or () if isinstance(i, int)}
        warehouses = Warehouse.objects.filter(
            organisation_id=application.organisation_id, pk__in=ids
        )
    facts = Facts(
        export_years=values["export_years"],
        ready_share_percent=values["ready_share_percent"],
        near_ready_lead_days=values["near_ready_lead_days"],
        daily_handover_capacity=values["daily_handover_capacity"],
        other_marketplaces=tuple(values["other_marketplaces"] or ()),
        warehouses=tuple(WarehouseFacts(w.is_active, w.daily_parcel_capacity) for w in warehouses),
    )
    edition = application.edition
    return evaluate(facts, rule_settings(edition), pass_score=edition.pass_score)


def preview_eligibility(*, actor: Actor, application_id: int, answers: dict) -> Eligibility:
    return preview_for(get_application(actor=actor, application_id=application_id), answers)


def list_edition_audit(edition: ProgramEdition, *, limit: int = 50):
    """Audit entries of an edition (its edits and rule tuning)."""
    from tradelane.core.models import AuditEntry

    return AuditEntry.objects.filter(
        target_type="merchants.programedition", target_id=str(edition.pk)
    ).select_related("actor_user")[:limit]
