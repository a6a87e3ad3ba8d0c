"""Portal homes, the public landing page and the operator's audit log."""

from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tradelane.core.access import (
    BUYER_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_MEMBER,
    PUBLIC,
    allow,
    current_actor,
)
from tradelane.core.models import AuditEntry

from .context import HOME_BY_KIND


@allow(PUBLIC)
def home(request):
    actor = current_actor(request)
    if actor is not None and actor.kind:
        return redirect(HOME_BY_KIND[actor.kind])
    return TemplateResponse(request, "web/home.html")


@allow(BUYER_MEMBER)
def store_home(request):
    return TemplateResponse(request, "web/store_home.html")


@allow(MERCHANT_MEMBER)
def merchant_home(request):
    return TemplateResponse(request, "web/merchant_home.html")


@allow(OPERATOR_MEMBER)
def ops_home(request):
    recent = AuditEntry.objects.select_related("actor_user")[:10]
    return TemplateResponse(request, "web/ops_home.html", {"recent": recent})


@allow(OPERATOR_MEMBER)
def ops_audit(request):
    entries = AuditEntry.objects.select_related("actor_user", "actor_organisation")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return TemplateResponse(request, "web/ops_audit.html", {"page": page, "action": action})


def not_found(request, exception=None):
    return TemplateResponse(
        request, "web/error.html", {"status": 404, "message": _("Not found.")}, status=404
    )


def forbidden(request, exception=None):
    return TemplateResponse(
        request, "web/error.html", {"status": 403, "message": _("You may not do this.")}, status=403
    )
