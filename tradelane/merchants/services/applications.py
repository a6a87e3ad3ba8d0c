"""Applications: merchants draft, edit and submit; operators approve, reject or send back.

Every write locks the application row, re-reads it, checks the transition under the lock
and writes a history row; operator decisions are audited and emit
`merchants.application_decided`, which e-mails and notifies the merchant.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import Conflict, InvalidInput, InvalidTransition
from tradelane.core.outbox import record_event
from tradelane.core.states import transition

from ..models import Application, ApplicationStatusChange, MerchantMarket, MerchantProfile
from ..selectors import (
    evaluate_application,
    get_application,
    get_application_for_review,
    get_edition,
    target_codes,
    today,
)
from ..states import EDITABLE, TRANSITIONS, ApplicationStatus
from .answers import clean_answers, require_complete

DECIDED_TOPIC = "merchants.application_decided"


def _check_window(edition, *, field: str = "edition_id") -> None:
    day = today()
    if day < edition.recruitment_opens_on:
        raise Conflict(
            f"Recruitment for {edition.name} opens on {edition.recruitment_opens_on:%Y-%m-%d}.",
            field=field,
            code="recruitment_not_open",
        )
    if day > edition.recruitment_closes_on:
        raise Conflict(
            f"Recruitment for {edition.name} closed on {edition.recruitment_closes_on:%Y-%m-%d}.",
            field=field,
            code="recruitment_closed",
        )


def _already_applied(edition) -> Conflict:
    return Conflict(
        f"You already have an application to {edition.name}; open it to continue.",
        field="edition_id",
        code="already_applied",
    )


def _apply_answers(application: Application, answers: dict) -> None:
    values, markets, warehouses = clean_answers(
        answers, application=application, edition=application.edition
    )
    for field, value in values.items():
        setattr(application, field, value)
    application.updated_at = timezone.now()
    application.save()
    if markets is not None:
        application.target_markets.set(markets)
    if warehouses is not None:
        application.warehouses.set(warehouses)
    _store_eligibility(application)


def _store_eligibility(application: Application) -> None:
    # Fresh reads: the relations may just have changed.
    result = evaluate_application(application, list(application.warehouses.all()))
    application.eligibility_score = result.score
    application.eligibility = result.as_json()
    application.save(update_fields=["eligibility_score", "eligibility"])


def start_application(
    *, actor: Actor, edition_id: int, submit: bool = False, **answers
) -> Application:
    """Start (and with `submit` also submit) the merchant's application to an edition.

    Refuses outside the recruitment window (409 `recruitment_not_open` /
    `recruitment_closed`) and a second application to the same edition (409
    `already_applied`, guaranteed by a unique constraint under concurrency). Bad answers
    are 422 naming the field; nothing is written on any refusal.
    """
    edition = get_edition(edition_id)
    with transaction.atomic():
        _check_window(edition)
        organisation = actor.organisation
        application = Application(
            organisation=organisation,
            edition=edition,
            legal_name=organisation.name,
            registration_country=organisation.country,
            contact_email=actor.user.email,
            contact_name=getattr(actor.user, "full_name", "") or "",
            created_by=actor.user,
        )
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise _already_applied(edition) from None
        ApplicationStatusChange.objects.create(
            subject=application, from_status="", to_status=ApplicationStatus.DRAFT, actor=actor.user
        )
        _apply_answers(application, answers)
        if submit:
            _submit_locked(actor, application)
    return application


def update_application(*, actor: Actor, application_id: int, **answers) -> Application:
    """Save answers of a draft (or of an application sent back for changes).

    Locks the application; 409 `not_editable` once submitted or decided.
    """
    get_application(actor=actor, application_id=application_id)  # 404 for other tenants
    with transaction.atomic():
        application = _lock(application_id)
        if application.status not in EDITABLE:
            raise Conflict(
                f"This application is {application.get_status_display().lower()}; it can no "
                "longer be edited.",
                field="status",
                code="not_editable",
            )
        _apply_answers(application, answers)
    return application


def submit_application(*, actor: Actor, application_id: int, **answers) -> Application:
    """Submit for review (optionally saving last answers first), in the recruitment window.

    Locks the application: of two concurrent submissions one wins and the other is 409
    `invalid_transition`. Refuses an incomplete application (422 `incomplete`).
    """
    get_application(actor=actor, application_id=application_id)
    with transaction.atomic():
        application = _lock(application_id)
        if application.status not in EDITABLE:
            raise InvalidTransition("This application has already been submitted.", field="status")
        if answers:
            _apply_answers(application, answers)
        _submit_locked(actor, application)
    return application


def _lock(application_id: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("edition", "organisation")
        .get(pk=application_id)
    )


def _submit_locked(actor: Actor, application: Application) -> None:
    _check_window(application.edition)
    require_complete(application)
    covered = {m.pk for m in application.edition.markets.all()}
    outside = sorted(set(target_codes(application)) - covered)
    if outside:
        raise InvalidInput(
            f"{outside[0]} is no longer a market of {application.edition.name}.",
            field="target_markets",
            code="market_not_in_edition",
        )
    _store_eligibility(application)
    application.submitted_at = timezone.now()
    resubmitted = application.status == ApplicationStatus.CHANGES_REQUESTED
    transition(
        application,
        ApplicationStatus.SUBMITTED,
        table=TRANSITIONS,
        history=ApplicationStatusChange,
        actor=actor,
        note="resubmitted with changes" if resubmitted else "",
        extra_update_fields=("submitted_at",),
    )
    record_event(
        "merchants.application_submitted",
        {"application_id": application.pk, "organisation_id": application.organisation_id},
    )


# --- operator decisions ----------------------------------------------------------------------


def _decide(
    *, actor: Actor, application_id: int, target: str, note: str, action: str
) -> Application:
    get_application_for_review(application_id)  # 404 with the stable code
    with transaction.atomic():
        application = _lock(application_id)
        previous = application.status
        application.decision_reasons = note
        application.decided_at = timezone.now()
        transition(
            application,
            target,
            table=TRANSITIONS,
            history=ApplicationStatusChange,
            actor=actor,
            note=note,
            extra_update_fields=("decision_reasons", "decided_at"),
        )
        active_from = None
        if target == ApplicationStatus.APPROVED:
            active_from = _admit(application)
        record_audit(
            actor=actor,
            action=action,
            target=application,
            summary=f"application #{application.pk} of {application.organisation.name}: {target}",
            changes={"status": [previous, target], **({"note": [None, note]} if note else {})},
        )
        record_event(
            DECIDED_TOPIC,
            {
                "application_id": application.pk,
                "organisation_id": application.organisation_id,
                "edition": application.edition.name,
                "decision": target,
                "note": note,
                "markets": target_codes(application) if active_from else [],
                "active_from": active_from.isoformat() if active_from else None,
            },
        )
    return application


def _admit(application: Application):
    """Admit the merchant to its target markets from the operations start (not before)."""
    edition = application.edition
    active_from = max(edition.operations_start_on, today())
    for code in target_codes(application):
        MerchantMarket.objects.get_or_create(
            organisation_id=application.organisation_id,
            market_id=code,
            edition=edition,
            defaults={"application": application, "active_from": active_from},
        )
    profile, _ = MerchantProfile.objects.get_or_create(organisation=application.organisation)
    changed = []
    if profile.years_exporting is None and application.export_years is not None:
        profile.years_exporting, changed = application.export_years, [*changed, "years_exporting"]
    if not profile.categories and application.categories:
        profile.categories, changed = application.categories, [*changed, "categories"]
    if not profile.city:
        warehouse = application.warehouses.filter(is_active=True).order_by("name", "id").first()
        if warehouse is not None:
            profile.city, changed = warehouse.city, [*changed, "city"]
    if changed:
        profile.updated_at = timezone.now()
        profile.save(update_fields=[*changed, "updated_at"])
    return active_from


def approve_application(*, actor: Actor, application_id: int, note: str = "") -> Application:
    """Approve: the merchant becomes active in its target markets of the edition from the
    operations start date (or today, when approved later). Audited; notifies the merchant."""
    return _decide(
        actor=actor,
        application_id=application_id,
        target=ApplicationStatus.APPROVED,
        note=(note or "").strip()[:500],
        action="merchants.application_approved",
    )


def reject_application(*, actor: Actor, application_id: int, reasons: str) -> Application:
    """Reject with reasons the merchant reads (422 `reasons_required` without them)."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput(
            "Tell the merchant why it is rejected.", field="reasons", code="reasons_required"
        )
    return _decide(
        actor=actor,
        application_id=application_id,
        target=ApplicationStatus.REJECTED,
        note=reasons[:500],
        action="merchants.application_rejected",
    )


def request_changes(*, actor: Actor, application_id: int, note: str) -> Application:
    """Send the application back: the merchant edits it and submits again."""
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            "Say what the merchant should change.", field="note", code="note_required"
        )
    return _decide(
        actor=actor,
        application_id=application_id,
        target=ApplicationStatus.CHANGES_REQUESTED,
        note=note[:500],
        action="merchants.application_changes_requested",
    )
