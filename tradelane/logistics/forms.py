"""Forms of the calculator and the operator's network pages."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradelane.core.errors import DomainError
from tradelane.core.money import Money

from . import engine
from .models import DutyProgram, PricingBasis

KG = {"min_value": Decimal("0.001"), "max_value": Decimal("99999"), "decimal_places": 3}
CM = {"min_value": Decimal("0.1"), "max_value": Decimal("9999"), "decimal_places": 1}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    field = (error.field or "").split(".")[-1]
    aliases = {"postal_code": "postal_code", "market": "market", "buyer_tax_id": "buyer_tax_id"}
    name = aliases.get(field, field)
    form.add_error(name if name in form.fields else None, error.message)


class QuoteForm(forms.Form):
    market = forms.ChoiceField(label=_("Destination market"))
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    buyer_type = forms.ChoiceField(
        label=_("Buyer"), choices=[("b2c", _("Consumer (B2C)")), ("b2b", _("Business (B2B)"))]
    )
    buyer_tax_id = forms.CharField(label=_("Buyer tax id"), max_length=40, required=False)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        choices=[
            ("DDP", _("DDP: buyer pays all at checkout")),
            ("DAP", _("DAP: duties and taxes on delivery")),
        ],
    )
    quote_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Rules in force on this day (default today)."),
    )

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [(m.code, f"{m.code} · {m.name}") for m in markets]

    def quoted_at(self):
        day = self.cleaned_data.get("quote_date")
        if day is None:
            return None
        return datetime.combine(day, time(2, 0), tzinfo=UTC)


TIER_CHOICES = [
    ("", _("All three tiers")),
    ("economy", _("Economy")),
    ("standard", _("Standard")),
    ("premium", _("Premium")),
]


class SkuPickForm(forms.Form):
    """Price one of the merchant's own SKUs (GET): its trade data and its price in force
    in the market pre-fill the calculator."""

    sku = forms.IntegerField(label=_("SKU"), min_value=1, max_value=2**63 - 1)
    market = forms.ChoiceField(label=_("Destination market"))
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Default: the minimum order."),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=20,
        required=False,
        help_text=_("Default: an example of the market."),
    )
    tier = forms.ChoiceField(label=_("Show"), choices=TIER_CHOICES, required=False)

    def __init__(self, *args, skus=(), markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [(m.code, f"{m.code} · {m.name}") for m in markets]
        # a select of the merchant's SKUs; the value is still checked against its own SKUs
        self.fields["sku"].widget = forms.Select(
            choices=[("", "—")] + [(sku.pk, f"{sku.code} · {sku.product.title}") for sku in skus]
        )


class GoodsLineForm(forms.Form):
    hs_code = forms.CharField(label=_("HS code"), max_length=16)
    origin_country = forms.CharField(label=_("Origin"), max_length=2, initial="CN")
    unit_value = forms.DecimalField(
        label=_("Unit value"), min_value=0, max_value=Decimal("1e9"), decimal_places=4
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100000, initial=1)
    unit_gross_weight_kg = forms.DecimalField(label=_("Unit gross kg"), **KG)
    length_cm = forms.DecimalField(label=_("Carton length cm"), **CM)
    width_cm = forms.DecimalField(label=_("Carton width cm"), **CM)
    height_cm = forms.DecimalField(label=_("Carton height cm"), **CM)
    units_per_carton = forms.IntegerField(
        label=_("Units per carton"), min_value=1, max_value=10000, initial=1
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time days"), min_value=0, max_value=180, initial=0
    )
    battery = forms.BooleanField(label=_("Battery"), required=False)
    liquid = forms.BooleanField(label=_("Liquid"), required=False)
    magnet = forms.BooleanField(label=_("Magnet"), required=False)

    def clean_currency(self):
        from tradelane.core.money import validate_currency

        try:
            return validate_currency(self.cleaned_data["currency"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None

    def clean_origin_country(self):
        value = self.cleaned_data["origin_country"].upper()
        if len(value) != 2 or not value.isalpha():
            raise forms.ValidationError(_("A two-letter country code."))
        return value

    def goods_line(self) -> engine.GoodsLine:
        d = self.cleaned_data
        return engine.GoodsLine(
            hs_code=d["hs_code"].strip(),
            origin_country=d["origin_country"],
            unit_value=Money(d["unit_value"], d["currency"]),
            quantity=d["quantity"],
            unit_net_kg=d["unit_gross_weight_kg"],
            unit_gross_kg=d["unit_gross_weight_kg"],
            carton_cm=(d["length_cm"], d["width_cm"], d["height_cm"]),
            units_per_carton=d["units_per_carton"],
            battery=d["battery"],
            liquid=d["liquid"],
            magnet=d["magnet"],
            lead_time_days=d["lead_time_days"],
        )


GoodsLineFormSet = forms.formset_factory(
    GoodsLineForm, extra=0, min_num=1, max_num=10, validate_min=True, validate_max=True
)


class RevisionForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    handling_fee = forms.DecimalField(
        label=_("Handling fee per parcel"), min_value=0, decimal_places=4
    )
    first_price = forms.DecimalField(label=_("First-weight price"), min_value=0, decimal_places=4)
    step_price = forms.DecimalField(label=_("Step price"), min_value=0, decimal_places=4)
    fuel_surcharge_rate = forms.DecimalField(
        label=_("Fuel surcharge (fraction)"), min_value=0, max_value=1, decimal_places=6
    )
    max_weight_kg = forms.DecimalField(label=_("Max parcel weight kg"), **KG)
    pricing_basis = forms.ChoiceField(label=_("Multi-carton pricing"), choices=PricingBasis.choices)
    transit_min_days = forms.IntegerField(
        label=_("Transit min business days"), min_value=0, max_value=120
    )
    transit_max_days = forms.IntegerField(
        label=_("Transit max business days"), min_value=0, max_value=120
    )
    carries_battery = forms.BooleanField(label=_("Carries batteries"), required=False)
    carries_liquid = forms.BooleanField(label=_("Carries liquids"), required=False)
    carries_magnet = forms.BooleanField(label=_("Carries magnets"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    FIELDS = (
        "handling_fee", "first_price", "step_price", "fuel_surcharge_rate", "max_weight_kg",
        "pricing_basis", "transit_min_days", "transit_max_days", "carries_battery", "carries_liquid", "carries_magnet",
    )  # fmt: skip

    @classmethod
    def initial_for(cls, card) -> dict:
        return {name: getattr(card, name) for name in cls.FIELDS}

    def changes(self, card) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.FIELDS
            if self.cleaned_data[name] != getattr(card, name)
        }


class DutyRateForm(forms.Form):
    market = forms.CharField(label=_("Market"), max_length=2)
    program = forms.ChoiceField(label=_("Program"), choices=DutyProgram.choices)
    origin_country = forms.CharField(label=_("Origin (empty = all)"), max_length=2, required=False)
    hs_prefix = forms.CharField(
        label=_("HS prefix (empty = fallback)"), max_length=10, required=False
    )
    rate = forms.DecimalField(
        label=_("Rate (fraction)"), min_value=0, max_value=5, decimal_places=6
    )
    description = forms.CharField(label=_("Description"), max_length=200)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_to = forms.DateField(
        label=_("Effective to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source_note = forms.CharField(label=_("Source"), max_length=500, required=False)


class EndForm(forms.Form):
    effective_to = forms.DateField(
        label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DeliveredCostForm(forms.Form):
    """The product page's panel: how many units, delivered where (the market is the page's)."""

    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
