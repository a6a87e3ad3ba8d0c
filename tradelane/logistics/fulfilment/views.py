"""Pages: the merchant's pickup manifest and handover scan, shipment lists, documents,
public tracking by number, the order pages' tracking partial, and the operator's
shipments, exceptions queue and SLA dashboard. Thin: one selector or service each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.core.access import (
    ANY_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    PUBLIC,
    allow,
    current_actor,
)
from tradelane.core.errors import DomainError, NotFound
from tradelane.orders import selectors as order_selectors

from . import charts, selectors, services
from .api import DOCUMENTS
from .states import NEEDS_ATTENTION, ShipmentStatus

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _day(text) -> date:
    try:
        return date.fromisoformat(text) if text else timezone.now().date()
    except ValueError:
        return timezone.now().date()


# --- merchant --------------------------------------------------------------------------


@allow(MERCHANT_MEMBER)
def pickups(request):
    actor = current_actor(request)
    day = _day(request.GET.get("day"))
    day_pickups, shipments = selectors.manifest(actor=actor, day=day)
    for pickup in day_pickups:
        pickup.parcels = [s for s in shipments if s.pickup_id == pickup.pk]
    return TemplateResponse(
        request,
        "fulfilment/pickups.html",
        {
            "day": day,
            "pickups": day_pickups,
            "unplanned": selectors.unplanned(actor=actor)[:50],
            "rate": selectors.handover_rate(merchant_id=actor.organisation_id),
        },
    )


@require_POST
@allow(MERCHANT_MEMBER)
def scan(request):
    """The scan input posts here (a barcode scanner types the number and Enter)."""
    context = {"scanned": request.POST.get("tracking_number", "")[:40]}
    try:
        shipment = services.record_scan(
            actor=current_actor(request), tracking_number=context["scanned"]
        )
        context["shipment"] = shipment
    except DomainError as error:
        context["error"] = error.message
    if request.htmx:
        return TemplateResponse(request, "fulfilment/_scan_result.html", context)
    if "error" in context:
        messages.error(request, context["error"])
    else:
        messages.success(request, _("Handed over: %s") % context["shipment"].tracking_number)
    return redirect("fulfilment:pickups")


@allow(MERCHANT_MEMBER)
def merchant_shipments(request):
    actor = current_actor(request)
    try:
        shipments = selectors.list_shipments(actor=actor, status=request.GET.get("status"))
    except DomainError:
        shipments = selectors.list_shipments(actor=actor)
    return TemplateResponse(
        request,
        "fulfilment/merchant_shipments.html",
        {"page": _page(request, shipments), "statuses": ShipmentStatus.choices},
    )


@allow(MERCHANT_MEMBER, OPERATOR_MEMBER)
def document(request, shipment_id: int, name: str):
    if name not in DOCUMENTS:
        raise NotFound()
    actor = current_actor(request)
    shipment = selectors.get_shipment(actor=actor, shipment_id=shipment_id)
    pdf = DOCUMENTS[name](selectors.document_data(shipment))
    if name == "label.pdf" and actor.kind == "merchant":
        services.mark_label_printed(shipment=shipment)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{shipment.tracking_number}-{name}"'
    return response


# --- buyer and merchant: the order page's tracking partial ------------------------------


@allow(ANY_MEMBER)
def order_tracking(request, order_id: int):
    """`fulfilment/_tracking.html` for one order; the partial polls itself while moving."""
    actor = current_actor(request)
    order_selectors.get_order(actor=actor, order_id=order_id)  # another's order: 404
    context = selectors.tracking_context(actor=actor, order_id=order_id)
    template = "fulfilment/_tracking.html" if request.htmx else "fulfilment/order_tracking.html"
    return TemplateResponse(request, template, {**context, "order_id": order_id})


# --- public ----------------------------------------------------------------------------


@allow(PUBLIC)
def track(request, number: str | None = None):
    number = number or request.GET.get("number", "")
    context = {"number": number[:40]}
    if number:
        try:
            shipment, steps, events = selectors.get_public(number)
            context.update(shipment=shipment, steps=steps, events=events)
        except NotFound:
            from tradelane.returns.views.reverse import public_track  # return parcels too

            found = public_track(request, number)
            if found is not None:
                return found
            context["error"] = _("No shipment has this tracking number.")
    template = "fulfilment/_public_timeline.html" if request.htmx else "fulfilment/track.html"
    response = TemplateResponse(request, template, context)
    if number and "error" in context and not request.htmx:
        response.status_code = 404
    return response


# --- operators -------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def ops_shipments(request, attention: bool = False):
    actor = current_actor(request)
    filters = {k: request.GET.get(k) or None for k in ("status", "tier", "lane")}
    try:
        shipments = selectors.list_shipments(actor=actor, attention=attention, **filters)
    except DomainError as error:
        messages.error(request, error.message)
        shipments = selectors.list_shipments(actor=actor, attention=attention)
    return TemplateResponse(
        request,
        "fulfilment/ops_shipments.html",
        {
            "page": _page(request, shipments),
            "filters": filters,
            "attention": attention,
            "statuses": ShipmentStatus.choices,
        },
    )


@allow(OPERATOR_MEMBER)
def ops_exceptions(request):
    return ops_shipments.__wrapped__(request, attention=True)


@allow(OPERATOR_MEMBER)
def ops_shipment(request, shipment_id: int):
    shipment = selectors.get_shipment(actor=current_actor(request), shipment_id=shipment_id)
    events = selectors.events_of(shipment)
    return TemplateResponse(
        request,
        "fulfilment/ops_shipment.html",
        {
            "shipment": shipment,
            "steps": selectors.timeline(shipment, events),
            "events": events,
            "history": shipment.history.select_related("actor"),
            "in_exception": shipment.status in NEEDS_ATTENTION,
        },
    )


ACTIONS = {
    "reattempt": services.reattempt,
    "return": services.return_to_sender,
    "lost": services.declare_lost,
}


@require_POST
@allow(OPERATOR_ADMIN)
def ops_action(request, shipment_id: int, action: str):
    if action not in ACTIONS:
        raise NotFound()
    try:
        ACTIONS[action](
            actor=current_actor(request),
            shipment_id=shipment_id,
            note=request.POST.get("note", "")[:300],
        )
        messages.success(request, _("Done."))
    except NotFound:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("fulfilment:ops_shipment", shipment_id=shipment_id)


@allow(OPERATOR_MEMBER)
def ops_sla(request):
    rates = selectors.sla()
    return TemplateResponse(
        request,
        "fulfilment/ops_sla.html",
        {
            "charts": charts.sla_charts(rates),
            "rates": rates,
            "share": services.promise.rule_share() * 100,
        },
    )


@require_POST
@allow(OPERATOR_ADMIN)
def ops_credit_rule(request):
    try:
        share = Decimal(request.POST.get("share_percent", "").strip() or "x")
    except InvalidOperation:
        share = None
    try:
        services.set_credit_rule(actor=current_actor(request), share_percent=share)
        messages.success(request, _("Late-delivery credit rule saved."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("fulfilment:ops_sla")
