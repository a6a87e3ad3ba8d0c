"""Operator forms: filters for the payment list, and the refund form."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .states import PaymentStatus


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's error next to its field, or above the form (hidden fields too)."""
    field = form.fields.get(error.field) if error.field else None
    visible = field is not None and not field.widget.is_hidden
    form.add_error(error.field if visible else None, error.message)


class PaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All"))] + list(PaymentStatus.choices),
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.0001"), max_digits=17, decimal_places=4
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    # One key per rendered form: submitting the same form twice refunds once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, currency: str, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Amount (%(currency)s)") % {"currency": currency}
