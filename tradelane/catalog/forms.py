"""Forms of the catalog's pages; services hold the rules, forms parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Readiness
from .tradedata import CERTIFICATIONS


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's error next to its field, or at the top of the form."""
    field = (error.field or "").split(".")[-1].split("[")[0]
    form.add_error(field if field in form.fields else None, error.message)


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title (English)"), max_length=200)
    title_es = forms.CharField(label=_("Title (Spanish)"), max_length=200, required=False)
    title_fr = forms.CharField(label=_("Title (French)"), max_length=200, required=False)
    title_de = forms.CharField(label=_("Title (German)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_es = forms.CharField(
        label=_("Description (Spanish)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_fr = forms.CharField(
        label=_("Description (French)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    description_de = forms.CharField(
        label=_("Description (German)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    category_id = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = [("", "—")] + [(c.pk, str(c)) for c in categories]

    @staticmethod
    def initial_for(product) -> dict:
        return {f: getattr(product, f) for f in ProductForm.base_fields}


class SkuForm(forms.Form):
    code = forms.CharField(label=_("SKU code"), max_length=64)
    attributes = forms.CharField(
        label=_("Variant attributes"),
        required=False,
        help_text=_("name=value, one per line (e.g. plug=EU)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    hs_code = forms.CharField(label=_("HS code"), max_length=20, required=False)
    origin_country = forms.CharField(
        label=_("Country of origin"), max_length=2, required=False, help_text=_("e.g. CN")
    )
    net_weight_kg = forms.CharField(label=_("Net weight (kg)"), max_length=12, required=False)
    gross_weight_kg = forms.CharField(label=_("Gross weight (kg)"), max_length=12, required=False)
    length_cm = forms.CharField(label=_("Packed length (cm)"), max_length=12, required=False)
    width_cm = forms.CharField(label=_("Packed width (cm)"), max_length=12, required=False)
    height_cm = forms.CharField(label=_("Packed height (cm)"), max_length=12, required=False)
    units_per_carton = forms.IntegerField(
        label=_("Units per carton"), min_value=1, max_value=1_000_000, required=False
    )
    has_battery = forms.BooleanField(label=_("Contains a battery"), required=False)
    has_liquid = forms.BooleanField(label=_("Contains liquid"), required=False)
    has_magnet = forms.BooleanField(label=_("Contains a magnet"), required=False)
    certifications = forms.MultipleChoiceField(
        label=_("Certifications"),
        required=False,
        choices=list(CERTIFICATIONS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    readiness = forms.ChoiceField(label=_("Readiness"), choices=Readiness.choices)
    lead_days = forms.IntegerField(
        label=_("Lead time (days, near-ready)"), min_value=1, max_value=90, required=False
    )

    def fields_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        attributes = {}
        for line in (data["attributes"] or "").splitlines():
            if "=" in line:
                name, _sep, value = line.partition("=")
                attributes[name.strip()] = value.strip()
            elif line.strip():
                attributes[line.strip()] = ""
        data["attributes"] = attributes
        return data

    @staticmethod
    def initial_for(sku) -> dict:
        data = {f: getattr(sku, f) for f in SkuForm.base_fields if f != "attributes"}
        data["attributes"] = "\n".join(f"{k}={v}" for k, v in (sku.attributes or {}).items())
        return data


class PriceForm(forms.Form):
    unit_price = forms.CharField(label=_("Unit price"), max_length=20)
    moq = forms.IntegerField(label=_("Minimum order quantity"), min_value=1, initial=1)
    increment = forms.IntegerField(label=_("Order increment"), min_value=1, initial=1)
    breaks = forms.CharField(
        label=_("Price breaks"),
        required=False,
        help_text=_("quantity=unit price, one per line (e.g. 100=8.90)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    effective_from = forms.DateTimeField(
        label=_("Effective from (empty = now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_breaks(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data["breaks"] or "").splitlines():
            if not line.strip():
                continue
            quantity, sep, amount = line.partition("=")
            if not sep or not quantity.strip().isdigit():
                raise forms.ValidationError(_("Write each break as quantity=unit price."))
            rows.append({"min_quantity": int(quantity.strip()), "unit_price": amount.strip()})
        return rows


class StockForm(forms.Form):
    on_hand = forms.IntegerField(label=_("On hand"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CsvUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image (JPEG, PNG or WebP)"))


class SupplyPriceForm(forms.Form):
    market = forms.ChoiceField(label=_("Market"))
    supply_price = forms.DecimalField(
        label=_("Supply price (what the platform pays you per unit)"),
        max_digits=18,
        decimal_places=4,
    )
    unit_cost = forms.DecimalField(
        label=_("Your unit cost (optional, for margins)"),
        max_digits=18,
        decimal_places=4,
        required=False,
    )

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market"].choices = [(m.code, f"{m.code} · {m.currency}") for m in markets]


class RetailPriceForm(forms.Form):
    retail_price = forms.DecimalField(
        label=_("Retail price (what buyers pay)"), max_digits=18, decimal_places=4
    )
