"""Outbox handlers for the merchant program (registered in config/events.py)."""

from django.core.mail import send_mail
from django.urls import reverse

from tradelane.accounts.notifications import notify, organisation_emails
from tradelane.core.outbox import Event, outside_call

from .models import Application
from .states import ApplicationStatus

TITLES = {
    ApplicationStatus.APPROVED: "Your application to {edition} is approved",
    ApplicationStatus.REJECTED: "Your application to {edition} was not accepted",
    ApplicationStatus.CHANGES_REQUESTED: "Changes requested on your application to {edition}",
}


def _message(payload: dict) -> tuple[str, str]:
    decision = payload["decision"]
    title = TITLES[decision].format(edition=payload["edition"])
    if decision == ApplicationStatus.APPROVED:
        body = f"You are active in {', '.join(payload['markets'])} from {payload['active_from']}."
        if payload.get("note"):
            body += f"\n\n{payload['note']}"
    elif decision == ApplicationStatus.REJECTED:
        body = (
            f"Reasons: {payload['note']}\n\nYou can apply again in a later edition of the program."
        )
    else:
        body = f"What to change: {payload['note']}\n\nEdit your application and submit it again."
    return title, body


def _link(payload: dict) -> str:
    return reverse("merchants:application", args=[payload["application_id"]])


@outside_call
def email_application_decision(event: Event) -> None:
    """E-mail the merchant's owners (and the application's contact) about a decision."""
    payload = event.payload
    contact = (
        Application.objects.filter(pk=payload["application_id"])
        .values_list("contact_email", flat=True)
        .first()
    )
    recipients = organisation_emails(payload["organisation_id"])
    if contact and contact not in recipients:
        recipients.append(contact)
    if not recipients:
        return
    title, body = _message(payload)
    send_mail(
        subject=title,
        message=f"{body}\n\nYour application: {_link(payload)}",
        from_email=None,
        recipient_list=recipients,
    )


def notify_application_decision(event: Event) -> None:
    """An in-app notice of the decision; once per event however often it is delivered."""
    payload = event.payload
    title, body = _message(payload)
    notify(
        organisation_id=payload["organisation_id"],
        kind="merchants.application_decided",
        title=title,
        body=body,
        link=_link(payload),
        dedupe_key=f"application_decided:{event.id}",
    )
