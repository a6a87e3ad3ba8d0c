"""Market edits and status changes (tax regimes and fees are in `rules`)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import InvalidInput
from tradelane.core.states import transition

from ..models import Market, MarketStatusChange
from ..selectors import get_market
from ..states import TRANSITIONS, MarketStatus
from .versions import bump_reference_version

# --- markets -----------------------------------------------------------------------------------

EDITABLE_MARKET_FIELDS = (
    "name",
    "locales",
    "default_locale",
    "display_decimals",
    "postal_code_regex",
    "postal_code_example",
    "postal_code_required",
    "phone_prefix",
    "source_note",
    "as_of",
)
PHONE_PREFIX = re.compile(r"^\+[1-9]\d{0,3}$")
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


def _lock_market(code: str) -> Market:
    get_market(code)  # NotFound with the stable code
    return Market.objects.select_for_update().get(pk=code.upper())


def _snapshot(obj, fields) -> dict:
    return {field: getattr(obj, field) for field in fields}


def update_market(*, actor: Actor, code: str, **fields) -> Market:
    """Edit a market's reference fields. Locks the market; raises InvalidInput/NotFound."""
    unknown = sorted(set(fields) - set(EDITABLE_MARKET_FIELDS))
    if unknown:
        raise InvalidInput(
            f"These fields cannot be edited: {', '.join(unknown)}.", field=unknown[0]
        )
    with transaction.atomic():
        market = _lock_market(code)
        before = _snapshot(market, fields)
        for field, value in fields.items():
            setattr(market, field, value)
        _validate_market(market)
        changes = diff(before, _snapshot(market, fields))
        if changes:
            market.updated_at = timezone.now()
            market.save(update_fields=[*fields, "updated_at"])
            bump_reference_version()
            record_audit(
                actor=actor,
                action="markets.market_updated",
                target=market,
                summary=f"{market.pk} updated: {', '.join(changes)}",
                changes=changes,
            )
    return market


def _validate_market(market: Market) -> None:
    if not market.name or not market.name.strip():
        raise InvalidInput("A market needs a name.", field="name")
    locales = market.locales
    if (
        not isinstance(locales, list)
        or not locales
        or not all(isinstance(x, str) and LOCALE.match(x) for x in locales)
    ):
        raise InvalidInput(
            "Locales must be a non-empty list like ['en-GB', 'cy-GB'].", field="locales"
        )
    if market.default_locale not in locales:
        raise InvalidInput(
            "The default locale must be one of the market's locales.", field="default_locale"
        )
    if market.display_decimals is not None and not 0 <= market.display_decimals <= 4:
        raise InvalidInput("Display decimals must be between 0 and 4.", field="display_decimals")
    if market.postal_code_regex:
        try:
            re.compile(market.postal_code_regex)
        except re.error as exc:
            raise InvalidInput(
                f"Not a valid regular expression: {exc}.", field="postal_code_regex"
            ) from None
        if market.postal_code_example and not re.match(
            market.postal_code_regex, market.postal_code_example
        ):
            raise InvalidInput(
                "The example does not match the postal-code pattern.", field="postal_code_example"
            )
    elif market.postal_code_required:
        raise InvalidInput("A required postal code needs a pattern.", field="postal_code_regex")
    if not PHONE_PREFIX.match(market.phone_prefix or ""):
        raise InvalidInput("Phone prefix must look like +44.", field="phone_prefix")


def change_market_status(*, actor: Actor, code: str, status: str, note: str = "") -> Market:
    """Move a market along TRANSITIONS (planned → recruiting → live), with history + audit.

    Locks the market. Sets recruiting_from / live_from to today on entering those states.
    Raises InvalidTransition (409) for a move the table does not allow.
    """
    if status not in MarketStatus.values:
        raise InvalidInput(
            f"Unknown market status {status!r}.", field="status", code="invalid_status"
        )
    with transaction.atomic():
        market = _lock_market(code)
        previous = market.status
        extra: list[str] = []
        today = timezone.localdate()
        if status == MarketStatus.RECRUITING and market.recruiting_from is None:
            market.recruiting_from, extra = today, ["recruiting_from"]
        if status == MarketStatus.LIVE:
            market.live_from, extra = today, ["live_from"]
        transition(
            market,
            status,
            table=TRANSITIONS,
            history=MarketStatusChange,
            actor=actor,
            note=note,
            extra_update_fields=tuple(extra),
        )
        record_audit(
            actor=actor,
            action="markets.market_status_changed",
            target=market,
            summary=f"{market.pk} {previous} → {status}",
            changes={"status": [previous, status]},
        )
    return market


def launch_market(*, actor: Actor, code: str, note: str = "") -> Market:
    """Make a recruiting market live (see change_market_status)."""
    return change_market_status(actor=actor, code=code, status=MarketStatus.LIVE, note=note)
