"""Operator forms for markets and FX rates; services do the rules, forms the parsing."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money, validate_currency

from .models import B2BRule, Confidence, FeeBasis, Market, TaxRegime
from .services.markets import EDITABLE_MARKET_FIELDS
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

    FIELDS = tuple(f for f in EDITABLE_MARKET_FIELDS if f != "as_of")

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


def _plain(value: Decimal | None) -> Decimal | None:
    """Without trailing zeros and never in exponent form: 150.0000 → 150, 0.5 → 0.5."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _amount(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=18, decimal_places=4, min_value=0, required=False
    )


class PeriodFields(forms.Form):
    effective_from = forms.DateField(label=_("In force from"), widget=_date_input())
    effective_to = forms.DateField(
        label=_("Until (not including)"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty for open-ended"),
    )
    confidence = forms.ChoiceField(
        label=_("Confidence"),
        choices=[
            (Confidence.VERIFIED, _("Verified: stated by the cited source")),
            (Confidence.UNCERTAIN, _("Uncertain: sources conflict or the rule is changing")),
            (Confidence.PLACEHOLDER, _("Placeholder")),
        ],
        initial=Confidence.PLACEHOLDER,
    )
    source_note = forms.CharField(label=_("Source"), max_length=2000, required=False)


class TaxRegimeForm(PeriodFields):
    """A new regime; amounts are in the market's currency (the API takes any currency)."""

    tax_name = forms.CharField(label=_("Tax name"), max_length=60, initial="VAT")
    standard_rate = forms.DecimalField(
        label=_("Standard rate (%)"), min_value=0, max_value=100, decimal_places=4
    )
    b2b_rule = forms.ChoiceField(label=_("Sales to registered businesses"), choices=B2BRule.choices)
    duty_de_minimis = _amount(_("No duty up to"))
    tax_de_minimis = _amount(_("No import tax up to"))
    collect_at_sale_threshold = _amount(_("Tax collected at sale up to"))
    rate_notes = forms.CharField(label=_("Rate notes"), max_length=2000, required=False)
    b2b_tax_id_kind = forms.CharField(
        label=_("Tax id asked of business buyers"), max_length=120, required=False
    )
    b2b_invoice_wording = forms.CharField(
        label=_("Invoice wording for B2B"), max_length=300, required=False
    )
    close_open = forms.BooleanField(
        label=_("End the current open-ended regime the day this one starts"), required=False
    )

    field_order = [
        "tax_name",
        "standard_rate",
        "b2b_rule",
        "duty_de_minimis",
        "tax_de_minimis",
        "collect_at_sale_threshold",
        "effective_from",
        "effective_to",
        "close_open",
    ]
    MONEY = ("duty_de_minimis", "tax_de_minimis", "collect_at_sale_threshold")

    def __init__(self, *args, market: Market, **kwargs):
        super().__init__(*args, prefix="regime", **kwargs)
        self.market = market
        for name in self.MONEY:
            self.fields[name].label = f"{self.fields[name].label} ({market.currency})"
            self.fields[name].help_text = _("Leave empty for none")

    @classmethod
    def initial_for(cls, regime: TaxRegime | None) -> dict:
        """Start from the regime in force, so an operator changes only what changes."""
        if regime is None:
            return {}
        data = {
            field: getattr(regime, field)
            for field in ("tax_name", "b2b_rule", "rate_notes", "b2b_tax_id_kind")
        }
        data["b2b_invoice_wording"] = regime.b2b_invoice_wording
        data["standard_rate"] = _plain(regime.standard_rate * 100)
        for name in cls.MONEY:
            data[name] = _plain(getattr(regime, f"{name}_amount"))
        return data

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        data["standard_rate"] = data["standard_rate"] / Decimal(100)
        for name in self.MONEY:
            amount = data[name]
            data[name] = None if amount is None else Money(amount, self.market.currency)
        return data


class FeeForm(PeriodFields):
    name = forms.CharField(label=_("Fee name"), max_length=120)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=4, min_value=0)
    currency = forms.CharField(label=_("Currency"), min_length=3, max_length=3)
    basis = forms.ChoiceField(label=_("Charged"), choices=FeeBasis.choices)
    max_consignment = forms.DecimalField(
        label=_("Only for consignments worth up to"),
        max_digits=18,
        decimal_places=4,
        required=False,
        help_text=_("In the fee's currency; leave empty for every consignment"),
    )
    applies_to_b2b = forms.BooleanField(label=_("Also charged on B2B sales"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False)
    close_open = forms.BooleanField(
        label=_("End the open-ended fee of the same name the day this one starts"),
        required=False,
    )

    field_order = [
        "name",
        "amount",
        "currency",
        "basis",
        "max_consignment",
        "applies_to_b2b",
        "effective_from",
        "effective_to",
        "close_open",
    ]

    def __init__(self, *args, market: Market, **kwargs):
        kwargs.setdefault("initial", {"currency": market.currency})
        super().__init__(*args, prefix="fee", **kwargs)

    def clean_currency(self) -> str:
        try:
            return validate_currency(self.cleaned_data["currency"])
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        currency = data.pop("currency")
        data["amount"] = Money(data["amount"], currency)
        limit = data["max_consignment"]
        data["max_consignment"] = None if limit is None else Money(limit, currency)
        return data


class EndForm(forms.Form):
    effective_to = forms.DateField(label=_("End on (first day no longer in force)"))
