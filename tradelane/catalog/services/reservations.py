"""Stock reservations for orders: reserve at checkout, release on cancel, ship at handover.

These run INSIDE the caller's transaction (an order placement, a cancellation, a pickup
scan): they refuse to run outside an atomic block, and a refusal raises so the caller's
whole transaction rolls back.

Each line is one guarded UPDATE … RETURNING whose WHERE clause carries the rule
(`on_hand - reserved >= q` to reserve, `reserved >= q` to release or ship), applied in
(sku_id, warehouse_id) order so two orders touching the same levels lock them in the same
order and never deadlock. The CHECK constraints (`0 <= reserved <= on_hand`) are the last
line. Cost: one statement per line (a second one only on a refusal, to word the message),
one bulk INSERT of the history rows, one outbox event, and — only when a SKU's
availability crosses zero — one UPDATE of its storefront listings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from tradelane.core.errors import Conflict, InvalidInput, NotFound

from .. import listings
from ..models import StockMovement, StockReason
from .stock import record_stock_changed

__all__ = ["StockLine", "release_stock", "reserve_stock", "ship_stock"]

MAX_LINES = 500
MAX_QUANTITY = 1_000_000_000


@dataclass(frozen=True, slots=True)
class StockLine:
    sku_id: int
    warehouse_id: int
    quantity: int  # > 0


# Literal statements (no string building): the table names are fixed by the migrations.
# Parameters: quantity (twice for ship), now, sku_id, warehouse_id, quantity.
_SQL = {
    StockReason.RESERVE: (
        "UPDATE catalog_stocklevel SET reserved = reserved + %s, version = version + 1, "
        "updated_at = %s WHERE sku_id = %s AND warehouse_id = %s "
        "AND on_hand - reserved >= %s "
        "AND warehouse_id IN (SELECT id FROM merchants_warehouse WHERE is_active) "
        "RETURNING id, on_hand, reserved, version"
    ),
    StockReason.RELEASE: (
        "UPDATE catalog_stocklevel SET reserved = reserved - %s, version = version + 1, "
        "updated_at = %s WHERE sku_id = %s AND warehouse_id = %s AND reserved >= %s "
        "RETURNING id, on_hand, reserved, version"
    ),
    StockReason.SHIP: (
        "UPDATE catalog_stocklevel SET on_hand = on_hand - %s, reserved = reserved - %s, "
        "version = version + 1, updated_at = %s "
        "WHERE sku_id = %s AND warehouse_id = %s AND reserved >= %s "
        "RETURNING id, on_hand, reserved, version"
    ),
}
_EXPLAIN = (
    "SELECT s.code, l.on_hand, l.reserved, "
    "(SELECT is_active FROM merchants_warehouse WHERE id = %s) "
    "FROM catalog_sku s LEFT JOIN catalog_stocklevel l "
    "ON l.sku_id = s.id AND l.warehouse_id = %s WHERE s.id = %s"
)


def reserve_stock(
    *, lines: list[StockLine], reference: str, actor_user_id: int | None = None
) -> None:
    """Reserve each line's quantity at its warehouse (available = on-hand − reserved).

    Raises Conflict `insufficient_stock` (field `lines[i].quantity`, i the index in
    `lines`) when a level has too little available stock or its warehouse is inactive,
    NotFound (field `lines[i].sku_id`) for an unknown SKU, InvalidInput for a bad line.
    Nothing is reserved when it raises — provided the caller lets the exception roll its
    transaction back (it must not swallow it inside the same atomic block)."""
    _apply(StockReason.RESERVE, lines, reference, actor_user_id)


def release_stock(
    *, lines: list[StockLine], reference: str, actor_user_id: int | None = None
) -> None:
    """Give reserved quantities back (order cancelled or expired).
    Conflict `not_reserved` when a level holds less reserved stock than the line."""
    _apply(StockReason.RELEASE, lines, reference, actor_user_id)


def ship_stock(*, lines: list[StockLine], reference: str, actor_user_id: int | None = None) -> None:
    """Handover to the carrier: the goods leave, so on-hand and reserved both drop by the
    line's quantity. Conflict `not_reserved` when less is reserved than the line."""
    _apply(StockReason.SHIP, lines, reference, actor_user_id)


def _validate(lines: list[StockLine], reference: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("stock reservations must run inside the caller's transaction.atomic")
    if len(lines) > MAX_LINES:
        raise InvalidInput(f"At most {MAX_LINES} lines.", field="lines")
    if not isinstance(reference, str) or not 1 <= len(reference) <= 64:
        raise InvalidInput("A reference of 1 to 64 characters is required.", field="reference")
    for index, line in enumerate(lines):
        quantity = line.quantity
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise InvalidInput("A whole number is required.", field=f"lines[{index}].quantity")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise InvalidInput("The quantity must be at least 1.", field=f"lines[{index}].quantity")


def _apply(reason: str, lines: list[StockLine], reference: str, actor_user_id) -> None:
    _validate(lines, reference)
    if not lines:
        return
    sql = _SQL[reason]
    now = timezone.now()
    now_db = connection.ops.adapt_datetimefield_value(now)
    order = sorted(range(len(lines)), key=lambda i: (lines[i].sku_id, lines[i].warehouse_id, i))
    movements, levels, crossed = [], [], set()
    with connection.cursor() as cursor:
        for index in order:
            line = lines[index]
            q = line.quantity
            head = [q, q] if reason == StockReason.SHIP else [q]
            cursor.execute(sql, [*head, now_db, line.sku_id, line.warehouse_id, q])
            row = cursor.fetchone()
            if row is None:
                _refuse(cursor, reason, line, index)
            level_id, on_hand, reserved, version = row
            available = on_hand - reserved
            if reason == StockReason.RESERVE and available == 0:
                crossed.add(line.sku_id)  # this warehouse just sold out
            elif reason == StockReason.RELEASE and available == q:
                crossed.add(line.sku_id)  # this warehouse was sold out until now
            movements.append(
                StockMovement(
                    stock_level_id=level_id,
                    delta=-q if reason == StockReason.SHIP else 0,
                    on_hand_after=on_hand,
                    reserved_delta=-q if reason != StockReason.RESERVE else q,
                    reserved_after=reserved,
                    version_after=version,
                    reason=reason,
                    reference=reference,
                    actor_id=actor_user_id,
                    created_at=now,
                )
            )
            levels.append(
                {
                    "sku_id": line.sku_id,
                    "warehouse_id": line.warehouse_id,
                    "on_hand": on_hand,
                    "reserved": reserved,
                    "available": available,
                    "version": version,
                }
            )
    StockMovement.objects.bulk_create(movements)
    record_stock_changed(reason=reason, reference=reference, levels=levels)
    if crossed:
        listings.refresh_availability(sku_ids=sorted(crossed))


def _refuse(cursor, reason: str, line: StockLine, index: int):
    """Word the refusal: the SKU's code and what is available (or reserved) at that
    warehouse. One query."""
    cursor.execute(_EXPLAIN, [line.warehouse_id, line.warehouse_id, line.sku_id])
    found = cursor.fetchone()
    if found is None:
        raise NotFound("No such SKU.", field=f"lines[{index}].sku_id")
    code, on_hand, reserved, warehouse_active = found
    on_hand, reserved = on_hand or 0, reserved or 0
    field = f"lines[{index}].quantity"
    if reason == StockReason.RESERVE:
        if on_hand and not warehouse_active:
            message = f"SKU {code}: the warehouse is not active."
        else:
            message = (
                f"SKU {code}: only {max(on_hand - reserved, 0)} available, {line.quantity} asked."
            )
        raise Conflict(message, field=field, code="insufficient_stock")
    raise Conflict(
        f"SKU {code}: only {reserved} reserved at this warehouse, {line.quantity} asked.",
        field=field,
        code="not_reserved",
    )
