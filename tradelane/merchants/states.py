"""Application lifecycle: draft → submitted → approved | rejected | changes requested.

A merchant edits a draft (or an application sent back with changes requested) and submits
it; an operator decides. Approved and rejected are final for that edition: a rejected
merchant applies again in a later edition.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.APPROVED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.CHANGES_REQUESTED,
        }
    ),
    ApplicationStatus.CHANGES_REQUESTED: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.APPROVED: frozenset(),
    ApplicationStatus.REJECTED: frozenset(),
}

# The merchant may edit the answers in these states; the operator decides in SUBMITTED.
EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.CHANGES_REQUESTED})
OPEN = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED}
)


class OperatingModel(models.TextChoices):
    SEMI_MANAGED = "semi_managed", _("Semi-managed: you price, stock and talk to buyers")
    FULLY_MANAGED = "fully_managed", _("Fully-managed: the platform prices, you supply")
