"""Pages: the buyer's return form, list and detail; the merchant's list, decisions and
terms; the operator's disputes queue. Thin: each action calls one service and shows its
error next to the field it names."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.catalog.forms import add_domain_error
from tradelane.catalog.services.images import MAX_BYTES
from tradelane.core.access import (
    ANY_MEMBER,
    BUYER_MEMBER,
    MERCHANT_MEMBER,
    OPERATOR_MEMBER,
    allow,
    current_actor,
)
from tradelane.core.errors import DomainError, Forbidden, NotFound

from .. import selectors, services
from ..forms import MarketPolicyForm, NoteForm, ReturnForm, TermsForm
from ..states import BUYER_CANCELLABLE, OPERATOR_QUEUE, ReturnStatus

PAGE_SIZE = 25


# --- buyer ----------------------------------------------------------------------------------


@allow(BUYER_MEMBER)
def request_form(request, order_id: int):
    actor = current_actor(request)
    order = selectors.get_buyer_order(actor=actor, order_id=order_id)
    policy = selectors.effective_policy(market=order.market_id, merchant_id=order.merchant_id)
    lines = selectors.returnable_lines(order)
    open_lines = [v for v in lines if v.returnable > 0]
    form = ReturnForm(
        request.POST or None, request.FILES or None, lines=lines, reasons=policy.reasons
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.request_return(
                    actor=actor,
                    order_line_id=data["order_line_id"],
                    quantity=data["quantity"],
                    reason=data["reason"],
                    description=data["description"],
                    photos=[f.read(MAX_BYTES + 1) for f in data["evidence"]],
                )
            except DomainError as error:
                if error.status == 404:
                    raise
                field = (error.field or "").split("[")[0]
                form.add_error(field if field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("Return %(number)s: %(status)s.")
                    % {"number": created.number, "status": created.get_status_display()},
                )
                return redirect("returns:buyer_return", return_id=created.pk)
        status = 422
    return TemplateResponse(
        request,
        "returns/request.html",
        {
            "order": order,
            "policy": policy,
            "lines": lines,
            "open_lines": open_lines,
            "form": form,
            "delivered": order.status in selectors.DELIVERED,
        },
        status=status,
    )


def _list(request, template: str, rows=None):
    actor = current_actor(request)
    status = request.GET.get("status") or None
    if status not in ReturnStatus.values:
        status = None
    if rows is None:
        rows = selectors.list_returns(actor=actor, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, template, {"page": page, "status": status, "statuses": ReturnStatus.choices}
    )


def _detail(request, return_id: int, template: str):
    row = selectors.get_return(actor=current_actor(request), return_id=return_id)
    return TemplateResponse(
        request,
        template,
        {
            "r": row,
            "history": list(selectors.history_of(row)),
            "evidence": list(selectors.evidence_of(row)),
            "note_form": NoteForm(),
            "cancellable": row.status in BUYER_CANCELLABLE,
            "in_queue": row.status in OPERATOR_QUEUE,
        },
    )


@allow(BUYER_MEMBER)
def buyer_returns(request):
    return _list(request, "returns/buyer_returns.html")


@allow(BUYER_MEMBER)
def buyer_return(request, return_id: int):
    return _detail(request, return_id, "returns/buyer_return.html")


# --- merchant -------------------------------------------------------------------------------


@allow(MERCHANT_MEMBER)
def merchant_returns(request):
    return _list(request, "returns/merchant_returns.html")


@allow(MERCHANT_MEMBER)
def merchant_return(request, return_id: int):
    return _detail(request, return_id, "returns/merchant_return.html")


@allow(MERCHANT_MEMBER)
def merchant_terms(request):
    actor = current_actor(request)
    form = TermsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if actor.role != "owner":
            raise Forbidden(_("Only the owner sets return terms."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_merchant_terms(
                    actor=actor,
                    market=data["market"],
                    window_days=data["window_days"],
                    accepts_changed_mind=data["accepts_changed_mind"],
                )
            except DomainError as error:
                if error.status == 404:
                    raise
                add_domain_error(form, error)
            else:
                messages.success(request, _("Return terms saved."))
                return redirect("returns:merchant_terms")
        status = 422
    return TemplateResponse(
        request,
        "returns/merchant_terms.html",
        {
            "rows": selectors.list_merchant_terms(actor=actor),
            "form": form,
            "owner": actor.role == "owner",
        },
        status=status,
    )


# --- operators ------------------------------------------------------------------------------


@allow(OPERATOR_MEMBER)
def ops_queue(request):
    return _list(
        request,
        "returns/ops_queue.html",
        rows=selectors.operator_queue(actor=current_actor(request)),
    )


@allow(OPERATOR_MEMBER)
def ops_policies(request):
    """Each market's default terms; operator admins edit them."""
    actor = current_actor(request)
    form = MarketPolicyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if actor.role != "admin":
            raise Forbidden(_("Only operator admins edit return policies."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            market = data.pop("market")
            try:
                services.set_market_policy(actor=actor, market=market, changes=data)
            except DomainError as error:
                if error.status == 404:
                    raise
                add_domain_error(form, error)
            else:
                messages.success(request, _("Return policy of %(m)s saved.") % {"m": market})
                return redirect("returns:ops_policies")
        status = 422
    return TemplateResponse(
        request,
        "returns/ops_policies.html",
        {
            "policies": selectors.list_market_policies(),
            "form": form,
            "admin": actor.role == "admin",
        },
        status=status,
    )


@allow(OPERATOR_MEMBER)
def ops_returns(request):
    return _list(request, "returns/ops_returns.html")


@allow(OPERATOR_MEMBER)
def ops_return(request, return_id: int):
    return _detail(request, return_id, "returns/ops_return.html")


# --- actions --------------------------------------------------------------------------------


@require_POST
@allow(ANY_MEMBER)
def return_action(request, return_id: int, action: str):
    """approve / reject (merchant), cancel / dispute (buyer), approve / deny (operator)."""
    actor = current_actor(request)
    note = request.POST.get("note", "")
    calls = {
        ("merchant", "approve"): lambda: services.approve_return(
            actor=actor, return_id=return_id, note=note
        ),
        ("merchant", "reject"): lambda: services.reject_return(
            actor=actor, return_id=return_id, reason=note
        ),
        ("buyer", "cancel"): lambda: services.cancel_return(actor=actor, return_id=return_id),
        ("buyer", "dispute"): lambda: services.dispute_return(
            actor=actor, return_id=return_id, note=note
        ),
        ("operator", "approve"): lambda: services.resolve_return(
            actor=actor, return_id=return_id, decision="approve", note=note
        ),
        ("operator", "deny"): lambda: services.resolve_return(
            actor=actor, return_id=return_id, decision="deny", note=note
        ),
    }
    call = calls.get((actor.kind, action))
    if call is None:
        raise NotFound("No such return request.")
    try:
        row = call()
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Return %(number)s: %(status)s.")
            % {"number": row.number, "status": row.get_status_display()},
        )
    target = {"buyer": "buyer_return", "merchant": "merchant_return", "operator": "ops_return"}
    return redirect(f"returns:{target[actor.kind]}", return_id=return_id)


@allow(ANY_MEMBER)
def evidence(request, return_id: int, evidence_id: int):
    row = selectors.get_evidence(
        actor=current_actor(request), return_id=return_id, evidence_id=evidence_id
    )
    response = FileResponse(row.image.open("rb"), content_type=row.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
