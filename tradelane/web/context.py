"""Template context: which portal the page belongs to and its navigation."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tradelane.accounts.notifications import count_unread
from tradelane.core.access import current_actor

PORTALS = {
    "store": {
        "title": _("Store"),
        "home": "web:store_home",
        "nav": [
            (_("Home"), "web:store_home"),
            (_("Catalog"), "catalog:storefront_home"),
            (_("Orders"), "orders:buyer_orders"),
            (_("Returns"), "returns:buyer_returns"),
            (_("Track a parcel"), "fulfilment:track_search"),
            (_("Markets"), "markets:list"),
        ],
    },
    "merchant": {
        "title": _("Merchant"),
        "home": "web:merchant_home",
        "nav": [
            (_("Home"), "web:merchant_home"),
            (_("Program"), "merchants:program"),
            (_("Warehouses"), "merchants:warehouses"),
            (_("Products"), "catalog:products"),
            (_("Prices"), "catalog:prices"),
            (_("Stock"), "catalog:stock"),
            (_("Orders"), "orders:merchant_orders"),
            (_("Pickups"), "fulfilment:pickups"),
            (_("Shipments"), "fulfilment:merchant_shipments"),
            (_("Returns"), "returns:merchant_returns"),
            (_("Return rates"), "returns:merchant_rates"),
            (_("What my buyer pays"), "logistics:calculator"),
            (_("Profile"), "merchants:profile"),
        ],
    },
    "ops": {
        "title": _("Operations"),
        "home": "web:ops_home",
        "nav": [
            (_("Home"), "web:ops_home"),
            (_("Applications"), "merchants:ops_queue"),
            (_("Program editions"), "merchants:ops_editions"),
            (_("Markets"), "markets:ops_list"),
            (_("FX rates"), "markets:ops_fx"),
            (_("Rate cards"), "logistics:ops_rate_cards"),
            (_("Duty rates"), "logistics:ops_duty_rates"),
            (_("Orders"), "orders:ops_orders"),
            (_("Payments"), "payments:ops_list"),
            (_("Shipments"), "fulfilment:ops_shipments"),
            (_("Exceptions"), "fulfilment:ops_exceptions"),
            (_("SLA"), "fulfilment:ops_sla"),
            (_("Returns"), "returns:ops_queue"),
            (_("Receive returns"), "returns:ops_receive"),
            (_("Inspection"), "returns:inspection_queue"),
            (_("Return points"), "returns:ops_return_points"),
            (_("Return policies"), "returns:ops_policies"),
            (_("Return rates"), "returns:ops_rates"),
            (_("Audit log"), "web:ops_audit"),
        ],
    },
}
HOME_BY_KIND = {
    "buyer": "web:store_home",
    "merchant": "web:merchant_home",
    "operator": "web:ops_home",
}


def portal_of(path: str) -> str | None:
    for name in PORTALS:
        if path == f"/{name}" or path.startswith(f"/{name}/"):
            return name
    return None


def _safe_reverse(name: str) -> str | None:
    try:
        return reverse(name)
    except Exception:  # an app not installed yet: leave the link out
        return None


def portal(request) -> dict:
    actor = current_actor(request)
    name = portal_of(request.path)
    if name is None and actor is not None and actor.kind:
        name = {"buyer": "store", "merchant": "merchant", "operator": "ops"}[actor.kind]
    nav = []
    if name:
        nav = [
            (label, url, request.path == url)
            for label, url in ((lbl, _safe_reverse(n)) for lbl, n in PORTALS[name]["nav"])
            if url
        ]
    return {
        "actor": actor,
        "portal": name,
        "portal_title": PORTALS[name]["title"] if name else "",
        "portal_nav": nav,
        # a callable: the count query runs only when a template shows it
        "unread_notifications": (lambda: count_unread(actor=actor))
        if actor and actor.organisation
        else 0,
    }
