"""Returns pages: reverse logistics — the return detail pages' parcel panel (polls itself
while the parcel moves), the buyer's pickup or drop-off, the label PDF, the return point's
scan-in, and the return points' tariffs. Thin: one service or selector each; errors show
next to the field they name."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tradelane.catalog.forms import add_domain_error
from tradelane.core.access import ANY_MEMBER, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError, Forbidden, NotFound

from .. import points, reverse, selectors
from ..models import ReverseShipment

DETAIL = {"buyer": "buyer_return", "merchant": "merchant_return", "operator": "ops_return"}


# --- forms ------------------------------------------------------------------------------------


class MethodForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How the parcel leaves"),
        choices=[
            ("drop_off", gettext_lazy("I drop it off at a carrier point")),
            ("pickup", gettext_lazy("The carrier picks it up")),
        ],
        widget=forms.RadioSelect,
    )
    pickup_on = forms.DateField(label=gettext_lazy("Pickup date"), required=False)


class ReceiveForm(forms.Form):
    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=40)


class ReturnPointForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    address = forms.CharField(
        label=gettext_lazy("Address (one line each)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    city = forms.CharField(label=gettext_lazy("City"), max_length=80)
    postal_code = forms.CharField(label=gettext_lazy("Postal code"), max_length=20, required=False)
    reverse_label_cost = forms.CharField(label=gettext_lazy("Reverse label"), max_length=24)
    pickup_surcharge = forms.CharField(label=gettext_lazy("Pickup surcharge"), max_length=24)
    handling_fee = forms.CharField(
        label=gettext_lazy("Handling and grading, per return"), max_length=24
    )
    consolidation_parcel_cost = forms.CharField(
        label=gettext_lazy("Consolidated parcel to a merchant"), max_length=24
    )
    consolidation_per_kg = forms.CharField(
        label=gettext_lazy("Consolidation, per kg"), max_length=24
    )
    disposal_fee = forms.CharField(label=gettext_lazy("Disposal, per item"), max_length=24)
    liquidation_share = forms.CharField(
        label=gettext_lazy("Liquidation recovers (share of value, 0–1)"), max_length=12
    )
    returnless_share = forms.CharField(
        label=gettext_lazy("Returnless when returning costs more than (share of value)"),
        max_length=12,
    )

    @classmethod
    def initial_of(cls, point) -> dict:
        initial = {f: getattr(point, f) for f in ("name", "city", "postal_code")}
        initial["address"] = "\n".join(point.address)
        for field in points.AMOUNT_FIELDS:
            initial[field] = f"{getattr(point, field).normalize():f}"
        for field in points.SHARE_FIELDS:
            initial[field] = f"{getattr(point, field).normalize():f}"
        return initial


# --- the panel on the return detail pages -----------------------------------------------------


@allow(ANY_MEMBER)
def panel(request, return_id: int):
    """The parcel panel alone (HTMX polls it while the parcel moves)."""
    row = selectors.get_return(actor=current_actor(request), return_id=return_id)
    return TemplateResponse(request, "returns/_reverse_panel.html", {"r": row})


@allow(ANY_MEMBER)
def label(request, return_id: int):
    """The return label PDF for the buyer, the merchant and the operators (others 404)."""
    shipment, pdf = reverse.print_label(actor=current_actor(request), return_id=return_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{shipment.tracking_number}-return.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@allow(ANY_MEMBER)
def method(request, return_id: int):
    """The buyer chooses drop-off or a pickup date (a page of its own, and the panel's
    form posts here). Anyone else, or another buyer's return: 404."""
    actor = current_actor(request)
    if actor.kind != "buyer":
        raise NotFound("No such return request.")
    shipment = reverse.get_shipment(actor=actor, return_id=return_id)
    form = MethodForm(
        request.POST or None,
        initial={"method": shipment.method, "pickup_on": shipment.pickup_on},
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                reverse.choose_method(
                    actor=actor,
                    return_id=return_id,
                    method=data["method"],
                    pickup_on=data["pickup_on"],
                )
            except DomainError as error:
                if error.status == 404:
                    raise
                add_domain_error(form, error)
                status = error.status
            else:
                if data["method"] == ReverseShipment.Method.PICKUP:
                    messages.success(
                        request,
                        _("Pickup booked for %(day)s.") % {"day": data["pickup_on"].isoformat()},
                    )
                else:
                    messages.success(request, _("Drop the parcel off at any carrier point."))
                return redirect("returns:buyer_return", return_id=return_id)
    return TemplateResponse(
        request,
        "returns/reverse_method.html",
        {"r": shipment.request, "s": shipment, "form": form, "days": reverse.pickup_days()},
        status=status,
    )


# --- the return point -------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def receive_page(request):
    return TemplateResponse(request, "returns/reverse_receive.html", {"form": ReceiveForm()})


@require_POST
@allow(OPERATOR_MEMBER)
def receive(request):
    """The scan input posts here (a barcode scanner types the number and Enter)."""
    form = ReceiveForm(request.POST)
    context = {"scanned": request.POST.get("tracking_number", "")[:40], "form": form}
    if form.is_valid():
        try:
            shipment = reverse.receive(
                actor=current_actor(request), tracking_number=form.cleaned_data["tracking_number"]
            )
            context["shipment"] = shipment
        except DomainError as error:
            context["error"] = error.message
            context["status"] = error.status
    else:
        context["error"] = _("Scan or type the tracking number.")
        context["status"] = 422
    status = context.get("status", 200)
    if request.htmx:
        return TemplateResponse(request, "returns/reverse_receive_result.html", context)
    if "error" in context:
        if not form.errors:  # a service refusal; the form's own errors are shown already
            add_domain_error(form, DomainError(context["error"], field="tracking_number"))
        return TemplateResponse(request, "returns/reverse_receive.html", context, status=status)
    messages.success(
        request,
        _("Received: %(tn)s (%(number)s).")
        % {"tn": shipment.tracking_number, "number": shipment.request.number},
    )
    return redirect("returns:ops_receive")


@allow(OPERATOR_MEMBER)
def return_points(request):
    """Every market's return point and its tariff; operator admins edit them."""
    actor = current_actor(request)
    return TemplateResponse(
        request,
        "returns/reverse_points.html",
        {"points": points.list_return_points(), "admin": actor.role == "admin"},
    )


@allow(OPERATOR_MEMBER)
def return_point(request, market: str):
    actor = current_actor(request)
    point = points.get_return_point(market)
    form = ReturnPointForm(request.POST or None, initial=ReturnPointForm.initial_of(point))
    status = 200
    if request.method == "POST":
        if actor.role != "admin":
            raise Forbidden(_("Only operator admins edit return points."))
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
            try:
                if changes:
                    points.set_tariff(actor=actor, market=point.market_id, changes=changes)
            except DomainError as error:
                if error.status == 404:
                    raise
                add_domain_error(form, error)
            else:
                messages.success(
                    request, _("Return point of %(m)s saved.") % {"m": point.market_id}
                )
                return redirect("returns:ops_return_points")
        status = 422
    return TemplateResponse(
        request,
        "returns/reverse_point.html",
        {"point": point, "form": form, "admin": actor.role == "admin"},
        status=status,
    )


# --- public tracking (fulfilment's /track/ page asks here for reverse numbers) ----------------


def public_track(request, number: str) -> TemplateResponse | None:
    """The /track/ page for a reverse parcel's number (status, steps, places; no names or
    addresses), or None when no reverse parcel has it."""
    try:
        parcel, steps = reverse.get_public(number)
    except NotFound:
        return None
    template = (
        "returns/reverse_public_timeline.html" if request.htmx else "returns/reverse_track.html"
    )
    return TemplateResponse(
        request, template, {"number": number[:40], "parcel": parcel, "steps": steps}
    )
