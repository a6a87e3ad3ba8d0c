"""Checkout and order forms (pages). The services validate again; forms give field errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

PAYMENT_METHODS = [
    ("test_ok", _("Test card: approved")),
    ("test_decline", _("Test card: declined")),
    ("test_insufficient_funds", _("Test card: insufficient funds")),
]


class CheckoutForm(forms.Form):
    recipient = forms.CharField(label=_("Recipient"), max_length=120)
    company = forms.CharField(label=_("Company"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    street_address = forms.CharField(label=_("Street address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=120)
    country_area = forms.CharField(label=_("State / province"), max_length=120, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20)
    buyer_tax_id = forms.CharField(
        label=_("VAT / tax id (B2B)"),
        max_length=40,
        required=False,
        help_text=_("A valid id switches to reverse charge where the market's rule says so."),
    )
    po_number = forms.CharField(label=_("PO number"), max_length=64, required=False)
    incoterm = forms.ChoiceField(
        label=_("Incoterm"),
        choices=[
            ("DDP", _("DDP: pay duties and taxes now")),
            ("DAP", _("DAP: duties and taxes due on delivery")),
        ],
    )
    payment_method = forms.ChoiceField(label=_("Payment"), choices=PAYMENT_METHODS)

    ADDRESS = (
        "recipient",
        "company",
        "phone",
        "street_address",
        "city",
        "country_area",
        "postal_code",
    )

    def address(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.ADDRESS}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
