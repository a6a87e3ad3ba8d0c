"""Stock in the merchant's own warehouses: absolute set (versioned) and relative adjust.

Every change is a guarded UPDATE whose WHERE clause carries the rule (version match,
result not below the reserved quantity), so concurrent writers never lose an update or
drive stock negative; the CHECK constraints are the last line. Each change appends a
`StockMovement` with its reason.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import Conflict, DomainError, InvalidInput, NotFound
from tradelane.core.outbox import record_event
from tradelane.merchants import selectors as merchants

from .. import listings
from ..models import Sku, StockLevel, StockMovement, StockReason

MAX_STOCK = 1_000_000_000


class PreconditionFailed(DomainError):
    status = 412
    code = "precondition_failed"


class PreconditionRequired(DomainError):
    status = 428
    code = "precondition_required"


def _sku_and_warehouse(actor: Actor, sku_id: int, warehouse_id: int):
    if actor is None or actor.kind != "merchant":
        raise NotFound("Not found.")
    sku = Sku.objects.filter(pk=sku_id, organisation_id=actor.organisation_id).first()
    if sku is None:
        raise NotFound("No such SKU.", field="sku_id")
    warehouse = merchants.get_warehouse(actor=actor, warehouse_id=warehouse_id)
    return sku, warehouse


def _level(sku, warehouse) -> StockLevel:
    level = StockLevel.objects.filter(sku=sku, warehouse=warehouse).first()
    if level is not None:
        return level
    try:
        with transaction.atomic():
            return StockLevel.objects.create(sku=sku, warehouse=warehouse, version=0)
    except IntegrityError:  # created concurrently
        return StockLevel.objects.get(sku=sku, warehouse=warehouse)


def record_movement(level_id, *, delta, reason, note, actor) -> StockLevel:
    """After an on-hand change of `delta`: the history row, the `catalog.stock_changed`
    event and, when the available quantity crossed zero, the storefront listings."""
    level = StockLevel.objects.get(pk=level_id)
    StockMovement.objects.create(
        stock_level=level,
        delta=delta,
        on_hand_after=level.on_hand,
        reserved_after=level.reserved,
        version_after=level.version,
        reason=reason,
        note=(note or "")[:200],
        actor=actor.user if actor else None,
    )
    record_stock_changed(reason=reason, reference="", levels=[level])
    if listings.availability_crossed_zero(level.available - delta, level.available):
        listings.refresh_availability(sku_ids=[level.sku_id])
    return level


def level_payload(level) -> dict:
    return {
        "sku_id": level.sku_id,
        "warehouse_id": level.warehouse_id,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.on_hand - level.reserved,
        "version": level.version,
    }


def record_stock_changed(*, reason: str, reference: str, levels: list) -> None:
    """One `catalog.stock_changed` outbox event for levels changed by one operation:
    `{"reason", "reference", "levels": [{"sku_id", "warehouse_id", "on_hand",
    "reserved", "available", "version"}]}`."""
    record_event(
        "catalog.stock_changed",
        {
            "reason": str(reason),
            "reference": reference,
            "levels": [lv if isinstance(lv, dict) else level_payload(lv) for lv in levels],
        },
    )


def _check_quantity(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("A whole number is required.", field=field)
    if value < 0:
        raise InvalidInput("Stock cannot be negative.", field=field, code="negative_stock")
    if value > MAX_STOCK:
        raise InvalidInput("Quantity too large.", field=field)
    return value


def set_stock(
    *,
    actor: Actor,
    sku_id: int,
    warehouse_id: int,
    on_hand: int,
    if_match: int | None,
    reason: str = StockReason.SYNC,
    note: str = "",
) -> StockLevel:
    """Set on-hand to an absolute quantity, only if the level is still at `if_match`.

    Raises 428 without a version, 412 `precondition_failed` when stale (nothing changed),
    422 when below the reserved quantity or negative, 404 for another merchant's SKU or
    warehouse. One guarded UPDATE: `version = if_match AND reserved <= on_hand`.
    """
    on_hand = _check_quantity(on_hand, "on_hand")
    if if_match is None:
        raise PreconditionRequired(
            "Send If-Match with the stock level's current version.", field="If-Match"
        )
    with transaction.atomic():
        sku, warehouse = _sku_and_warehouse(actor, sku_id, warehouse_id)
        level = _level(sku, warehouse)
        updated = StockLevel.objects.filter(
            pk=level.pk, version=if_match, reserved__lte=on_hand
        ).update(on_hand=on_hand, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            current = StockLevel.objects.get(pk=level.pk)
            if current.version != if_match:
                raise PreconditionFailed(
                    f"The stock level changed (version {current.version}); re-read and retry.",
                    field="If-Match",
                )
            raise InvalidInput(
                f"{current.reserved} units are reserved; on-hand cannot go below that.",
                field="on_hand",
                code="below_reserved",
            )
        return record_movement(
            level.pk, delta=on_hand - level.on_hand, reason=reason, note=note, actor=actor
        )


def adjust_stock(
    *,
    actor: Actor,
    sku_id: int,
    warehouse_id: int,
    delta: int,
    reason: str = StockReason.ADJUST,
    note: str = "",
) -> StockLevel:
    """Add `delta` (may be negative) to on-hand. Guarded UPDATE
    `on_hand + delta >= reserved`: 409 `insufficient_stock` otherwise, nothing changed."""
    if isinstance(delta, bool) or not isinstance(delta, int) or delta == 0:
        raise InvalidInput("A non-zero whole number is required.", field="delta")
    if abs(delta) > MAX_STOCK:
        raise InvalidInput("Quantity too large.", field="delta")
    if reason not in StockReason.values:
        raise InvalidInput("Unknown reason.", field="reason", code="unknown_reason")
    with transaction.atomic():
        sku, warehouse = _sku_and_warehouse(actor, sku_id, warehouse_id)
        level = _level(sku, warehouse)
        updated = StockLevel.objects.filter(
            pk=level.pk, reserved__lte=F("on_hand") + delta, on_hand__lte=MAX_STOCK - delta
        ).update(on_hand=F("on_hand") + delta, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise Conflict(
                "Not enough unreserved stock for this adjustment.",
                field="delta",
                code="insufficient_stock",
            )
        return record_movement(level.pk, delta=delta, reason=reason, note=note, actor=actor)
