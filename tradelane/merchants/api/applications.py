"""Merchants' applications to the program, with live eligibility."""

from ninja import Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId

from .. import selectors, services
from ..schemas import AnswersIn, ApplicationIn, ApplicationOut, EligibilityOut
from .common import as_json

router = Router(tags=["merchant program"])


def _out(application_id: int, actor) -> dict:
    return ApplicationOut.of(selectors.get_application(actor=actor, application_id=application_id))


@router.get(
    "/merchant/applications",
    response={200: list[ApplicationOut], **ERRORS},
    summary="Your applications",
)
@allow(MERCHANT_MEMBER)
@paginate(Pagination)
def list_applications(request):
    return [ApplicationOut.of(a) for a in selectors.list_applications(actor=current_actor(request))]


@router.post(
    "/merchant/applications",
    response={201: ApplicationOut, **ERRORS},
    summary="Apply to a program edition",
)
@allow(MERCHANT_MEMBER)
def create_application(request, payload: ApplicationIn):
    """Start a draft with any answers so far (or submit at once with `submit: true`).

    409 `recruitment_not_open` / `recruitment_closed` outside the window, 409
    `already_applied` for a second application to the edition, 422 `market_not_in_edition`,
    `invalid_registration_number`, `incomplete` (when submitting). Accepts `Idempotency-Key`.
    """
    data = payload.model_dump(exclude_unset=True)
    actor = current_actor(request)

    def action():
        answers = {k: v for k, v in data.items() if k not in ("edition_id", "submit")}
        application = services.start_application(
            actor=actor, edition_id=data["edition_id"], submit=data.get("submit", False), **answers
        )
        return 201, as_json(ApplicationOut, _out(application.pk, actor))

    status, body = idempotency.run(
        request, operation="merchants.create_application", payload=data, action=action
    )
    return Status(status, body)


@router.get(
    "/merchant/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="One of your applications",
)
@allow(MERCHANT_MEMBER)
def get_application(request, application_id: int = RowId):
    return _out(application_id, current_actor(request))


@router.patch(
    "/merchant/applications/{application_id}",
    response={200: ApplicationOut, **ERRORS},
    summary="Save answers",
)
@allow(MERCHANT_MEMBER)
def update_application(request, payload: AnswersIn, application_id: int = RowId):
    """Only while a draft or sent back for changes (409 `not_editable`)."""
    actor = current_actor(request)
    services.update_application(
        actor=actor, application_id=application_id, **payload.model_dump(exclude_unset=True)
    )
    return _out(application_id, actor)


@router.post(
    "/merchant/applications/{application_id}/submit",
    response={200: ApplicationOut, **ERRORS},
    summary="Submit for review",
)
@allow(MERCHANT_MEMBER)
def submit_application(request, payload: AnswersIn, application_id: int = RowId):
    """Optionally with last answers. Within the recruitment window only."""
    actor = current_actor(request)
    services.submit_application(
        actor=actor, application_id=application_id, **payload.model_dump(exclude_unset=True)
    )
    return _out(application_id, actor)


@router.post(
    "/merchant/applications/{application_id}/eligibility",
    response={200: EligibilityOut, **ERRORS},
    summary="Preview eligibility",
)
@allow(MERCHANT_MEMBER)
def preview_eligibility(request, payload: AnswersIn, application_id: int = RowId):
    """Eligibility as if the application had these answers; nothing is saved."""
    result = selectors.preview_eligibility(
        actor=current_actor(request),
        application_id=application_id,
        answers=payload.model_dump(exclude_unset=True),
    )
    return result.as_json()
