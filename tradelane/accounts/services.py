"""Writes for accounts: sign-up, tokens, invitations, memberships."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pycountry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import Conflict, Forbidden, InvalidInput
from tradelane.core.outbox import record_event

from . import token_cache
from .models import (
    ROLES_BY_KIND,
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from .selectors import get_invitation, get_member, get_token, hash_token

INVITATION_LIFETIME = timedelta(days=7)
MAX_ACTIVE_TOKENS = 50
SELF_SERVICE_KINDS = {OrganisationKind.BUYER, OrganisationKind.MERCHANT}


def _clean_email(email: str, *, field: str = "email") -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput("Enter a valid e-mail address.", field=field) from None
    return email


def _clean_country(country: str) -> str:
    code = (country or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidInput(
            f"Unknown country code {country!r}.", field="country", code="unknown_country"
        )
    return code


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(
            " ".join(error.messages), field="password", code="weak_password"
        ) from None


def _new_user(*, email: str, password: str, full_name: str) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(
            "An account with this e-mail already exists.", field="email", code="email_taken"
        )
    user = User(email=email, username=email, full_name=full_name.strip()[:150])
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent sign-up won the race for this e-mail
        raise Conflict(
            "An account with this e-mail already exists.", field="email", code="email_taken"
        ) from None
    return user


@transaction.atomic
def sign_up(
    *, email: str, password: str, full_name: str, organisation_name: str, kind: str, country: str
) -> Membership:
    """Create a user, their buyer or merchant organisation and an owner membership.

    Raises InvalidInput (bad field) or Conflict `email_taken`. Emits
    `accounts.organisation_signed_up`. All or nothing.
    """
    if kind not in SELF_SERVICE_KINDS:
        raise InvalidInput("Sign-up is for buyer or merchant organisations.", field="kind")
    email = _clean_email(email)
    organisation_name = (organisation_name or "").strip()
    if not organisation_name:
        raise InvalidInput("Give your organisation's name.", field="organisation_name")
    if len(organisation_name) > 200:
        raise InvalidInput(
            "Organisation name is too long (200 characters at most).", field="organisation_name"
        )
    country = _clean_country(country)
    user = _new_user(email=email, password=password, full_name=full_name or "")
    organisation = Organisation.objects.create(kind=kind, name=organisation_name, country=country)
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    record_event(
        "accounts.organisation_signed_up",
        {"user_id": user.pk, "organisation_id": organisation.pk, "kind": kind},
    )
    return membership


# --- API tokens ----------------------------------------------------------------------


@transaction.atomic
def create_token(
    *, actor: Actor, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a bearer token for the actor in their current organisation.

    Returns the row and the secret, which is never stored and cannot be shown again.
    """
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise InvalidInput("Name the token (1 to 100 characters).", field="name")
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidInput("Expiry must be between 1 and 3650 days.", field="expires_in_days")
    if actor.organisation is None:
        raise Forbidden("Join an organisation before creating API tokens.")
    User.objects.select_for_update().get(pk=actor.user.pk)  # serialise the count check
    active = ApiToken.objects.filter(user=actor.user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            f"You have {active} active tokens; revoke one first.", code="too_many_tokens"
        )
    prefix = secrets.token_hex(4)
    secret = f"tl_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        name=name,
        prefix=prefix,
        token_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    record_audit(actor=actor, action="accounts.token_created", target=token, summary=name)
    return token, secret


@transaction.atomic
def revoke_token(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens (another user's token is not found)."""
    token = get_token(actor=actor, token_id=token_id)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        token_cache.forget(token.token_hash)
        record_audit(actor=actor, action="accounts.token_revoked", target=token, summary=token.name)
    return token


# --- Invitations and members ---------------------------------------------------------


def _require_owner(actor: Actor) -> None:
    if actor.organisation is None or actor.role not in (Role.OWNER, Role.ADMIN):
        raise Forbidden("Only an owner or admin of the organisation can do this.")


@transaction.atomic
def invite_member(*, actor: Actor, email: str, role: str) -> Invitation:
    """Invite a colleague by e-mail. Emits `accounts.invitation_created` (sends the link)."""
    _require_owner(actor)
    email = _clean_email(email)
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    if role not in ROLES_BY_KIND[organisation.kind]:
        allowed = ", ".join(sorted(ROLES_BY_KIND[organisation.kind]))
        raise InvalidInput(f"Role must be one of: {allowed}.", field="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict("This person is already a member.", field="email", code="already_member")
    open_invitations = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    now = timezone.now()
    open_invitations.filter(expires_at__lte=now).update(revoked_at=now)  # expired: make room
    if open_invitations.filter(expires_at__gt=now).exists():
        raise Conflict(
            "An invitation to this e-mail is already open.", field="email", code="already_invited"
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor.user,
        expires_at=now + INVITATION_LIFETIME,
    )
    record_audit(
        actor=actor,
        action="accounts.member_invited",
        target=invitation,
        summary=f"{email} as {role}",
    )
    record_event("accounts.invitation_created", {"invitation_id": invitation.pk})
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: Actor, invitation_id: int) -> Invitation:
    _require_owner(actor)
    invitation = Invitation.objects.select_for_update().get(
        pk=get_invitation(actor=actor, invitation_id=invitation_id).pk
    )
    if invitation.accepted_at is not None:
        raise Conflict("This invitation was already accepted.", code="invitation_accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_audit(
            actor=actor,
            action="accounts.invitation_revoked",
            target=invitation,
            summary=invitation.email,
        )
    return invitation


@transaction.atomic
def accept_invitation(
    *, invitation_id: int, user: User | None, password: str = "", full_name: str = ""
) -> Membership:
    """Join the inviting organisation.

    A signed-in user must be the invited e-mail; otherwise a new account is created with
    `password`. Raises Conflict `invitation_closed` if accepted, revoked or expired.
    """
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        raise Conflict("This invitation is no longer valid.", code="invitation_closed")
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise Forbidden(
                f"This invitation is for {invitation.email}; sign in with that account."
            )
    else:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            raise Conflict(
                "You already have an account: sign in to accept.", code="sign_in_to_accept"
            )
        user = _new_user(email=invitation.email, password=password, full_name=full_name)
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_audit(
        actor=Actor(user=user, organisation=invitation.organisation, role=membership.role),
        action="accounts.invitation_accepted",
        target=invitation,
        summary=invitation.email,
    )
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, membership_id: int) -> None:
    """Remove a member; the last owner/admin cannot be removed. Their tokens stop working."""
    _require_owner(actor)
    Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    membership = get_member(actor=actor, membership_id=membership_id)
    if membership.role in (Role.OWNER, Role.ADMIN):
        owners = Membership.objects.filter(
            organisation_id=actor.organisation_id, role__in=(Role.OWNER, Role.ADMIN)
        ).count()
        if owners <= 1:
            raise Conflict("An organisation needs at least one owner.", code="last_owner")
    ApiToken.objects.filter(
        user=membership.user, organisation_id=actor.organisation_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token_cache.forget()
    record_audit(
        actor=actor,
        action="accounts.member_removed",
        target=membership,
        summary=membership.user.email,
    )
    membership.delete()
