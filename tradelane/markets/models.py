"""Markets, their effective-dated tax regimes and fixed fees, and FX rates.

Effective dates are half-open: a row applies on `effective_from` and every later day
*before* `effective_to` (NULL = open-ended). Money is an amount (4 decimals) and an ISO
currency; a NULL amount means "there is none" (e.g. no de minimis).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tradelane.core.models import TransitionHistory
from tradelane.core.money import Money

from .states import MarketStatus


class Confidence(models.TextChoices):
    VERIFIED = "verified", "✅"
    UNCERTAIN = "uncertain", "⚠️"
    PLACEHOLDER = "placeholder", "❓"


class B2BRule(models.TextChoices):
    REVERSE_CHARGE = "reverse_charge", _("Reverse charge: the buyer accounts for the tax")
    IMPORTER_PAYS = "importer_pays_at_border", _("Importer pays import tax at the border")
    EXEMPT_WITH_CERTIFICATE = "exempt_with_certificate", _("Exempt with a resale certificate")
    NO_TAX_AT_SALE = "no_tax_at_sale", _("No tax charged at sale to a registered business")
    SAME_AS_B2C = "same_as_b2c", _("Same as for consumers")


class FeeBasis(models.TextChoices):
    PER_PARCEL = "per_parcel", _("per parcel")
    PER_CONSIGNMENT = "per_consignment", _("per consignment")
    PER_ITEM = "per_item", _("per item")
    PER_TARIFF_LINE = "per_tariff_line", _("per distinct tariff line")


def _money(amount: Decimal | None, currency: str) -> Money | None:
    return Money(amount, currency) if amount is not None else None


def amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=4, **kwargs)


class Market(models.Model):
    code = models.CharField(primary_key=True, max_length=2, help_text="ISO 3166-1 alpha-2")
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    currency_numeric = models.CharField(max_length=3, blank=True)
    minor_units = models.PositiveSmallIntegerField(help_text="ISO 4217 minor units (storage)")
    display_decimals = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Override for display (0 for IDR, VND, JPY, KRW)"
    )
    locales = models.JSONField(default=list)
    default_locale = models.CharField(max_length=16)
    status = models.CharField(
        max_length=16, choices=MarketStatus.choices, default=MarketStatus.PLANNED
    )
    recruiting_from = models.DateField(null=True, blank=True)
    live_from = models.DateField(null=True, blank=True)
    postal_code_regex = models.CharField(max_length=300, blank=True)
    postal_code_example = models.CharField(max_length=40, blank=True)
    postal_code_required = models.BooleanField(default=True)
    phone_prefix = models.CharField(max_length=8)
    source_note = models.TextField(blank=True)
    as_of = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MarketStatus.values), name="market_status_valid"
            ),
            models.CheckConstraint(condition=Q(minor_units__lte=4), name="market_minor_units_le_4"),
            models.CheckConstraint(
                condition=Q(display_decimals__isnull=True) | Q(display_decimals__lte=4),
                name="market_display_decimals_le_4",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def shown_decimals(self) -> int:
        return self.display_decimals if self.display_decimals is not None else self.minor_units


class MarketStatusChange(TransitionHistory):
    subject = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(TransitionHistory.Meta):
        pass


class EffectiveDated(models.Model):
    effective_from = models.DateField()
    effective_to = models.DateField(
        null=True, blank=True, help_text="exclusive; empty = open-ended"
    )
    confidence = models.CharField(
        max_length=12, choices=Confidence.choices, default=Confidence.PLACEHOLDER
    )
    source_note = models.TextField(blank=True)
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def applies_on(self, day) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class TaxRegime(EffectiveDated):
    """The indirect-tax and de-minimis rules of one market for a period."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="tax_regimes")
    tax_name = models.CharField(max_length=60)
    standard_rate = models.DecimalField(
        max_digits=7, decimal_places=6, help_text="fraction: 0.2 = 20%"
    )
    rate_notes = models.TextField(blank=True)
    duty_de_minimis_amount = amount_field(null=True, blank=True)
    duty_de_minimis_currency = models.CharField(max_length=3, blank=True)
    tax_de_minimis_amount = amount_field(null=True, blank=True)
    tax_de_minimis_currency = models.CharField(max_length=3, blank=True)
    collect_at_sale_threshold_amount = amount_field(null=True, blank=True)
    collect_at_sale_threshold_currency = models.CharField(max_length=3, blank=True)
    collection_model = models.TextField(blank=True)
    b2b_rule = models.CharField(max_length=32, choices=B2BRule.choices)
    b2b_tax_id_kind = models.CharField(max_length=120, blank=True)
    b2b_invoice_wording = models.CharField(max_length=300, blank=True)
    b2b_confidence = models.CharField(
        max_length=12, choices=Confidence.choices, default=Confidence.PLACEHOLDER
    )
    china_origin_global_rate = models.DecimalField(
        max_digits=7, decimal_places=6, null=True, blank=True, help_text="e.g. MX courier 0.335"
    )
    china_origin_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["market_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "effective_from"], name="tax_regime_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(standard_rate__gte=0) & Q(standard_rate__lte=1),
                name="tax_regime_rate_0_1",
            ),
            models.CheckConstraint(
                condition=Q(china_origin_global_rate__isnull=True)
                | (Q(china_origin_global_rate__gte=0) & Q(china_origin_global_rate__lte=1)),
                name="tax_regime_cn_rate_0_1",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="tax_regime_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(duty_de_minimis_amount__isnull=True) | Q(duty_de_minimis_amount__gte=0),
                name="tax_regime_duty_dm_ge_0",
            ),
            models.CheckConstraint(
                condition=Q(tax_de_minimis_amount__isnull=True) | Q(tax_de_minimis_amount__gte=0),
                name="tax_regime_tax_dm_ge_0",
            ),
            models.CheckConstraint(
                condition=Q(collect_at_sale_threshold_amount__isnull=True)
                | Q(collect_at_sale_threshold_amount__gte=0),
                name="tax_regime_collect_ge_0",
            ),
        ]

    def __str__(self):
        return f"{self.market_id} {self.tax_name} from {self.effective_from}"

    @property
    def duty_de_minimis(self) -> Money | None:
        return _money(self.duty_de_minimis_amount, self.duty_de_minimis_currency)

    @property
    def tax_de_minimis(self) -> Money | None:
        return _money(self.tax_de_minimis_amount, self.tax_de_minimis_currency)

    @property
    def collect_at_sale_threshold(self) -> Money | None:
        return _money(
            self.collect_at_sale_threshold_amount, self.collect_at_sale_threshold_currency
        )


class Fee(EffectiveDated):
    """A fixed charge at import (customs flat duty, national parcel fee...)."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(max_length=120)
    amount = amount_field()
    currency = models.CharField(max_length=3)
    basis = models.CharField(max_length=20, choices=FeeBasis.choices)
    max_consignment_amount = amount_field(null=True, blank=True)
    max_consignment_currency = models.CharField(max_length=3, blank=True)
    applies_to_b2b = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["market_id", "effective_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_ge_0"),
            models.CheckConstraint(
                condition=Q(max_consignment_amount__isnull=True) | Q(max_consignment_amount__gt=0),
                name="fee_max_consignment_gt_0",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="fee_period_valid",
            ),
            models.CheckConstraint(condition=Q(basis__in=FeeBasis.values), name="fee_basis_valid"),
        ]

    def __str__(self):
        return f"{self.market_id} {self.name} from {self.effective_from}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def max_consignment(self) -> Money | None:
        return _money(self.max_consignment_amount, self.max_consignment_currency)


class FxRate(models.Model):
    """1 `base` = `rate` `quote`, as published by `source` for the day `as_of`."""

    base = models.CharField(max_length=3)
    quote = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8)
    as_of = models.DateField()
    source = models.CharField(max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-as_of", "base", "quote", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["base", "quote", "as_of", "source"], name="fx_rate_unique"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fx_rate_positive"),
            models.CheckConstraint(
                condition=~Q(base=F("quote")), name="fx_rate_distinct_currencies"
            ),
        ]
        indexes = [models.Index(fields=["base", "quote", "-as_of"], name="fx_rate_lookup_idx")]

    def __str__(self):
        return f"1 {self.base} = {self.rate} {self.quote} ({self.source} {self.as_of})"


class RegionalTax(EffectiveDated):
    """A province's or state's sales tax on imports, by postal-code prefix (e.g. CA HST,
    QST, PST). `replaces_national` = a harmonised tax that includes the market's own rate
    (Ontario's 13% HST replaces the 5% GST); otherwise it is charged beside it."""

    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="regional_taxes")
    region = models.CharField(max_length=6, help_text="subdivision code, e.g. ON")
    region_name = models.CharField(max_length=60)
    postal_prefixes = models.CharField(
        max_length=40, help_text="first characters of the postal code, space-separated"
    )
    national_tax_name = models.CharField(
        max_length=30, help_text="the market's own tax as named beside this one, e.g. GST"
    )
    tax_name = models.CharField(max_length=30, blank=True, help_text="empty = none")
    rate = models.DecimalField(max_digits=7, decimal_places=6, help_text="fraction: 0.13 = 13%")
    replaces_national = models.BooleanField(default=False)

    class Meta:
        ordering = ["market_id", "region", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "region", "effective_from"], name="regional_tax_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=1), name="regional_tax_rate_0_1"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="regional_tax_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.market_id}-{self.region} {self.tax_name} from {self.effective_from}"


class ReferenceVersion(models.Model):
    """One row: a token that every write to quote reference data replaces (markets, tax
    regimes, fees, regional taxes, FX rates, and logistics lanes, rate cards and duty
    rates). Caches of that data compare it with one cheap query. A fresh random token
    rather than a counter: a rolled-back write can never make an old value mean new data."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="reference_version_single")]

    def __str__(self):
        return f"reference data {self.token} ({self.changed_at:%Y-%m-%d %H:%M})"
