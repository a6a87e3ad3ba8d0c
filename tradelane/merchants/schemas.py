"""API shapes of the merchant program. Inputs are strict and bounded."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from tradelane.core.api import ID_MAX, StrictIn

from .eligibility import RuleCode
from .models import Application, EligibilityRule, ProgramEdition, Warehouse
from .selectors import PublicProfile, edition_market_codes, evaluate_application, target_codes
from .states import ApplicationStatus, OperatingModel

DAY = r"^\d{4}-\d{2}-\d{2}$"
TIME = r"^([01]\d|2[0-3]):[0-5]\d$"
MARKET = r"^[A-Za-z]{2}$"
Name = Field(min_length=1, max_length=60)


# --- editions and rules ----------------------------------------------------------------------


class RuleOut(Schema):
    code: str
    label: str
    enabled: bool
    weight: int
    pass_at: int
    warn_at: int

    @staticmethod
    def of(rule: EligibilityRule) -> dict:
        return {
            "code": rule.code,
            "label": str(RuleCode(rule.code).label),
            "enabled": rule.enabled,
            "weight": rule.weight,
            "pass_at": rule.pass_at,
            "warn_at": rule.warn_at,
        }


class EditionOut(Schema):
    id: int
    name: str
    description: str
    markets: list[str]
    recruitment_opens_on: date
    recruitment_closes_on: date
    operations_start_on: date
    pass_score: int
    recruiting: bool = Field(description="recruitment is open today")

    @staticmethod
    def of(edition: ProgramEdition, *, today: date) -> dict:
        return {
            "id": edition.pk,
            "name": edition.name,
            "description": edition.description,
            "markets": edition_market_codes(edition),
            "recruitment_opens_on": edition.recruitment_opens_on,
            "recruitment_closes_on": edition.recruitment_closes_on,
            "operations_start_on": edition.operations_start_on,
            "pass_score": edition.pass_score,
            "recruiting": edition.is_recruiting(today),
        }


class EditionIn(StrictIn):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=5000)
    markets: list[str] = Field(min_length=1, max_length=50)
    recruitment_opens_on: str = Field(pattern=DAY, description="YYYY-MM-DD")
    recruitment_closes_on: str = Field(pattern=DAY, description="YYYY-MM-DD, last day")
    operations_start_on: str = Field(pattern=DAY, description="YYYY-MM-DD")
    pass_score: int = Field(70, ge=0, le=100)


class EditionPatchIn(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=5000)
    markets: list[str] | None = Field(None, min_length=1, max_length=50)
    recruitment_opens_on: str | None = Field(None, pattern=DAY)
    recruitment_closes_on: str | None = Field(None, pattern=DAY)
    operations_start_on: str | None = Field(None, pattern=DAY)
    pass_score: int | None = Field(None, ge=0, le=100)


class RulePatchIn(StrictIn):
    enabled: bool | None = None
    weight: int | None = Field(None, ge=0, le=100)
    pass_at: int | None = Field(None, ge=0, le=1_000_000)
    warn_at: int | None = Field(None, ge=0, le=1_000_000)


# --- eligibility -----------------------------------------------------------------------------


class RuleResultOut(Schema):
    code: str
    label: str
    outcome: Literal["pass", "warn", "fail"]
    reason: str
    weight: int
    value: int | None


class EligibilityOut(Schema):
    score: int = Field(description="0-100, weighted: pass 1, warn ½, fail 0")
    pass_score: int
    meets_bar: bool = Field(description="no rule failed and score ≥ pass_score")
    rules: list[RuleResultOut]


# --- applications ----------------------------------------------------------------------------


class AnswersIn(StrictIn):
    """Answers; any subset may be sent while drafting. Unsent answers stay as they are."""

    legal_name: str | None = Field(None, max_length=200)
    registration_country: str | None = Field(None, pattern=MARKET)
    registration_number: str | None = Field(
        None, max_length=40, description="checked with python-stdnum where possible (CN: USCC)"
    )
    contact_name: str | None = Field(None, max_length=120)
    contact_email: str | None = Field(None, max_length=254)
    contact_phone: str | None = Field(None, max_length=30, description="with country code")
    export_years: int | None = Field(None, ge=0, le=100)
    categories: list[str] | None = Field(None, max_length=20)
    target_markets: list[str] | None = Field(
        None, max_length=50, description="market codes the edition covers"
    )
    warehouse_ids: list[int] | None = Field(None, max_length=50)
    ready_share_percent: int | None = Field(
        None, ge=0, le=100, description="share of SKUs ready to hand over within 48 h"
    )
    near_ready_lead_days: int | None = Field(None, ge=0, le=365)
    daily_handover_capacity: int | None = Field(None, ge=0, le=1_000_000)
    other_marketplaces: list[str] | None = Field(None, max_length=20)


class ApplicationIn(AnswersIn):
    edition_id: int = Field(ge=1, le=ID_MAX)
    submit: bool = Field(False, description="submit at once (else a draft is saved)")


class DecisionIn(StrictIn):
    note: str = Field("", max_length=500)


class RejectIn(StrictIn):
    reasons: str = Field(min_length=1, max_length=500)


class ChangesIn(StrictIn):
    note: str = Field(min_length=1, max_length=500)


class HistoryOut(Schema):
    from_status: str
    to_status: str
    note: str
    at: datetime


class ApplicationOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    edition_id: int
    edition_name: str
    status: ApplicationStatus
    legal_name: str
    registration_country: str
    registration_number: str
    registration_number_checked: bool
    contact_name: str
    contact_email: str
    contact_phone: str
    export_years: int | None
    categories: list[str]
    target_markets: list[str]
    warehouse_ids: list[int]
    ready_share_percent: int | None
    near_ready_lead_days: int | None
    daily_handover_capacity: int | None
    other_marketplaces: list[str]
    eligibility: EligibilityOut
    decision_reasons: str
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(application: Application, *, live: bool = True) -> dict:
        """`live` re-evaluates with the current rules; else the stored evaluation is used."""
        eligibility = (
            evaluate_application(application).as_json() if live else application.eligibility
        )
        return {
            "id": application.pk,
            "organisation_id": application.organisation_id,
            "organisation_name": application.organisation.name,
            "edition_id": application.edition_id,
            "edition_name": application.edition.name,
            "status": application.status,
            "legal_name": application.legal_name,
            "registration_country": application.registration_country,
            "registration_number": application.registration_number,
            "registration_number_checked": application.registration_number_checked,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "export_years": application.export_years,
            "categories": application.categories,
            "target_markets": target_codes(application),
            "warehouse_ids": sorted(w.pk for w in application.warehouses.all()),
            "ready_share_percent": application.ready_share_percent,
            "near_ready_lead_days": application.near_ready_lead_days,
            "daily_handover_capacity": application.daily_handover_capacity,
            "other_marketplaces": application.other_marketplaces,
            "eligibility": eligibility
            or {
                "score": 0,
                "pass_score": application.edition.pass_score,
                "meets_bar": False,
                "rules": [],
            },  # fmt: skip
            "decision_reasons": application.decision_reasons,
            "submitted_at": application.submitted_at,
            "decided_at": application.decided_at,
            "created_at": application.created_at,
            "updated_at": application.updated_at,
        }


class ApplicationDetailOut(ApplicationOut):
    history: list[HistoryOut]


class QueueItemOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    edition_id: int
    edition_name: str
    status: ApplicationStatus
    target_markets: list[str]
    eligibility_score: int
    submitted_at: datetime | None

    @staticmethod
    def of(application: Application) -> dict:
        return {
            "id": application.pk,
            "organisation_id": application.organisation_id,
            "organisation_name": application.organisation.name,
            "edition_id": application.edition_id,
            "edition_name": application.edition.name,
            "status": application.status,
            "target_markets": target_codes(application),
            "eligibility_score": application.eligibility_score,
            "submitted_at": application.submitted_at,
        }


# --- warehouses ------------------------------------------------------------------------------


class WarehouseIn(StrictIn):
    name: str = Field(min_length=1, max_length=120)
    country: str = Field(pattern=MARKET)
    country_area: str = Field("", max_length=120, description="province / state")
    city: str = Field(min_length=1, max_length=120)
    city_area: str = Field("", max_length=120, description="district")
    street_address: str = Field(min_length=1, max_length=300)
    postal_code: str = Field("", max_length=20)
    contact_name: str = Field(min_length=1, max_length=120)
    contact_phone: str = Field(min_length=3, max_length=30)
    opening_days: list[int] = Field(min_length=1, max_length=7, description="1 = Monday")
    opens_at: str = Field(pattern=TIME, description="HH:MM local")
    closes_at: str = Field(pattern=TIME, description="HH:MM local")
    time_zone: str = Field(min_length=1, max_length=64, description="e.g. Asia/Shanghai")
    pickup_cutoff: str = Field(pattern=TIME, description="HH:MM local")
    daily_parcel_capacity: int = Field(ge=1, le=1_000_000)
    is_active: bool = True


class WarehousePatchIn(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=120)
    country: str | None = Field(None, pattern=MARKET)
    country_area: str | None = Field(None, max_length=120)
    city: str | None = Field(None, min_length=1, max_length=120)
    city_area: str | None = Field(None, max_length=120)
    street_address: str | None = Field(None, min_length=1, max_length=300)
    postal_code: str | None = Field(None, max_length=20)
    contact_name: str | None = Field(None, min_length=1, max_length=120)
    contact_phone: str | None = Field(None, min_length=3, max_length=30)
    opening_days: list[int] | None = Field(None, min_length=1, max_length=7)
    opens_at: str | None = Field(None, pattern=TIME)
    closes_at: str | None = Field(None, pattern=TIME)
    time_zone: str | None = Field(None, min_length=1, max_length=64)
    pickup_cutoff: str | None = Field(None, pattern=TIME)
    daily_parcel_capacity: int | None = Field(None, ge=1, le=1_000_000)
    is_active: bool | None = None


class WarehouseOut(Schema):
    id: int
    name: str
    country: str
    country_area: str
    city: str
    city_area: str
    street_address: str
    postal_code: str
    normalized_address: dict[str, str]
    contact_name: str
    contact_phone: str = Field(description="E.164")
    opening_days: list[int]
    opens_at: str
    closes_at: str
    time_zone: str
    pickup_cutoff: str
    daily_parcel_capacity: int
    is_active: bool

    @staticmethod
    def of(w: Warehouse) -> dict:
        return {
            "id": w.pk,
            "name": w.name,
            "country": w.country,
            "country_area": w.country_area,
            "city": w.city,
            "city_area": w.city_area,
            "street_address": w.street_address,
            "postal_code": w.postal_code,
            "normalized_address": w.normalized_address,
            "contact_name": w.contact_name,
            "contact_phone": w.contact_phone,
            "opening_days": w.opening_days,
            "opens_at": w.opens_at.strftime("%H:%M"),
            "closes_at": w.closes_at.strftime("%H:%M"),
            "time_zone": w.time_zone,
            "pickup_cutoff": w.pickup_cutoff.strftime("%H:%M"),
            "daily_parcel_capacity": w.daily_parcel_capacity,
            "is_active": w.is_active,
        }


# --- profile and markets ---------------------------------------------------------------------


class ProfileIn(StrictIn):
    operating_model: Literal["semi_managed", "fully_managed"] | None = None
    about: str | None = Field(None, max_length=2000)
    city: str | None = Field(None, max_length=120)
    years_exporting: int | None = Field(None, ge=0, le=100)
    categories: list[str] | None = Field(None, max_length=20)


class AdmissionOut(Schema):
    market: str
    edition: str
    active_from: date
    active_until: date | None
    active_today: bool


class MyProfileOut(Schema):
    organisation_id: int
    name: str
    operating_model: OperatingModel
    about: str
    city: str
    years_exporting: int | None
    categories: list[str]
    active_markets: list[str] = Field(description="markets the merchant may sell in today")
    admissions: list[AdmissionOut] = Field(description="current and scheduled")


class PublicProfileOut(Schema):
    organisation_id: int
    name: str
    country: str
    city: str
    years_exporting: int | None
    categories: list[str]
    markets_served: list[str]
    about: str
    response_time_hours: float | None = Field(description="null: not enough data yet")
    on_time_handover_rate: float | None = Field(description="null: not enough data yet")

    @staticmethod
    def of(profile: PublicProfile) -> dict:
        return profile.__dict__.copy()
