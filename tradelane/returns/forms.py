"""Return forms (pages). The services validate again; forms give field errors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .evidence import MAX_PHOTOS
from .services import MAX_NOTE, MAX_TEXT
from .states import Reason


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ReturnForm(forms.Form):
    order_line_id = forms.TypedChoiceField(label=_("Item"), coerce=int)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    reason = forms.ChoiceField(label=_("Reason"))
    description = forms.CharField(
        label=_("What is wrong?"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB each, at most %(n)s.") % {"n": MAX_PHOTOS},
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, lines=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_line_id"].choices = [
            (v.line.pk, f"{v.line.sku_code} · {v.line.title} ({v.returnable})") for v in lines
        ]
        self.fields["reason"].choices = [(r, Reason(r).label) for r in reasons]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TermsForm(forms.Form):
    market = forms.CharField(widget=forms.HiddenInput, max_length=2)
    window_days = forms.IntegerField(label=_("Window (days)"), min_value=1, max_value=365)
    accepts_changed_mind = forms.BooleanField(
        label=_("Accept changed-mind returns"), required=False
    )


class MarketPolicyForm(forms.Form):
    market = forms.CharField(widget=forms.HiddenInput, max_length=2)
    window_days = forms.IntegerField(label=_("Window (days)"), min_value=1, max_value=365)
    changed_mind_days = forms.IntegerField(
        label=_("Changed-mind window"), min_value=1, max_value=90
    )
    changed_mind_business_days = forms.BooleanField(label=_("Business days"), required=False)
    decision_days = forms.IntegerField(
        label=_("Merchant decides within (days)"), min_value=1, max_value=30
    )
    auto_approve_days = forms.IntegerField(
        label=_("Auto-approval window (days)"), min_value=0, max_value=90
    )
