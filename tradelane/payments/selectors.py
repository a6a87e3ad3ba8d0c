"""Payment reads, scoped to the actor: a payer or payee organisation sees its payments,
operators see all; anyone else's payment is simply not found (404)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from tradelane.core.access import Actor
from tradelane.core.errors import NotFound

from .models import Payment, PaymentStatusChange, ProviderOperation, Refund


def visible_payments(actor: Actor | None) -> QuerySet[Payment]:
    if actor is None or actor.organisation_id is None:
        return Payment.objects.none()
    if actor.is_operator:
        return Payment.objects.all()
    org = actor.organisation_id
    return Payment.objects.filter(Q(payer_organisation_id=org) | Q(payee_organisation_id=org))


def list_payments(
    *, actor: Actor | None, status: str | None = None, reference: str | None = None
) -> QuerySet[Payment]:
    """Newest first; filters by status and by exact reference."""
    payments = visible_payments(actor)
    if status:
        payments = payments.filter(status=status)
    if reference:
        payments = payments.filter(reference=reference)
    return payments.order_by("-created_at", "-id")


def get_payment(*, actor: Actor | None, payment_id: int) -> Payment:
    payment = visible_payments(actor).filter(pk=payment_id).first()
    if payment is None:
        raise NotFound("No such payment.", field="payment_id")
    return payment


def list_status_changes(payment: Payment) -> QuerySet[PaymentStatusChange]:
    return PaymentStatusChange.objects.filter(subject=payment).select_related("actor")


def list_refunds(payment: Payment) -> QuerySet[Refund]:
    return Refund.objects.filter(payment=payment).select_related("requested_by")


def list_operations(payment: Payment) -> QuerySet[ProviderOperation]:
    return ProviderOperation.objects.filter(payment=payment)


# --- for other contexts (orders, returns) --------------------------------------------------


def payment_for_reference(reference: str, *, actor: Actor | None = None) -> Payment | None:
    """The latest payment made for `reference` (e.g. "order:42"); with `actor`, only if
    that actor may see it. An earlier failed attempt is superseded by a later one."""
    payments = visible_payments(actor) if actor is not None else Payment.objects.all()
    return payments.filter(reference=reference).order_by("-created_at", "-id").first()


def payments_for_references(
    references: Iterable[str], *, actor: Actor | None = None
) -> dict[str, Payment]:
    """{reference: latest payment} for a page of rows, in one query."""
    references = list(dict.fromkeys(references))
    if not references:
        return {}
    payments = visible_payments(actor) if actor is not None else Payment.objects.all()
    latest: dict[str, Payment] = {}
    for payment in payments.filter(reference__in=references).order_by("-created_at", "-id"):
        latest.setdefault(payment.reference, payment)
    return latest
