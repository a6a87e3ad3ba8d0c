"""Effective-dated tax regimes and fixed fees: add one, end one. Audited on the market.

Periods are half-open [effective_from, effective_to). Two regimes of a market never
overlap, nor two fees of the same name. Days that have begun keep the rules that applied
on them: a rule can be ended from tomorrow on, never retroactively.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.core.money import Money, to_decimal

from ..models import B2BRule, Confidence, Fee, FeeBasis, TaxRegime
from .markets import _lock_market
from .reference import fee_columns, regime_columns
from .versions import bump_reference_version


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
        bump_reference_version()
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
        bump_reference_version()
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


def end_tax_regime(*, actor: Actor, code: str, regime_id: int, effective_to: date) -> TaxRegime:
    """End a regime of the market on `effective_to` (exclusive). Locks the market, then it.

    Only shortens a period, and never into a day that has begun: raises InvalidInput
    (`end_in_past`, `end_not_earlier`) or NotFound (`unknown_tax_regime`); writes nothing then.
    """
    return _end(actor, code, TaxRegime, regime_id, effective_to, "tax regime")


def end_fee(*, actor: Actor, code: str, fee_id: int, effective_to: date) -> Fee:
    """End a fee on `effective_to` (exclusive); same rules and locks as end_tax_regime."""
    return _end(actor, code, Fee, fee_id, effective_to, "fee")


def _end(actor, code, model, row_id, effective_to, what: str):
    if not isinstance(effective_to, date):
        raise InvalidInput("An end date is required.", field="effective_to")
    today = timezone.localdate()
    if effective_to <= today:
        raise InvalidInput(
            f"A {what} can be ended from tomorrow ({_tomorrow(today)}) on; "
            "days that have begun keep the rules that applied.",
            field="effective_to",
            code="end_in_past",
        )
    with transaction.atomic():
        market = _lock_market(code)
        row = model.objects.select_for_update().filter(pk=row_id, market=market).first()
        if row is None:
            raise NotFound(
                f"No {what} {row_id} in market {market.pk}.",
                field="id",
                code=f"unknown_{what.replace(' ', '_')}",
            )
        if effective_to <= row.effective_from:
            raise InvalidInput(
                f"The end date must be after the start date ({row.effective_from}).",
                field="effective_to",
            )
        if row.effective_to is not None and effective_to >= row.effective_to:
            raise InvalidInput(
                f"This {what} already ends on {row.effective_to}; an end can only be brought "
                "forward.",
                field="effective_to",
                code="end_not_earlier",
            )
        previous = row.effective_to
        row.effective_to = effective_to
        row.save(update_fields=["effective_to"])
        bump_reference_version()
        record_audit(
            actor=actor,
            action=f"markets.{what.replace(' ', '_')}_ended",
            target=market,
            summary=f"{market.pk} {what} {row} ends {effective_to}",
            changes={
                "effective_to": [None if previous is None else str(previous), str(effective_to)]
            },
        )
    return row


def _tomorrow(today: date) -> date:
    return date.fromordinal(today.toordinal() + 1)
