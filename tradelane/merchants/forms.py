"""Forms of the merchant program's pages; services hold the rules, forms parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .eligibility import RuleCode
from .states import ApplicationStatus, OperatingModel

WEEKDAYS = [
    (1, _("Mon")),
    (2, _("Tue")),
    (3, _("Wed")),
    (4, _("Thu")),
    (5, _("Fri")),
    (6, _("Sat")),
    (7, _("Sun")),
]


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's error next to its field(s), or at the top of the form."""
    for field, message in (getattr(error, "errors", None) or {error.field: error.message}).items():
        form.add_error(field if field in form.fields else None, message)


def _list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _date() -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _time(label) -> forms.TimeField:
    return forms.TimeField(
        label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class WarehouseForm(forms.Form):
    name = forms.CharField(label=_("Warehouse name"), max_length=120)
    country = forms.CharField(
        label=_("Country (ISO code)"), min_length=2, max_length=2, initial="CN"
    )
    country_area = forms.CharField(
        label=_("Province / state"), max_length=120, required=False,
        help_text=_("e.g. Guangdong Sheng or 广东省"),
    )  # fmt: skip
    city = forms.CharField(label=_("City"), max_length=120, help_text=_("e.g. Shenzhen Shi"))
    city_area = forms.CharField(label=_("District"), max_length=120, required=False)
    street_address = forms.CharField(label=_("Street address"), max_length=300)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    contact_name = forms.CharField(label=_("Contact name"), max_length=120)
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=30, help_text=_("With country code, e.g. +86 …")
    )
    opening_days = forms.TypedMultipleChoiceField(
        label=_("Open on"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[1, 2, 3, 4, 5, 6],
    )
    opens_at = _time(_("Opens at"))
    closes_at = _time(_("Closes at"))
    pickup_cutoff = _time(_("Daily pickup cut-off"))
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Asia/Shanghai")
    daily_parcel_capacity = forms.IntegerField(
        label=_("Daily parcel capacity"), min_value=1, max_value=1_000_000
    )
    is_active = forms.BooleanField(
        label=_("Active (pickups happen here)"), required=False, initial=True
    )

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    @classmethod
    def initial_for(cls, warehouse) -> dict:
        return {name: getattr(warehouse, name) for name in cls.base_fields}


class ApplicationForm(forms.Form):
    """Every answer is optional while drafting; submitting asks for the rest."""

    legal_name = forms.CharField(label=_("Legal entity name"), max_length=200, required=False)
    registration_country = forms.CharField(
        label=_("Country of registration"), max_length=2, required=False
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("China: the 18-character unified social credit code"),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    export_years = forms.IntegerField(
        label=_("Years exporting"), min_value=0, max_value=100, required=False
    )
    categories = forms.CharField(
        label=_("Product categories"), max_length=600, required=False,
        help_text=_("Comma-separated, e.g. Phone accessories, Chargers"),
    )  # fmt: skip
    target_markets = forms.MultipleChoiceField(
        label=_("Markets you apply for"), widget=forms.CheckboxSelectMultiple, required=False
    )
    warehouse_ids = forms.TypedMultipleChoiceField(
        label=_("Your warehouses"), coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    ready_share_percent = forms.IntegerField(
        label=_("Share of SKUs ready to hand over within 48 h (%)"),
        min_value=0, max_value=100, required=False,
    )  # fmt: skip
    near_ready_lead_days = forms.IntegerField(
        label=_("Lead time for near-ready stock (days)"), min_value=0, max_value=365, required=False
    )
    daily_handover_capacity = forms.IntegerField(
        label=_("Parcels you can hand over a day"), min_value=0, max_value=1_000_000, required=False
    )
    other_marketplaces = forms.CharField(
        label=_("Other marketplaces you sell on"), max_length=600, required=False,
        help_text=_("Comma-separated, e.g. Amazon, Alibaba.com"),
    )  # fmt: skip

    def __init__(self, *args, markets, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_markets"].choices = [(m.pk, f"{m.pk} {m.name}") for m in markets]
        self.fields["warehouse_ids"].choices = [
            (w.pk, f"{w.name} ({w.city}){'' if w.is_active else ' — inactive'}") for w in warehouses
        ]
        for field in self.fields.values():  # re-evaluate eligibility live as answers change
            field.widget.attrs.setdefault("autocomplete", "off")

    @classmethod
    def initial_for(cls, application, target_codes: list[str]) -> dict:
        data = {
            name: getattr(application, name)
            for name in cls.base_fields
            if name not in ("target_markets", "warehouse_ids", "categories", "other_marketplaces")
        }
        data["categories"] = ", ".join(application.categories or [])
        data["other_marketplaces"] = ", ".join(application.other_marketplaces or [])
        data["target_markets"] = target_codes
        data["warehouse_ids"] = [w.pk for w in application.warehouses.all()]
        return data

    def answers(self) -> dict:
        data = dict(self.cleaned_data)
        data["categories"] = _list(data["categories"])
        data["other_marketplaces"] = _list(data["other_marketplaces"])
        data["registration_country"] = data["registration_country"].upper()
        return data


class EditionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    market_codes = forms.MultipleChoiceField(
        label=_("Markets covered"), widget=forms.CheckboxSelectMultiple
    )
    recruitment_opens_on = _date()
    recruitment_closes_on = _date()
    operations_start_on = _date()
    pass_score = forms.IntegerField(
        label=_("Pass score (0-100)"), min_value=0, max_value=100, initial=70
    )

    def __init__(self, *args, markets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["market_codes"].choices = [(m.pk, f"{m.pk} {m.name}") for m in markets]
        self.fields["recruitment_opens_on"].label = _("Recruitment opens on")
        self.fields["recruitment_closes_on"].label = _("Recruitment closes on (last day)")
        self.fields["operations_start_on"].label = _("Operations start on")

    @staticmethod
    def initial_for(edition, codes: list[str]) -> dict:
        return {
            "name": edition.name,
            "description": edition.description,
            "market_codes": codes,
            "recruitment_opens_on": edition.recruitment_opens_on,
            "recruitment_closes_on": edition.recruitment_closes_on,
            "operations_start_on": edition.operations_start_on,
            "pass_score": edition.pass_score,
        }


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=0, max_value=100)
    pass_at = forms.IntegerField(label=_("Pass at"), min_value=0, max_value=1_000_000)
    warn_at = forms.IntegerField(label=_("Warn at"), min_value=0, max_value=1_000_000)


class QueueFilterForm(forms.Form):
    edition = forms.TypedChoiceField(
        label=_("Edition"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Awaiting or decided"))] + ApplicationStatus.choices,
    )
    market = forms.CharField(label=_("Market"), max_length=2, required=False)
    min_score = forms.IntegerField(
        label=_("Score from"), min_value=0, max_value=100, required=False
    )
    max_score = forms.IntegerField(label=_("Score to"), min_value=0, max_value=100, required=False)

    def __init__(self, *args, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [("", _("All"))] + [(e.pk, e.name) for e in editions]


DECISIONS = (
    ApplicationStatus.APPROVED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.CHANGES_REQUESTED,
)


class DecisionForm(forms.Form):
    """The note; the decision is the button pressed (`decision` in the POST)."""

    note = forms.CharField(
        label=_("Reasons or note to the merchant"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or request changes; the merchant reads it."),
    )


class ProfileForm(forms.Form):
    operating_model = forms.ChoiceField(
        label=_("Operating model"), choices=OperatingModel.choices, widget=forms.RadioSelect
    )
    city = forms.CharField(label=_("City shown to buyers"), max_length=120, required=False)
    years_exporting = forms.IntegerField(
        label=_("Years exporting"), min_value=0, max_value=100, required=False
    )
    categories = forms.CharField(
        label=_("Categories (comma-separated)"), max_length=600, required=False
    )
    about = forms.CharField(
        label=_("About you"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @staticmethod
    def initial_for(profile) -> dict:
        return {
            "operating_model": profile.operating_model,
            "city": profile.city,
            "years_exporting": profile.years_exporting,
            "categories": ", ".join(profile.categories or []),
            "about": profile.about,
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["categories"] = _list(data["categories"])
        return data


RULE_CODES = RuleCode.values
