"""Returns over the API. Thin: parse, authorise, one service or selector, map.

`POST /returns` is multipart (form fields + `evidence` image files) and accepts an
`Idempotency-Key`: a retry replays the first answer."""

import hashlib

from django.http import FileResponse
from ninja import File, Form, Path, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tradelane.catalog.services.images import MAX_BYTES
from tradelane.core import idempotency
from tradelane.core.access import (
    ANY_MEMBER,
    BUYER_MEMBER,
    MERCHANT_MEMBER,
    MERCHANT_OWNER,
    OPERATOR_ADMIN,
    OPERATOR_MEMBER,
    PUBLIC,
    allow,
    current_actor,
)
from tradelane.core.api import ERRORS, ID_MAX, PUBLIC_ERRORS, Pagination, RowId

from .. import selectors, services
from ..schemas import (
    DisputeIn,
    EvidenceOut,
    MarketPolicyIn,
    NoteIn,
    PolicyOut,
    RejectIn,
    ResolveIn,
    ReturnableOut,
    ReturnDetailOut,
    ReturnIn,
    ReturnOut,
    TermsIn,
    TermsOut,
)

router = Router(tags=["returns"])
MarketCode = Path(..., pattern=r"^[A-Za-z]{2}$", description="ISO market code, e.g. DE")
EVIDENCE = File(None, description="JPEG, PNG or WebP photos, at most 5 MB each, at most 5")


class _Mapped:
    """A lazily mapped queryset: pagination slices it, then rows become dicts."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return [ReturnOut.of(r) for r in self.queryset[item]]


def _detail(request_row) -> dict:
    return {
        **ReturnOut.of(request_row),
        "evidence_count": len(evidence := list(selectors.evidence_of(request_row))),
        "evidence": [EvidenceOut.of(e) for e in evidence],
        "history": [
            {
                "from_status": h.from_status,
                "to_status": h.to_status,
                "at": h.created_at,
                "note": h.note,
            }
            for h in selectors.history_of(request_row)
        ],
    }


def _reload(request, return_id: int) -> dict:
    return _detail(selectors.get_return(actor=current_actor(request), return_id=return_id))


# --- policies -------------------------------------------------------------------------------


@router.get(
    "/returns/orders/{order_id}",
    response={200: ReturnableOut, **ERRORS},
    summary="What of your order can be returned, and the policy that applies",
)
@allow(BUYER_MEMBER)
def returnable(request, order_id: int = RowId):
    order = selectors.get_buyer_order(actor=current_actor(request), order_id=order_id)
    policy = selectors.effective_policy(market=order.market_id, merchant_id=order.merchant_id)
    return {
        "order_id": order.pk,
        "order_number": order.number,
        "status": order.status,
        "delivered_at": order.delivered_at,
        "policy": PolicyOut.of(policy),
        "lines": [
            {
                "order_line_id": v.line.pk,
                "sku_code": v.line.sku_code,
                "title": v.line.title,
                "delivered": v.delivered,
                "held": v.held,
                "returnable": v.returnable,
            }
            for v in selectors.returnable_lines(order)
        ],
    }


@router.get(
    "/returns/policies/{market}",
    response={200: PolicyOut, **PUBLIC_ERRORS},
    auth=None,
    summary="The return policy in a market (with a merchant's own terms)",
)
@allow(PUBLIC)
def get_policy(
    request, market: str = MarketCode, merchant_id: int | None = Query(None, ge=1, le=ID_MAX)
):
    """The market's default terms; with `merchant_id`, that merchant's longer window and
    changed-mind opt-in on top. Public: these are the terms buyers are shown."""
    selectors.market_or_404(market)
    return PolicyOut.of(selectors.effective_policy(market=market, merchant_id=merchant_id))


@router.put(
    "/ops/return-policies/{market}",
    response={200: PolicyOut, **ERRORS},
    summary="Edit a market's default return terms",
)
@allow(OPERATOR_ADMIN)
def set_market_policy(request, payload: MarketPolicyIn, market: str = MarketCode):
    services.set_market_policy(
        actor=current_actor(request), market=market, changes=payload.model_dump(exclude_none=True)
    )
    return PolicyOut.of(selectors.effective_policy(market=market, merchant_id=None))


def _terms(actor) -> list[dict]:
    out = []
    for policy, terms in selectors.list_merchant_terms(actor=actor):
        out.append(
            {
                "market": policy.market_id,
                "market_window_days": policy.window_days,
                "window_days": terms.window_days if terms else policy.window_days,
                "accepts_changed_mind": bool(terms and terms.accepts_changed_mind),
                "changed_mind_days": policy.changed_mind_days,
                "changed_mind_business_days": policy.changed_mind_business_days,
            }
        )
    return out


@router.get(
    "/merchant/return-terms",
    response={200: list[TermsOut], **ERRORS},
    summary="Your return terms in each market",
)
@allow(MERCHANT_MEMBER)
def list_terms(request):
    return _terms(current_actor(request))


@router.put(
    "/merchant/return-terms/{market}",
    response={200: TermsOut, **ERRORS},
    summary="Set your return window and the changed-mind opt-in in a market",
)
@allow(MERCHANT_OWNER)
def set_terms(request, payload: TermsIn, market: str = MarketCode):
    """The window is at least the market's (30 days by default); opting in to "changed
    mind" uses the market's consumer-style window (e.g. 14 days in the EU and GB)."""
    actor = current_actor(request)
    services.set_merchant_terms(
        actor=actor,
        market=market,
        window_days=payload.window_days,
        accepts_changed_mind=payload.accepts_changed_mind,
    )
    return next(t for t in _terms(actor) if t["market"] == market.upper())


# --- requests -------------------------------------------------------------------------------


@router.post("/returns", response={201: ReturnDetailOut, **ERRORS}, summary="Request a return")
@allow(BUYER_MEMBER)
def create_return(request, payload: Form[ReturnIn], evidence: list[UploadedFile] | None = EVIDENCE):
    """Return `quantity` of a delivered order line of yours, inside the policy's window.
    Transit damage with a photo within 7 days of delivery is approved at once; otherwise
    the merchant decides by `decision_due_at`. Photos are checked by content."""
    actor = current_actor(request)
    photos = [f.read(MAX_BYTES + 1) for f in (evidence or [])]
    body = {
        **payload.model_dump(mode="json"),
        "evidence": [hashlib.sha256(p).hexdigest() for p in photos],
    }

    def action():
        created = services.request_return(
            actor=actor,
            order_line_id=payload.order_line_id,
            quantity=payload.quantity,
            reason=payload.reason,
            description=payload.description,
            photos=photos,
        )
        detail = _reload(request, created.pk)
        return 201, ReturnDetailOut.model_validate(detail).model_dump(mode="json")

    status, result = idempotency.run(
        request, operation="returns.create", payload=body, action=action, atomic=False
    )
    return Status(status, result)


@router.get("/returns", response={200: list[ReturnOut], **ERRORS}, summary="Return requests")
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_returns(request, status: str | None = None):
    """Yours as a buyer, those on your orders as a merchant, all as an operator."""
    return _Mapped(selectors.list_returns(actor=current_actor(request), status=status))


@router.get(
    "/ops/returns/queue",
    response={200: list[ReturnOut], **ERRORS},
    summary="Disputed and escalated returns, oldest first",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def operator_queue(request):
    return _Mapped(selectors.operator_queue(actor=current_actor(request)))


@router.get("/returns/{return_id}", response={200: ReturnDetailOut, **ERRORS})
@allow(ANY_MEMBER)
def get_return(request, return_id: int = RowId):
    return _reload(request, return_id)


@router.get(
    "/returns/{return_id}/evidence/{evidence_id}",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "image", "content": {"image/*": {}}}}},
)
@allow(ANY_MEMBER)
def get_evidence(request, return_id: int = RowId, evidence_id: int = RowId):
    evidence = selectors.get_evidence(
        actor=current_actor(request), return_id=return_id, evidence_id=evidence_id
    )
    return FileResponse(evidence.image.open("rb"), content_type=evidence.content_type)


@router.post("/returns/{return_id}/approve", response={200: ReturnDetailOut, **ERRORS})
@allow(MERCHANT_MEMBER)
def approve_return(request, payload: NoteIn, return_id: int = RowId):
    services.approve_return(actor=current_actor(request), return_id=return_id, note=payload.note)
    return _reload(request, return_id)


@router.post("/returns/{return_id}/reject", response={200: ReturnDetailOut, **ERRORS})
@allow(MERCHANT_MEMBER)
def reject_return(request, payload: RejectIn, return_id: int = RowId):
    services.reject_return(actor=current_actor(request), return_id=return_id, reason=payload.reason)
    return _reload(request, return_id)


@router.post("/returns/{return_id}/cancel", response={200: ReturnDetailOut, **ERRORS})
@allow(BUYER_MEMBER)
def cancel_return(request, return_id: int = RowId):
    services.cancel_return(actor=current_actor(request), return_id=return_id)
    return _reload(request, return_id)


@router.post("/returns/{return_id}/dispute", response={200: ReturnDetailOut, **ERRORS})
@allow(BUYER_MEMBER)
def dispute_return(request, payload: DisputeIn, return_id: int = RowId):
    services.dispute_return(actor=current_actor(request), return_id=return_id, note=payload.note)
    return _reload(request, return_id)


@router.post("/ops/returns/{return_id}/resolve", response={200: ReturnDetailOut, **ERRORS})
@allow(OPERATOR_MEMBER)
def resolve_return(request, payload: ResolveIn, return_id: int = RowId):
    services.resolve_return(
        actor=current_actor(request),
        return_id=return_id,
        decision=payload.decision,
        note=payload.note,
    )
    return _reload(request, return_id)
