"""Market edits, status changes, effective-dated tax regimes and fees."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import diff, record_audit
from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money, to_decimal
from tradelane.core.states import transition

from ..models import B2BRule, Confidence, Fee, FeeBasis, Market, MarketStatusChange, TaxRegime
from ..selectors import get_market
from ..states import TRANSITIONS, MarketStatus
from .reference import fee_columns, regime_columns

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


# --- tax regimes and fees ----------------------------------------------------------------------


def _validate_period(effective_from: date, effective_to: date | None) -> None:
    if not isinstance(effective_from, date):
        raise InvalidInput("A start date is required.", field="effective_from")
    if effective_to is not None and effective_to <= effective_from:
        raise InvalidInput("The end date must be after the start date.", field="effective_to")


def _overlapping(rows, effective_from: date, effective_to: date | None):
    overlap = rows.filter(Q(effective_to__isnull=True) | Q(effective_to__gt=effective_from))
    if effective_to is not None:
        overlap = overlap.filter(effective_from__lt=effective_to)
    return overlap.order_by("effective_from")


def _money_or_none(value, field: str) -> Money | None:
    if value is None:
        return None
    money = value if isinstance(value, Money) else Money.of(*value)
    if money.amount < 0:
        raise InvalidInput("Amounts cannot be negative.", field=field)
    return money


def _fraction(value, field: str, *, required: bool = True) -> Decimal | None:
    if value is None and not required:
        return None
    rate = to_decimal(value, field=field)
    if not Decimal(0) <= rate <= Decimal(1) or rate != rate.quantize(Decimal("1e-6")):
        raise InvalidInput(
            "A rate is a fraction between 0 and 1 with at most 6 decimals (0.2 = 20%).", field=field
        )
    return rate


def add_tax_regime(
    *,
    actor: Actor,
    code: str,
    effective_from: date,
    effective_to: date | None = None,
    tax_name: str,
    standard_rate,
    b2b_rule: str,
    duty_de_minimis=None,
    tax_de_minimis=None,
    collect_at_sale_threshold=None,
    china_origin_global_rate=None,
    confidence: str = Confidence.PLACEHOLDER,
    b2b_confidence: str = Confidence.PLACEHOLDER,
    as_of: date | None = None,
    close_open: bool = False,
    **text_fields: str,
) -> TaxRegime:
    """Add a regime for a period that overlaps no other regime of the market.

    Locks the market. With `close_open`, an open-ended regime that started earlier is ended
    the day the new one starts. Raises InvalidInput (`overlapping_period`) and writes nothing.
    """
    allowed_text = {
        "rate_notes",
        "collection_model",
        "b2b_tax_id_kind",
        "b2b_invoice_wording",
        "china_origin_notes",
        "source_note",
    }
    unknown = sorted(set(text_fields) - allowed_text)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(unknown)}.", field=unknown[0])
    _validate_period(effective_from, effective_to)
    if not tax_name or not tax_name.strip():
        raise InvalidInput("A tax name is required (VAT, GST, sales tax…).", field="tax_name")
    _choice(b2b_rule, B2BRule, "b2b_rule")
    _choice(confidence, Confidence, "confidence")
    _choice(b2b_confidence, Confidence, "b2b_confidence")
    row = {
        "effective_from": effective_from,
        "effective_to": effective_to,
        "tax_name": tax_name.strip(),
        "standard_rate": _fraction(standard_rate, "standard_rate"),
        "b2b_rule": b2b_rule,
        "china_origin_global_rate": _fraction(
            china_origin_global_rate, "china_origin_global_rate", required=False
        ),
        "duty_de_minimis": _money_or_none(duty_de_minimis, "duty_de_minimis"),
        "tax_de_minimis": _money_or_none(tax_de_minimis, "tax_de_minimis"),
        "collect_at_sale_threshold": _money_or_none(
            collect_at_sale_threshold, "collect_at_sale_threshold"
        ),
        "confidence": confidence,
        "b2b_confidence": b2b_confidence,
        "as_of": as_of or timezone.localdate(),
        **text_fields,
    }
    with transaction.atomic():
        market = _lock_market(code)
        existing = TaxRegime.objects.filter(market=market)
        _resolve_overlap(
            actor, market, existing, effective_from, effective_to, close_open, "tax regime"
        )
        regime = TaxRegime.objects.create(market=market, **regime_columns(row))
        record_audit(
            actor=actor,
            action="markets.tax_regime_added",
            target=market,
            summary=f"{market.pk} {regime.tax_name} {regime.standard_rate} from {effective_from}",
            changes={"tax_regime": [None, str(regime.pk)]},
        )
    return regime


def add_fee(
    *,
    actor: Actor,
    code: str,
    name: str,
    amount: Money,
    basis: str,
    effective_from: date,
    effective_to: date | None = None,
    max_consignment: Money | None = None,
    applies_to_b2b: bool = False,
    notes: str = "",
    confidence: str = Confidence.PLACEHOLDER,
    source_note: str = "",
    as_of: date | None = None,
    close_open: bool = False,
) -> Fee:
    """Add a fixed fee; a fee of the same name may not overlap in time. Locks the market."""
    _validate_period(effective_from, effective_to)
    if not name or not name.strip():
        raise InvalidInput("A fee needs a name.", field="name")
    _choice(basis, FeeBasis, "basis")
    _choice(confidence, Confidence, "confidence")
    row = {
        "name": name.strip(),
        "amount": _money_or_none(amount, "amount"),
        "basis": basis,
        "max_consignment": _money_or_none(max_consignment, "max_consignment"),
        "applies_to_b2b": bool(applies_to_b2b),
        "effective_from": effective_from,
        "effective_to": effective_to,
        "notes": notes,
        "confidence": confidence,
        "source_note": source_note,
        "as_of": as_of or timezone.localdate(),
    }
    if row["amount"] is None:
        raise InvalidInput("A fee needs an amount.", field="amount")
    if row["max_consignment"] is not None and row["max_consignment"].amount == 0:
        raise InvalidInput(
            "The maximum consignment value must be positive.", field="max_consignment"
        )
    with transaction.atomic():
        market = _lock_market(code)
        existing = Fee.objects.filter(market=market, name=row["name"])
        _resolve_overlap(actor, market, existing, effective_from, effective_to, close_open, "fee")
        fee = Fee.objects.create(market=market, **fee_columns(row))
        record_audit(
            actor=actor,
            action="markets.fee_added",
            target=market,
            summary=f"{market.pk} fee {fee.name} {fee.money} from {effective_from}",
            changes={"fee": [None, str(fee.pk)]},
        )
    return fee


def _choice(value, choices, field: str) -> None:
    if value not in choices.values:
        raise InvalidInput(f"{value!r} is not one of {', '.join(choices.values)}.", field=field)


def _resolve_overlap(
    actor, market, existing, effective_from, effective_to, close_open: bool, what: str
) -> None:
    overlaps = list(_overlapping(existing, effective_from, effective_to).select_for_update())
    if close_open and len(overlaps) == 1:
        previous = overlaps[0]
        if previous.effective_to is None and previous.effective_from < effective_from:
            previous.effective_to = effective_from
            previous.save(update_fields=["effective_to"])
            record_audit(
                actor=actor,
                action=f"markets.{what.replace(' ', '_')}_closed",
                target=market,
                summary=f"{market.pk} {what} from {previous.effective_from} ends {effective_from}",
                changes={"effective_to": [None, str(effective_from)]},
            )
            return
    if overlaps:
        clash = overlaps[0]
        until = clash.effective_to or "open-ended"
        raise InvalidInput(
            f"This period overlaps the {what} from {clash.effective_from} to {until}.",
            field="effective_from",
            code="overlapping_period",
        )
