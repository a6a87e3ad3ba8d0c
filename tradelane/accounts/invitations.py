"""Signed invitation links: the URL carries a signed invitation id, nothing is stored."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tradelane.core.errors import Conflict

SALT = "tradelane.accounts.invitation"
MAX_AGE = 60 * 60 * 24 * 8  # a little longer than the invitation; the row's expiry rules


def invitation_token(invitation_id: int) -> str:
    return signing.dumps(invitation_id, salt=SALT)


def invitation_url(invitation_id: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "accounts:accept_invitation", args=[invitation_token(invitation_id)]
    )


def invitation_id_from(token: str) -> int:
    try:
        return int(signing.loads(token, salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, ValueError, TypeError):
        raise Conflict(
            "This invitation link is invalid or has expired.", code="invitation_closed"
        ) from None
