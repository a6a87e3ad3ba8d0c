"""Merchant profile (what buyers see) and operating model."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tradelane.accounts.models import Organisation
from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import InvalidInput

from ..models import MerchantProfile
from ..states import OperatingModel
from .answers import clean_names

PROFILE_FIELDS = ("operating_model", "about", "city", "years_exporting", "categories")


def update_profile(*, actor: Actor, **fields) -> MerchantProfile:
    """Edit the actor's merchant profile. Locks the organisation; audits a change of
    operating model (it changes the economics shown later)."""
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]} cannot be edited.", field=unknown[0])
    values = {}
    if "operating_model" in fields:
        if fields["operating_model"] not in OperatingModel.values:
            raise InvalidInput(
                "Choose semi_managed or fully_managed.",
                field="operating_model",
                code="invalid_operating_model",
            )
        values["operating_model"] = fields["operating_model"]
    if "about" in fields:
        about = (fields["about"] or "").strip()
        if len(about) > 2000:
            raise InvalidInput("At most 2000 characters.", field="about")
        values["about"] = about
    if "city" in fields:
        city = (fields["city"] or "").strip()
        if len(city) > 120:
            raise InvalidInput("At most 120 characters.", field="city")
        values["city"] = city
    if "years_exporting" in fields:
        years = fields["years_exporting"]
        if years is not None and (
            isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= 100
        ):
            raise InvalidInput("Give a whole number from 0 to 100.", field="years_exporting")
        values["years_exporting"] = years
    if "categories" in fields:
        values["categories"] = clean_names(fields["categories"], "categories")
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=actor.organisation_id)
        profile, _ = MerchantProfile.objects.get_or_create(organisation_id=actor.organisation_id)
        before = {key: getattr(profile, key) for key in values}
        for key, value in values.items():
            setattr(profile, key, value)
        changes = diff(before, values)
        if changes:
            profile.updated_at = timezone.now()
            profile.save()
            if "operating_model" in changes:
                record_audit(
                    actor=actor,
                    action="merchants.operating_model_changed",
                    target=profile,
                    summary=f"operating model: {values['operating_model']}",
                    changes={"operating_model": changes["operating_model"]},
                )
    return profile
