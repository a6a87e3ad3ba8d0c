"""API shapes for return policies and return requests."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from tradelane.core.api import ID_MAX, StrictIn

from .policies import Policy
from .services import MAX_NOTE, MAX_QUANTITY, MAX_TEXT
from .states import Reason

# --- input -----------------------------------------------------------------------------------


class ReturnIn(Schema):
    """Multipart form fields (photos go in `evidence` files)."""

    order_line_id: int = Field(..., ge=1, le=ID_MAX)
    quantity: int = Field(..., ge=1, le=MAX_QUANTITY)
    reason: Reason
    description: str = Field("", max_length=MAX_TEXT)


class NoteIn(StrictIn):
    note: str = Field("", max_length=MAX_NOTE)


class RejectIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=MAX_NOTE)


class DisputeIn(StrictIn):
    note: str = Field(..., min_length=1, max_length=MAX_NOTE)


class ResolveIn(StrictIn):
    decision: Literal["approve", "deny"]
    note: str = Field(..., min_length=1, max_length=MAX_NOTE)


class TermsIn(StrictIn):
    window_days: int = Field(..., ge=1, le=365)
    accepts_changed_mind: bool


class MarketPolicyIn(StrictIn):
    """Only the fields sent change."""

    window_days: int | None = Field(None, ge=1, le=365)
    changed_mind_days: int | None = Field(None, ge=1, le=90)
    changed_mind_business_days: bool | None = None
    decision_days: int | None = Field(None, ge=1, le=30)
    auto_approve_days: int | None = Field(None, ge=0, le=90)


# --- output ----------------------------------------------------------------------------------


class PolicyOut(Schema):
    market: str
    window_days: int
    reasons: list[str]
    accepts_changed_mind: bool
    changed_mind_days: int
    changed_mind_business_days: bool
    decision_days: int
    auto_approve_days: int
    auto_approve_reasons: list[str]
    source: str

    @staticmethod
    def of(policy: Policy) -> dict:
        return {
            "market": policy.market,
            "window_days": policy.window_days,
            "reasons": [str(r) for r in policy.reasons],
            "accepts_changed_mind": policy.accepts_changed_mind,
            "changed_mind_days": policy.changed_mind_days,
            "changed_mind_business_days": policy.changed_mind_business_days,
            "decision_days": policy.decision_days,
            "auto_approve_days": policy.auto_approve_days,
            "auto_approve_reasons": [str(r) for r in policy.auto_approve_reasons],
            "source": policy.source,
        }


class ReturnableLineOut(Schema):
    order_line_id: int
    sku_code: str
    title: str
    delivered: int
    held: int
    returnable: int


class ReturnableOut(Schema):
    order_id: int
    order_number: str
    status: str
    delivered_at: datetime | None
    policy: PolicyOut
    lines: list[ReturnableLineOut]


class ReturnOut(Schema):
    id: int
    number: str
    order_id: int
    order_number: str
    order_line_id: int
    sku_code: str
    title: str
    buyer: str
    merchant: str
    market: str
    quantity: int
    reason: str
    description: str
    status: str
    auto_approved: bool
    decision_note: str
    dispute_note: str
    resolution_note: str
    delivered_at: datetime
    window_ends_at: datetime
    decision_due_at: datetime
    evidence_count: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(r) -> dict:
        return {
            "id": r.pk,
            "number": r.number,
            "order_id": r.order_id,
            "order_number": r.order.number,
            "order_line_id": r.order_line_id,
            "sku_code": r.order_line.sku_code,
            "title": r.order_line.title,
            "buyer": r.buyer.name,
            "merchant": r.merchant.name,
            "market": r.market_id,
            "quantity": r.quantity,
            "reason": r.reason,
            "description": r.description,
            "status": r.status,
            "auto_approved": r.auto_approved,
            "decision_note": r.decision_note,
            "dispute_note": r.dispute_note,
            "resolution_note": r.resolution_note,
            "delivered_at": r.delivered_at,
            "window_ends_at": r.window_ends_at,
            "decision_due_at": r.decision_due_at,
            "evidence_count": getattr(r, "evidence_count", 0),
            "created_at": r.created_at,
            "updated_at": r.updated_at,
        }


class EvidenceOut(Schema):
    id: int
    url: str
    content_type: str
    width: int
    height: int
    size_bytes: int

    @staticmethod
    def of(e) -> dict:
        return {
            "id": e.pk,
            "url": reverse("returns:evidence", args=[e.request_id, e.pk]),
            "content_type": e.content_type,
            "width": e.width,
            "height": e.height,
            "size_bytes": e.size_bytes,
        }


class HistoryOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    note: str


class ReturnDetailOut(ReturnOut):
    evidence: list[EvidenceOut]
    history: list[HistoryOut]


class TermsOut(Schema):
    market: str
    market_window_days: int
    window_days: int
    accepts_changed_mind: bool
    changed_mind_days: int
    changed_mind_business_days: bool
