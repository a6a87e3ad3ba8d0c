"""Payments endpoints: thin — parse, authorise, call one service/selector."""

import hashlib
import uuid
from typing import Annotated

from ninja import Query, Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import ANY_MEMBER, OPERATOR_ADMIN, allow, current_actor
from tradelane.core.api import ERRORS, ErrorOut, Pagination, RowId
from tradelane.core.money import Money

from . import selectors, services
from .errors import ProviderUnavailable, RefundDeclined
from .schemas import PaymentDetailOut, PaymentOut, RefundIn, RefundOut
from .states import PaymentStatus, RefundStatus

router = Router(tags=["payments"])
PAYMENT_ERRORS = {**ERRORS, 402: ErrorOut}


@router.get(
    "/payments",
    response={200: list[PaymentOut], **ERRORS},
    summary="Your organisation's payments",
)
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_payments(
    request,
    status: PaymentStatus | None = None,
    reference: Annotated[str | None, Query(max_length=100)] = None,
):
    """Payments your organisation made (payer) or receives (payee), newest first.
    Operators see every payment."""
    return selectors.list_payments(actor=current_actor(request), status=status, reference=reference)


@router.get(
    "/payments/{payment_id}",
    response={200: PaymentDetailOut, **ERRORS},
    summary="One payment with its history and refunds",
)
@allow(ANY_MEMBER)
def get_payment(request, payment_id: int = RowId):
    payment = selectors.get_payment(actor=current_actor(request), payment_id=payment_id)
    payment.history = list(selectors.list_status_changes(payment))
    payment.refunds_list = list(selectors.list_refunds(payment))
    return payment


class _Retry(Exception):
    """Carries ProviderUnavailable past idempotency.run, which then frees the key so a
    retry with the same Idempotency-Key resumes the pending refund instead of replaying
    the error."""

    def __init__(self, error: ProviderUnavailable):
        super().__init__(error.message)
        self.error = error


@router.post(
    "/payments/{payment_id}/refunds",
    response={201: RefundOut, **PAYMENT_ERRORS},
    summary="Refund a captured payment (operators)",
)
@allow(OPERATOR_ADMIN)
def refund_payment(request, payload: RefundIn, payment_id: int = RowId):
    """Refund part or all of what was captured — never more, even concurrently (409
    `refund_exceeds_captured`). Send `Idempotency-Key`: a retry returns the first refund
    and moves money once. A refund the provider declines is recorded as failed and answered
    402 `refund_declined`; 409 `provider_unavailable` means no answer yet: retry with the
    same key."""
    actor = current_actor(request)
    data = payload.model_dump()
    key = (request.headers.get(idempotency.HEADER) or "").strip()
    # the refund's own key: per user and Idempotency-Key (as idempotency.run scopes it)
    digest = hashlib.sha256(key.encode()).hexdigest() if key else uuid.uuid4().hex
    refund_key = f"api:{actor.user.pk}:{digest}"

    def action():
        try:
            refund = services.refund_payment(
                payment_id=payment_id,
                amount=Money.of(data["amount"]["amount"], data["amount"]["currency"]),
                reason=data["reason"],
                idempotency_key=refund_key,
                actor=actor,
            )
        except ProviderUnavailable as error:
            raise _Retry(error) from error
        if refund.status == RefundStatus.FAILED:
            raise RefundDeclined(refund.failure_message or "The refund was declined.")
        return 201, RefundOut.from_orm(refund).model_dump(mode="json")

    # the payment must be visible (operators see all) before anything is written
    selectors.get_payment(actor=actor, payment_id=payment_id)
    try:
        status, body = idempotency.run(
            request,
            operation=f"payments.refund:{payment_id}",
            payload=data,
            action=action,
            atomic=False,
        )
    except _Retry as retry:
        raise retry.error from None
    return Status(status, body)
