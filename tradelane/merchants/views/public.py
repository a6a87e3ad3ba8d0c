"""The merchant profile buyers see."""

from django.template.response import TemplateResponse

from tradelane.core.access import PUBLIC, allow

from .. import selectors


@allow(PUBLIC)
def merchant_profile(request, organisation_id: int):
    return TemplateResponse(
        request,
        "merchants/public_profile.html",
        {"profile": selectors.get_public_profile(organisation_id)},
    )
