"""Operator pages: the payment list with filters, and a payment's detail with its
history, refunds, provider calls and the refund form."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradelane.core.access import OPERATOR_ADMIN, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError
from tradelane.core.money import Money

from . import selectors, services
from .forms import PaymentFilterForm, RefundForm, add_domain_error
from .states import REFUNDABLE, RefundStatus

PAGE_SIZE = 50


@allow(OPERATOR_MEMBER)
def ops_payment_list(request):
    form = PaymentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    payments = selectors.list_payments(
        actor=current_actor(request),
        status=filters.get("status") or None,
        reference=(filters.get("reference") or "").strip() or None,
    ).select_related("payer_organisation", "payee_organisation")
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "payments/ops_list.html", {"form": form, "page": page, "payments": page}
    )


def _detail(request, payment, *, refund_form=None, status=200):
    actor = current_actor(request)
    context = {
        "payment": payment,
        "history": selectors.list_status_changes(payment),
        "refunds": selectors.list_refunds(payment),
        "operations": selectors.list_operations(payment),
        "can_refund": OPERATOR_ADMIN.permits(actor) and payment.status in REFUNDABLE,
        "refund_form": refund_form or RefundForm(currency=payment.currency),
    }
    return TemplateResponse(request, "payments/ops_detail.html", context, status=status)


@allow(OPERATOR_MEMBER)
def ops_payment_detail(request, payment_id: int):
    payment = selectors.get_payment(actor=current_actor(request), payment_id=payment_id)
    return _detail(request, payment)


@allow(OPERATOR_ADMIN)
@require_POST
def ops_refund(request, payment_id: int):
    actor = current_actor(request)
    payment = selectors.get_payment(actor=actor, payment_id=payment_id)
    form = RefundForm(request.POST, currency=payment.currency)
    if form.is_valid():
        data = form.cleaned_data
        try:
            refund = services.refund_payment(
                payment_id=payment.pk,
                amount=Money(data["amount"], payment.currency),
                reason=data["reason"],
                idempotency_key=f"ops:{data['idempotency_key']}",
                actor=actor,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if refund.status == RefundStatus.SUCCEEDED:
                messages.success(
                    request,
                    _("Refunded %(amount)s.")
                    % {"amount": refund.money().format(get_language() or "en")},
                )
            else:
                messages.error(
                    request,
                    _("The provider declined the refund: %(message)s")
                    % {"message": refund.failure_message},
                )
            return redirect("payments:ops_detail", payment_id=payment.pk)
    payment.refresh_from_db()
    return _detail(request, payment, refund_form=form, status=422)
