"""In-app notices: write one (idempotently), list an organisation's, mark one read.

Other contexts notify through their outbox handlers calling `notify()`; pages and the API
read with `list_notifications()` scoped to the acting organisation.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import NotFound

from .models import Membership, Notification, Role


def notify(
    *, organisation_id: int, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str
) -> Notification:
    """Write a notice once per (organisation, dedupe_key); a repeat returns the first."""
    existing = Notification.objects.filter(
        organisation_id=organisation_id, dedupe_key=dedupe_key
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Notification.objects.create(
                organisation_id=organisation_id,
                kind=kind,
                title=title[:200],
                body=body,
                link=link[:300],
                dedupe_key=dedupe_key[:120],
            )
    except IntegrityError:  # a concurrent delivery wrote it first
        return Notification.objects.get(organisation_id=organisation_id, dedupe_key=dedupe_key)


def list_notifications(*, actor: Actor, unread: bool | None = None) -> QuerySet[Notification]:
    notices = Notification.objects.filter(organisation_id=actor.organisation_id).order_by(
        "-created_at", "-id"
    )
    if unread is not None:
        notices = notices.filter(read_at__isnull=unread)
    return notices


def get_notification(*, actor: Actor, notification_id: int) -> Notification:
    notice = list_notifications(actor=actor).filter(pk=notification_id).first()
    if notice is None:
        raise NotFound("No such notification.", field="notification_id")
    return notice


def count_unread(*, actor: Actor) -> int:
    return list_notifications(actor=actor, unread=True).count()


@transaction.atomic
def mark_read(*, actor: Actor, notification_id: int) -> Notification:
    """Mark a notice of the actor's organisation read (no-op when already read)."""
    notice = Notification.objects.select_for_update().get(
        pk=get_notification(actor=actor, notification_id=notification_id).pk
    )
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.read_by = actor.user
        notice.save(update_fields=["read_at", "read_by"])
    return notice


def organisation_emails(organisation_id: int) -> list[str]:
    """The e-mail addresses of an organisation's owners (and admins), for notices by mail."""
    return list(
        Membership.objects.filter(
            organisation_id=organisation_id,
            role__in=(Role.OWNER, Role.ADMIN),
            user__is_active=True,
        )
        .order_by("created_at", "id")
        .values_list("user__email", flat=True)
    )
