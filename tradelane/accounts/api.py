from ninja import Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import ANY_MEMBER, ORG_OWNER, PUBLIC, SIGNED_IN, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId

from . import notifications as _notifications
from . import selectors, services
from .models import Membership
from .schemas import (
    InvitationIn,
    InvitationOut,
    MemberOut,
    MeOut,
    NotificationOut,
    OrganisationOut,
    SignUpIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
)

router = Router(tags=["accounts"])


def _membership_json(m: Membership) -> dict:
    org = m.organisation
    return {
        "organisation": {"id": org.pk, "kind": org.kind, "name": org.name, "country": org.country},
        "role": m.role,
    }


def _me(actor) -> dict:
    org = actor.organisation
    return {
        "id": actor.user.pk,
        "email": actor.user.email,
        "full_name": actor.user.full_name,
        "organisation": {"id": org.pk, "kind": org.kind, "name": org.name, "country": org.country}
        if org
        else None,
        "role": actor.role,
        "memberships": [_membership_json(m) for m in selectors.memberships_of(actor.user)],
    }


@router.post(
    "/signup",
    auth=None,
    response={201: MeOut, **ERRORS},
    summary="Sign up a buyer or merchant organisation",
)
@allow(PUBLIC)
def sign_up(request, payload: SignUpIn):
    membership = services.sign_up(**payload.model_dump())
    actor = selectors.actor_for(membership.user, membership.organisation_id)
    return Status(201, _me(actor))


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The current user and organisation")
@allow(SIGNED_IN)
def me(request):
    return _me(current_actor(request))


@router.get(
    "/organisation",
    response={200: OrganisationOut, **ERRORS},
    summary="The organisation you act for",
)
@allow(ANY_MEMBER)
def organisation(request):
    return selectors.get_organisation(actor=current_actor(request))


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Your API tokens")
@allow(SIGNED_IN)
@paginate(Pagination)
def list_tokens(request):
    return selectors.list_tokens(actor=current_actor(request))


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **ERRORS},
    summary="Create an API token (secret shown once)",
)
@allow(ANY_MEMBER)
def create_token(request, payload: TokenIn):
    token, secret = services.create_token(actor=current_actor(request), **payload.model_dump())
    body = TokenOut.from_orm(token).model_dump(mode="json") | {"token": secret}
    return Status(201, body)


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, summary="Revoke an API token")
@allow(SIGNED_IN)
def revoke_token(request, token_id: int = RowId):
    services.revoke_token(actor=current_actor(request), token_id=token_id)
    return Status(204, None)


@router.get(
    "/members", response={200: list[MemberOut], **ERRORS}, summary="Members of your organisation"
)
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_members(request):
    return [
        {
            "id": m.pk,
            "email": m.user.email,
            "full_name": m.user.full_name,
            "role": m.role,
            "created_at": m.created_at,
        }
        for m in selectors.list_members(actor=current_actor(request))
    ]


@router.delete(
    "/members/{membership_id}", response={204: None, **ERRORS}, summary="Remove a member"
)
@allow(ORG_OWNER)
def remove_member(request, membership_id: int = RowId):
    services.remove_member(actor=current_actor(request), membership_id=membership_id)
    return Status(204, None)


@router.get(
    "/invitations",
    response={200: list[InvitationOut], **ERRORS},
    summary="Invitations of your organisation",
)
@allow(ORG_OWNER)
@paginate(Pagination)
def list_invitations(request):
    return selectors.list_invitations(actor=current_actor(request))


@router.post(
    "/invitations",
    response={201: InvitationOut, **ERRORS},
    summary="Invite a colleague (accepts Idempotency-Key)",
)
@allow(ORG_OWNER)
def invite(request, payload: InvitationIn):
    actor = current_actor(request)

    def action():
        invitation = services.invite_member(actor=actor, **payload.model_dump())
        return 201, InvitationOut.from_orm(invitation).model_dump(mode="json")

    status, body = idempotency.run(
        request, operation="accounts.invite", payload=payload.model_dump(), action=action
    )
    return Status(status, body)


@router.delete(
    "/invitations/{invitation_id}", response={204: None, **ERRORS}, summary="Revoke an invitation"
)
@allow(ORG_OWNER)
def revoke_invitation(request, invitation_id: int = RowId):
    services.revoke_invitation(actor=current_actor(request), invitation_id=invitation_id)
    return Status(204, None)


# --- notifications ---------------------------------------------------------------------------


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **ERRORS},
    summary="Your organisation's notices",
)
@allow(ANY_MEMBER)
@paginate(Pagination)
def list_notifications(request, unread: bool | None = None):
    """Newest first; `unread=true` for the unread ones only."""
    return list(_notifications.list_notifications(actor=current_actor(request), unread=unread))


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark a notice read",
)
@allow(ANY_MEMBER)
def read_notification(request, notification_id: int = RowId):
    return _notifications.mark_read(actor=current_actor(request), notification_id=notification_id)
