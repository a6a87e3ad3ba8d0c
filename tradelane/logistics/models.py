"""The logistics network as data: lanes, rate cards per lane × tier, duty tables.

Effective dates are half-open like the markets' rules: a row applies on `effective_from`
and every later day *before* `effective_to` (NULL = open-ended). Weights are kilograms,
dimensions centimetres, rates fractions (0.245 = 24.5%), prices in the card's currency.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tradelane.markets.models import Confidence, amount_field


class Tier(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    STANDARD = "standard", _("Standard")
    PREMIUM = "premium", _("Premium")


TIER_ORDER = (Tier.ECONOMY, Tier.STANDARD, Tier.PREMIUM)


class PricingBasis(models.TextChoices):
    PER_PARCEL = "per_parcel", _("Per parcel: each carton priced on its own weight")
    PER_SHIPMENT = (
        "per_shipment",
        _("Per shipment: the cartons' chargeable weights summed, priced once"),
    )


class Valuation(models.TextChoices):
    CIF = "cif", _("CIF: goods + international shipping")
    FOB = "fob", _("FOB: goods only")


def kg_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=9, decimal_places=3, **kwargs)


def cm_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=7, decimal_places=1, **kwargs)


def fraction_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=7, decimal_places=6, **kwargs)


class Dated(models.Model):
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


class Lane(models.Model):
    """Origin country → destination market, with the destination's delivery calendar."""

    origin_country = models.CharField(max_length=2)
    destination = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)
    customs_valuation = models.CharField(
        max_length=3,
        choices=Valuation.choices,
        default=Valuation.CIF,
        help_text="what the destination's duty base includes",
    )
    non_delivery_weekdays = models.JSONField(
        default=list, help_text="0 = Monday … 6 = Sunday: no delivery on these days"
    )
    holidays = models.JSONField(default=list, help_text="ISO dates without delivery")
    source_note = models.TextField(blank=True)
    as_of = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["origin_country", "destination_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_country", "destination"], name="lane_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(customs_valuation__in=Valuation.values), name="lane_valuation_valid"
            ),
        ]

    def __str__(self):
        return f"{self.origin_country} → {self.destination_id}"


class RateCard(Dated):
    """What one tier on one lane costs, carries and takes, for a period.

    Price of one parcel of chargeable weight w (after rounding up to `rounding_kg` and the
    minimum billable weight): `handling_fee` + `first_price` for the first `first_kg`, then
    `step_price` per `step_kg` started, and above each band's `from_kg` the band's
    `per_kg` instead (marginal: the price never drops when the weight rises).
    `pricing_basis` per_shipment: a multi-carton shipment is priced once on the sum of its
    cartons' chargeable weights (each carton still within the per-parcel limits).
    Fuel surcharge is a fraction of the transport charge; remote-area surcharges are
    `[{"name", "pattern", "per_kg", "minimum"}]` matched on the destination postal code.
    """

    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="rate_cards")
    tier = models.CharField(max_length=10, choices=Tier.choices)
    product_name = models.CharField(max_length=120, blank=True)
    currency = models.CharField(max_length=3)
    handling_fee = amount_field(default=0)
    first_kg = kg_field()
    first_price = amount_field()
    step_kg = kg_field()
    step_price = amount_field()
    bands = models.JSONField(default=list, blank=True)
    min_billable_kg = kg_field(default=0)
    rounding_kg = kg_field(default="0.001")
    volumetric_divisor = models.PositiveIntegerField(
        null=True, blank=True, help_text="cm³ per kg; empty = actual weight only"
    )
    fuel_surcharge_rate = fraction_field(default=0)
    pricing_basis = models.CharField(
        max_length=12, choices=PricingBasis.choices, default=PricingBasis.PER_PARCEL
    )
    remote_areas = models.JSONField(default=list, blank=True)
    max_weight_kg = kg_field()
    max_side_cm = cm_field()
    max_sum_of_sides_cm = cm_field(null=True, blank=True, help_text="L + W + H")
    max_length_plus_girth_cm = cm_field(null=True, blank=True, help_text="L + 2W + 2H")
    carries_battery = models.BooleanField(default=False)
    carries_liquid = models.BooleanField(default=False)
    carries_magnet = models.BooleanField(default=False)
    transit_min_days = models.PositiveSmallIntegerField()
    transit_max_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["lane_id", "tier", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["lane", "tier", "effective_from"], name="rate_card_start_unique"
            ),
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="rate_card_tier_valid"),
            models.CheckConstraint(
                condition=Q(pricing_basis__in=PricingBasis.values),
                name="rate_card_pricing_basis_valid",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="rate_card_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(first_kg__gt=0) & Q(step_kg__gt=0) & Q(rounding_kg__gt=0),
                name="rate_card_weights_gt_0",
            ),
            models.CheckConstraint(
                condition=Q(first_price__gte=0)
                & Q(step_price__gte=0)
                & Q(handling_fee__gte=0)
                & Q(fuel_surcharge_rate__gte=0)
                & Q(fuel_surcharge_rate__lte=1),
                name="rate_card_prices_ge_0",
            ),
            models.CheckConstraint(
                condition=Q(transit_max_days__gte=F("transit_min_days")),
                name="rate_card_transit_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.lane} {self.tier} from {self.effective_from}"


class DutyProgram(models.TextChoices):
    MFN = "mfn", _("MFN duty")
    SECTION_301 = "section_301", _("US Section 301")
    SECTION_122 = "section_122", _("US Section 122 surcharge")
    SECTION_232 = "section_232", _("US Section 232")
    IEEPA_FENTANYL = "ieepa_fentanyl", _("US IEEPA 'fentanyl' tariff")
    IEEPA_RECIPROCAL = "ieepa_reciprocal", _("US IEEPA 'reciprocal' tariff")
    OTHER = "other", _("Other additional duty")


class DutyRate(Dated):
    """An ad-valorem duty for codes starting with `hs_prefix` (empty = any code: the
    market's explained fallback). `origin_country` empty = every origin (MFN); otherwise
    an additional duty on goods of that origin. The longest matching prefix wins per
    program; a program is dropped when its `exclusive_of` program also applies."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    program = models.CharField(max_length=20, choices=DutyProgram.choices)
    origin_country = models.CharField(max_length=2, blank=True)
    hs_prefix = models.CharField(max_length=10, blank=True)
    rate = fraction_field()
    description = models.CharField(max_length=200)
    exclusive_of = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["market_id", "program", "hs_prefix", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["market", "program", "origin_country", "hs_prefix", "effective_from"],
                name="duty_rate_start_unique",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=5), name="duty_rate_0_500pct"
            ),
            models.CheckConstraint(
                condition=Q(program__in=DutyProgram.values), name="duty_rate_program_valid"
            ),
            models.CheckConstraint(
                condition=Q(hs_prefix__regex=r"^[0-9]{0,10}$"), name="duty_rate_prefix_digits"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="duty_rate_period_valid",
            ),
        ]
        indexes = [models.Index(fields=["market", "effective_from"], name="duty_rate_market_idx")]

    def __str__(self):
        return f"{self.market_id} {self.program} {self.hs_prefix or '*'} {self.rate}"
