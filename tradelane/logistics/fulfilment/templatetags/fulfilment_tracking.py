"""`{% load fulfilment_tracking %}{% order_tracking order %}` on the order pages: the
order's shipment timeline for the viewing buyer, merchant or operator."""

from django import template

from tradelane.core.access import current_actor

from .. import selectors

register = template.Library()


@register.inclusion_tag("fulfilment/_tracking.html", takes_context=True)
def order_tracking(context, order):
    actor = current_actor(context["request"])
    return {
        **selectors.tracking_context(actor=actor, order_id=order.pk),
        "order_id": order.pk,
        "request": context["request"],
    }
