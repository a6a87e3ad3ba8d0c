from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Role


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SignUpForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I am"),
        choices=[
            ("buyer", _("a business buying goods (buyer)")),
            ("merchant", _("a merchant selling goods")),
        ],
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.CharField(
        label=_("Country (ISO code, e.g. US, DE, CN)"), min_length=2, max_length=2
    )
    full_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(r.value, r.label) for r in Role if r in roles]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. 'ERP sync'.")
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"), min_value=1, max_value=3650, required=False
    )


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def add_domain_error(form: forms.Form, error) -> None:
    """Show a service's DomainError next to its field (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
