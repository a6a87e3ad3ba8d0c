"""Operator forms for markets and FX rates; services do the rules, forms the parsing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Market
from .states import MarketStatus, next_statuses

MAX_UPLOAD = 20 * 1024 * 1024


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's DomainError next to its field (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class MarketForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    locales = forms.CharField(
        label=_("Locales"), max_length=200, help_text=_("Comma-separated, e.g. en-GB, cy-GB")
    )
    default_locale = forms.CharField(label=_("Default locale"), max_length=16)
    display_decimals = forms.IntegerField(
        label=_("Display decimals"),
        min_value=0,
        max_value=4,
        required=False,
        help_text=_("Leave empty to use the ISO minor units"),
    )
    postal_code_regex = forms.CharField(
        label=_("Postal-code pattern"), max_length=300, required=False
    )
    postal_code_example = forms.CharField(
        label=_("Postal-code example"), max_length=40, required=False
    )
    postal_code_required = forms.BooleanField(label=_("Postal code required"), required=False)
    phone_prefix = forms.CharField(label=_("Phone prefix"), max_length=8)
    source_note = forms.CharField(
        label=_("Source note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    FIELDS = (
        "name",
        "locales",
        "default_locale",
        "display_decimals",
        "postal_code_regex",
        "postal_code_example",
        "postal_code_required",
        "phone_prefix",
        "source_note",
    )

    @classmethod
    def initial_for(cls, market: Market) -> dict:
        data = {field: getattr(market, field) for field in cls.FIELDS}
        data["locales"] = ", ".join(market.locales)
        return data

    def clean_locales(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["locales"].split(",") if part.strip()]

    def changes(self, market: Market) -> dict:
        """Only the fields whose value differs from the market's."""
        return {f: v for f, v in self.cleaned_data.items() if getattr(market, f) != v}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, market: Market, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(MarketStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in next_statuses(market.status)]


class FxRateForm(forms.Form):
    base = forms.CharField(label=_("Base currency"), min_length=3, max_length=3, initial="EUR")
    quote = forms.CharField(label=_("Quote currency"), min_length=3, max_length=3)
    rate = forms.DecimalField(
        label=_("Rate (1 base = rate quote)"), max_digits=18, decimal_places=8, min_value=0
    )
    as_of = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Source"), max_length=40, initial="manual")

    def clean_base(self):
        return self.cleaned_data["base"].upper()

    def clean_quote(self):
        return self.cleaned_data["quote"].upper()


class EcbUploadForm(forms.Form):
    file = forms.FileField(
        label=_("ECB XML file"), help_text=_("eurofxref-daily.xml or eurofxref-hist.xml")
    )
    source = forms.CharField(label=_("Source"), max_length=40, initial="ECB")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class FxFilterForm(forms.Form):
    base = forms.CharField(label=_("Base"), max_length=3, required=False)
    quote = forms.CharField(label=_("Quote"), max_length=3, required=False)
    as_of = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Source"), max_length=40, required=False)
