"""Outbox handlers for account events (registered in config/events.py)."""

from django.core.mail import send_mail

from tradelane.core.outbox import Event, outside_call

from .invitations import invitation_url
from .models import Invitation, Organisation, User


@outside_call
def send_invitation_email(event: Event) -> None:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=event.payload["invitation_id"])
        .first()
    )
    if invitation is None or not invitation.is_open:
        return  # revoked or accepted before delivery: nothing to send
    inviter = invitation.invited_by.email if invitation.invited_by else "A colleague"
    send_mail(
        subject=f"You are invited to join {invitation.organisation.name} on Tradelane",
        message=(
            f"{inviter} invited you to join {invitation.organisation.name} as {invitation.role}.\n\n"
            f"Accept the invitation: {invitation_url(invitation.pk)}\n\n"
            f"The link expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


@outside_call
def send_welcome_email(event: Event) -> None:
    user = User.objects.filter(pk=event.payload["user_id"]).first()
    organisation = Organisation.objects.filter(pk=event.payload["organisation_id"]).first()
    if user is None or organisation is None:
        return
    send_mail(
        subject="Welcome to Tradelane",
        message=f"Your {organisation.kind} account for {organisation.name} is ready. Sign in with {user.email}.",
        from_email=None,
        recipient_list=[user.email],
    )
