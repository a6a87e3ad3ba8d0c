"""`{% load returns_panel %}{% order_returns order %}` on the order pages: the order's
return requests for the viewing buyer, merchant or operator, and (buyer, delivered
order) the link to request a return."""

from django import template

from tradelane.core.access import current_actor

from .. import selectors

register = template.Library()
DETAIL = {
    "buyer": "returns:buyer_return",
    "merchant": "returns:merchant_return",
    "operator": "returns:ops_return",
}


@register.inclusion_tag("returns/_order_returns.html", takes_context=True)
def order_returns(context, order):
    actor = current_actor(context["request"])
    rows = list(selectors.list_returns(actor=actor).filter(order_id=order.pk))
    delivered = order.status in selectors.DELIVERED and order.delivered_at is not None
    can_request = (
        actor is not None
        and actor.kind == "buyer"
        and order.buyer_id == actor.organisation_id
        and delivered
    )
    return {
        "order": order,
        "returns": rows,
        "can_request": can_request,
        "show": bool(rows) or can_request,
        "detail_url": DETAIL.get(getattr(actor, "kind", None), "returns:buyer_return"),
    }
