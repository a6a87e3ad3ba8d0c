"""Program editions, eligibility rules and the operators' review queue."""

from typing import Annotated

from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import ANY_MEMBER, OPERATOR_ADMIN, OPERATOR_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, ID_MAX, Pagination, RowId

from .. import selectors, services
from ..eligibility import RuleCode
from ..schemas import (
    MARKET,
    ApplicationDetailOut,
    ApplicationOut,
    ChangesIn,
    DecisionIn,
    EditionIn,
    EditionOut,
    EditionPatchIn,
    QueueItemOut,
    RejectIn,
    RuleOut,
    RulePatchIn,
)
from ..states import ApplicationStatus
from .common import as_json, parse_day

router = Router(tags=["merchant program"])


def _edition(edition) -> dict:
    return EditionOut.of(edition, today=selectors.today())


def _edition_args(data: dict) -> dict:
    args = {k: v for k, v in data.items() if k != "markets"}
    if "markets" in data:
        args["market_codes"] = data["markets"]
    for key in ("recruitment_opens_on", "recruitment_closes_on", "operations_start_on"):
        if key in args:
            args[key] = parse_day(args[key], key)
    return args


@router.get(
    "/program/editions", response={200: list[EditionOut], **ERRORS}, summary="Program editions"
)
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_editions(request, recruiting: bool | None = None):
    """Newest first. `recruiting=true`: only editions whose recruitment is open today."""
    day = selectors.today()
    editions = selectors.list_editions(recruiting_on=day if recruiting else None)
    return [EditionOut.of(e, today=day) for e in editions]


@router.get(
    "/program/editions/{edition_id}",
    response={200: EditionOut, **ERRORS},
    summary="One program edition",
)
@allow(ANY_MEMBER)
def get_edition(request, edition_id: int = RowId):
    return _edition(selectors.get_edition(edition_id))


@router.post(
    "/program/editions", response={201: EditionOut, **ERRORS}, summary="Create a program edition"
)
@allow(OPERATOR_ADMIN)
def create_edition(request, payload: EditionIn):
    """Create an edition with the default eligibility rules. Accepts `Idempotency-Key`."""
    data = payload.model_dump()

    def action():
        edition = services.create_edition(actor=current_actor(request), **_edition_args(data))
        return 201, as_json(EditionOut, _edition(selectors.get_edition(edition.pk)))

    status, body = idempotency.run(
        request, operation="merchants.create_edition", payload=data, action=action
    )
    return Status(status, body)


@router.patch(
    "/program/editions/{edition_id}",
    response={200: EditionOut, **ERRORS},
    summary="Edit a program edition",
)
@allow(OPERATOR_ADMIN)
def update_edition(request, payload: EditionPatchIn, edition_id: int = RowId):
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    services.update_edition(
        actor=current_actor(request), edition_id=edition_id, **_edition_args(data)
    )
    return _edition(selectors.get_edition(edition_id))


@router.get(
    "/program/editions/{edition_id}/rules",
    response={200: list[RuleOut], **ERRORS},
    summary="Eligibility rules of an edition",
)
@allow(OPERATOR_MEMBER)
def list_rules(request, edition_id: int = RowId):
    return [RuleOut.of(r) for r in selectors.list_rules(selectors.get_edition(edition_id))]


@router.patch(
    "/program/editions/{edition_id}/rules/{code}",
    response={200: RuleOut, **ERRORS},
    summary="Tune an eligibility rule",
)
@allow(OPERATOR_ADMIN)
def update_rule(
    request,
    payload: RulePatchIn,
    edition_id: int = RowId,
    code: str = Path(..., max_length=40, description=f"one of {', '.join(RuleCode.values)}"),
):
    """Thresholds, weight or on/off. Open applications' stored scores follow."""
    rule = services.update_rule(
        actor=current_actor(request),
        edition_id=edition_id,
        code=code,
        **payload.model_dump(exclude_none=True),
    )
    return RuleOut.of(rule)


# --- review -----------------------------------------------------------------------------------


@router.get(
    "/program/applications",
    response={200: list[QueueItemOut], **ERRORS},
    summary="Review queue",
)
@allow(OPERATOR_MEMBER)
@paginate(Pagination)
def review_queue(
    request,
    edition_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
    status: ApplicationStatus | None = None,
    market: Annotated[str | None, Query(pattern=MARKET)] = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
    max_score: Annotated[int | None, Query(ge=0, le=100)] = None,
):
    """Applications in review order (oldest submission first); drafts are not listed
    unless `status=draft`. `score` is the stored one (kept current when rules change)."""
    rows = selectors.list_review_queue(
        edition_id=edition_id,
        status=status,
        market=market,
        min_score=min_score,
        max_score=max_score,
    )
    return [QueueItemOut.of(a) for a in rows]


def _detail(application_id: int) -> dict:
    application = selectors.get_application_for_review(application_id)
    history = [
        {"from_status": h.from_status, "to_status": h.to_status, "note": h.note, "at": h.created_at}
        for h in selectors.list_application_history(application)
    ]
    return {**ApplicationOut.of(application), "history": history}


@router.get(
    "/program/applications/{application_id}",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="An application, for review",
)
@allow(OPERATOR_MEMBER)
def review_application(request, application_id: int = RowId):
    """With eligibility under the edition's current rules and the status history."""
    return _detail(application_id)


@router.post(
    "/program/applications/{application_id}/approve",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Approve an application",
)
@allow(OPERATOR_MEMBER)
def approve(request, payload: DecisionIn, application_id: int = RowId):
    """The merchant becomes active in its target markets from the operations start date."""
    services.approve_application(
        actor=current_actor(request), application_id=application_id, note=payload.note
    )
    return _detail(application_id)


@router.post(
    "/program/applications/{application_id}/reject",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Reject an application",
)
@allow(OPERATOR_MEMBER)
def reject(request, payload: RejectIn, application_id: int = RowId):
    services.reject_application(
        actor=current_actor(request), application_id=application_id, reasons=payload.reasons
    )
    return _detail(application_id)


@router.post(
    "/program/applications/{application_id}/request-changes",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Send an application back for changes",
)
@allow(OPERATOR_MEMBER)
def request_changes(request, payload: ChangesIn, application_id: int = RowId):
    services.request_changes(
        actor=current_actor(request), application_id=application_id, note=payload.note
    )
    return _detail(application_id)
