"""Reads for accounts. Everything is scoped to the acting user's organisation."""

from __future__ import annotations

import hashlib

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import NotFound

from . import token_cache
from .models import ApiToken, Invitation, Membership, Organisation, User

SESSION_ORG_KEY = "organisation_id"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def actor_for(user: User, organisation_id: int | None = None, *, via: str = "session") -> Actor:
    """The actor for a user acting for one of their organisations (default: the first)."""
    memberships = memberships_of(user)
    membership = None
    if organisation_id is not None:
        membership = memberships.filter(organisation_id=organisation_id).first()
    if membership is None:
        membership = memberships.first()
    if membership is None:
        return Actor(user=user, organisation=None, role=None, via=via)
    return Actor(user=user, organisation=membership.organisation, role=membership.role, via=via)


def actor_from_session(request) -> Actor | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return actor_for(user, request.session.get(SESSION_ORG_KEY))


def actor_from_token(secret: str) -> Actor | None:
    """The actor a bearer token stands for, or None when unknown, revoked or expired.
    Memoised per process for a few seconds (`token_cache`: what that means for revocation)."""
    if not secret or len(secret) > 200:
        return None
    digest = hash_token(secret)
    actor = token_cache.get(digest, user_model=User, organisation_model=Organisation)
    if actor is not None:
        return actor
    # One query: the token, its user and organisation, and the member's role (every API
    # request pays for this lookup).
    role = Membership.objects.filter(
        user_id=OuterRef("user_id"), organisation_id=OuterRef("organisation_id")
    ).values("role")[:1]
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .annotate(member_role=Subquery(role))
        .filter(token_hash=digest)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    if token.member_role is None:  # left the organisation: the token dies with the membership
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    actor = Actor(
        user=token.user, organisation=token.organisation, role=token.member_role, via="token"
    )
    token_cache.put(digest, actor, expires_at=token.expires_at)
    return actor


def list_tokens(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor.user).select_related("organisation")


def get_token(*, actor: Actor, token_id: int) -> ApiToken:
    token = list_tokens(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound("No such token.", field="token_id")
    return token


def list_members(*, actor: Actor) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id)
        .select_related("user")
        .order_by("created_at", "id")
    )


def get_member(*, actor: Actor, membership_id: int) -> Membership:
    membership = list_members(actor=actor).filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No such member.", field="membership_id")
    return membership


def list_invitations(*, actor: Actor) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation_id=actor.organisation_id).select_related(
        "invited_by"
    )


def get_invitation(*, actor: Actor, invitation_id: int) -> Invitation:
    invitation = list_invitations(actor=actor).filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such invitation.", field="invitation_id")
    return invitation


def get_organisation(*, actor: Actor) -> Organisation:
    if actor.organisation is None:
        raise NotFound("You do not belong to an organisation.")
    return actor.organisation
