"""API shapes for payments and refunds."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from tradelane.core.api import MoneyOut, StrictIn

AMOUNT = r"^\d{1,13}(\.\d{1,4})?$"
CURRENCY = r"^[A-Z]{3}$"


class MoneyIn(StrictIn):
    amount: str = Field(..., pattern=AMOUNT, description='A decimal string, e.g. "12.50".')
    currency: str = Field(..., pattern=CURRENCY, description="ISO 4217, the payment's currency.")


class RefundIn(StrictIn):
    amount: MoneyIn
    reason: str = Field(..., min_length=1, max_length=300)


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    note: str
    created_at: datetime


class RefundOut(Schema):
    id: int
    payment_id: int
    amount: MoneyOut
    reason: str
    status: str
    failure_code: str
    failure_message: str
    created_at: datetime
    completed_at: datetime | None

    @staticmethod
    def resolve_amount(refund) -> dict:
        if isinstance(refund, dict):  # a replayed (already serialised) response
            return refund["amount"]
        return refund.money().as_json()


def _money(field: str, name: str):
    def resolve(payment) -> dict:
        if isinstance(payment, dict):
            return payment[name]
        return payment.money(field).as_json()

    return staticmethod(resolve)


class PaymentOut(Schema):
    """Built from a Payment row (resolvers), so lists paginate in the database."""

    id: int
    reference: str
    status: str
    provider: str
    method: str
    payer_organisation_id: int
    payee_organisation_id: int | None
    amount: MoneyOut
    authorised: MoneyOut
    captured: MoneyOut
    refunded: MoneyOut
    refund_pending: MoneyOut
    refundable: MoneyOut
    failure_code: str
    failure_message: str
    created_at: datetime
    updated_at: datetime
    authorised_at: datetime | None
    captured_at: datetime | None

    resolve_amount = _money("amount", "amount")
    resolve_authorised = _money("authorised_amount", "authorised")
    resolve_captured = _money("captured_amount", "captured")
    resolve_refunded = _money("refunded_amount", "refunded")
    resolve_refund_pending = _money("refund_pending_amount", "refund_pending")

    @staticmethod
    def resolve_refundable(payment) -> dict:
        if isinstance(payment, dict):
            return payment["refundable"]
        return payment.refundable.as_json()


class PaymentDetailOut(PaymentOut):
    """A Payment row with `history` and `refunds` attached by the endpoint."""

    history: list[StatusChangeOut]
    refunds: list[RefundOut]

    @staticmethod
    def resolve_refunds(payment) -> list:
        return payment.refunds_list
