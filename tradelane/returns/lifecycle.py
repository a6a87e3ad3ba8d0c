"""Moving a return request: one status change with its history row, the quantity given
back when it ends without a return, and the event payload. Every part of the returns
context (requests, reverse logistics, inspection, settlement) moves requests through here;
callers hold the request's row lock."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from tradelane.core.states import transition

from .models import ReturnableLine, ReturnRequest, ReturnStatusChange
from .states import RELEASES_QUANTITY, TRANSITIONS


def payload(request: ReturnRequest) -> dict:
    return {
        "return_id": request.pk,
        "number": request.number,
        "order_id": request.order_id,
        "order_line_id": request.order_line_id,
        "buyer_id": request.buyer_id,
        "merchant_id": request.merchant_id,
        "quantity": request.quantity,
        "reason": request.reason,
        "status": request.status,
    }


def give_back(request: ReturnRequest) -> None:
    ReturnableLine.objects.filter(
        order_line_id=request.order_line_id, held__gte=request.quantity
    ).update(held=F("held") - request.quantity)


def move(request, target, *, actor, note="", fields=()) -> None:
    request.updated_at = timezone.now()
    transition(
        request,
        target,
        table=TRANSITIONS,
        history=ReturnStatusChange,
        actor=actor,
        note=note,
        extra_update_fields=("updated_at", *fields),
    )
    if target in RELEASES_QUANTITY:
        give_back(request)
