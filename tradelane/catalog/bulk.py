"""Bulk edits of prices and stock: CSV or JSON rows, validated row by row, applied
all-or-nothing; CSV export that neutralises formula-like cells.

Validation collects every row's first error (`row`, `field`, `code`, `message`); when any
row fails nothing is written and `RowErrors` (422 `invalid_rows`) carries the report.

Each import has two phases, `validate_*` (no writes; reports progress per row) and
`apply_*` (one transaction), joined by `import_*`; `KINDS` names them per CSV kind so that
`tasks.py` can run a big file as a background job with progress.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tradelane.core.access import Actor
from tradelane.core.errors import DomainError, InvalidInput, NotFound
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

from .models import Price, Sku, StockLevel, StockReason
from .services import pricing
from .services.stock import MAX_STOCK, record_movement

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
PRICE_COLUMNS = (
    "sku",
    "market",
    "currency",
    "unit_price",
    "moq",
    "increment",
    "breaks",
    "effective_from",
)
STOCK_COLUMNS = ("sku", "warehouse", "on_hand", "version")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class RowErrors(InvalidInput):
    code = "invalid_rows"

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} row(s) have errors; nothing was changed.", field="rows")
        self.errors_by_row = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors_by_row}


@dataclass(frozen=True)
class ImportResult:
    rows: int
    changed: int


# --- CSV in and out --------------------------------------------------------------------------


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV: at most MAX_BYTES, UTF-8 (a BOM is dropped), no NUL."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.",
            field="file",
            code="file_too_large",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text.", field="file", code="not_utf8") from None
    if "\x00" in text:
        raise InvalidInput("The file is not UTF-8 text.", field="file", code="not_utf8")
    return text


def parse_csv(text: str, *, columns: tuple[str, ...], required: Iterable[str]) -> list[dict]:
    """Rows as dicts keyed by the lower-cased header, each with its CSV line as `_row`."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [(h or "").strip().lower() for h in reader.fieldnames or ()]
        missing = [c for c in required if c not in header]
        if missing:
            raise InvalidInput(
                f"Missing column(s): {', '.join(missing)}.", field="file", code="missing_columns"
            )
        reader.fieldnames = header
        rows = []
        for index, raw in enumerate(reader, start=2):
            if index - 1 > MAX_ROWS:
                raise InvalidInput(f"At most {MAX_ROWS} rows.", field="file", code="too_many_rows")
            row = {c: (raw.get(c) or "").strip() for c in columns}
            if any(row.values()):
                rows.append({**row, "_row": index})
    except csv.Error as error:
        raise InvalidInput(
            f"The file is not valid CSV (line {reader.line_num}): {error}.",
            field="file",
            code="malformed_csv",
        ) from None
    return rows


def read_csv(data: bytes, *, columns: tuple[str, ...], required: Iterable[str]) -> list[dict]:
    return parse_csv(decode_upload(data), columns=columns, required=required)


def neutralise(value) -> str:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def write_csv(columns: tuple[str, ...], rows: Iterable[Iterable]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


def export_prices(*, actor: Actor) -> str:
    """Prices in force today for every SKU and market, in the import's columns."""
    now = timezone.now()
    started = (
        Price.objects.filter(sku__organisation_id=actor.organisation_id, effective_from__lte=now)
        .select_related("sku")
        .order_by("sku__code", "market_id", "-effective_from", "-id")
    )
    seen, rows = set(), []
    for price in started.iterator(chunk_size=2000):
        key = (price.sku_id, price.market_id)
        if key in seen:
            continue
        seen.add(key)
        breaks = ";".join(f"{b['min_quantity']}={b['unit_price']}" for b in price.breaks)
        rows.append(
            (
                price.sku.code,
                price.market_id,
                price.currency,
                price.unit.rounded().amount,
                price.moq,
                price.increment,
                breaks,
                "",
            )
        )
    return write_csv(PRICE_COLUMNS, rows)


def export_stock(*, actor: Actor) -> str:
    levels = (
        StockLevel.objects.filter(sku__organisation_id=actor.organisation_id)
        .select_related("sku", "warehouse")
        .order_by("sku__code", "warehouse__name")
    )
    return write_csv(
        (*STOCK_COLUMNS, "reserved"),
        (
            (lv.sku.code, lv.warehouse.name, lv.on_hand, lv.version, lv.reserved)
            for lv in levels.iterator(chunk_size=2000)
        ),
    )


# --- validation ------------------------------------------------------------------------------


def _int(value, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip()
    if not text.lstrip("-").isdigit() or len(text) > 12:
        raise InvalidInput("A whole number is required.", field=field)
    return int(text)


def _breaks(value) -> list[dict]:
    if isinstance(value, list):
        return value
    rows = []
    for part in str(value or "").split(";"):
        if not part.strip():
            continue
        quantity, sep, amount = part.partition("=")
        if not sep or not quantity.strip().isdigit():
            raise InvalidInput("Write breaks as quantity=price;quantity=price.", field="breaks")
        rows.append({"min_quantity": int(quantity.strip()), "unit_price": amount.strip()})
    return rows


def _when(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    if parsed is None:
        raise InvalidInput(
            "Use an ISO date-time, e.g. 2026-12-01T00:00:00Z.", field="effective_from"
        )
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _skus_by_code(actor: Actor, codes: set[str]) -> dict[str, Sku]:
    return {
        s.code: s for s in Sku.objects.filter(organisation_id=actor.organisation_id, code__in=codes)
    }


def _error(row: dict, error: DomainError) -> dict:
    return {"row": row["_row"], "field": error.field, "code": error.code, "message": error.message}


def _number_rows(rows: list[dict]) -> list[dict]:
    return [{**r, "_row": r.get("_row", i)} for i, r in enumerate(rows, start=1)]


# --- prices ----------------------------------------------------------------------------------


def _rows_for(actor: Actor, rows: list[dict]) -> list[dict]:
    if actor is None or actor.kind != "merchant":
        raise NotFound("Not found.")
    rows = _number_rows(rows)
    if not rows:
        raise InvalidInput("No rows.", field="rows", code="empty")
    if len(rows) > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS} rows.", field="rows", code="too_many_rows")
    return rows


def _no_progress(done: int) -> None:
    return None


def validate_prices(*, actor: Actor, rows: list[dict], progress=_no_progress) -> list[tuple]:
    """Check every row (no writes); `progress(rows checked)` after each. Raises RowErrors
    with every bad row's first error."""
    rows = _rows_for(actor, rows)
    skus = _skus_by_code(actor, {str(r.get("sku") or "") for r in rows})
    market_currency = {m.code: m.currency for m in markets.list_markets()}
    errors, valid = [], []
    for done, row in enumerate(rows, start=1):
        try:
            sku = skus.get(str(row.get("sku") or ""))
            if sku is None:
                raise InvalidInput(
                    "You have no SKU with this code.", field="sku", code="unknown_sku"
                )
            code = str(row.get("market") or "").upper()
            if code not in market_currency:
                raise InvalidInput("Unknown market.", field="market", code="unknown_market")
            amount, breaks, moq, increment = pricing.validate_price(
                currency=str(row.get("currency") or ""),
                market_currency=market_currency[code],
                unit_price=row.get("unit_price"),
                breaks=_breaks(row.get("breaks")),
                moq=_int(row.get("moq") or 1, "moq"),
                increment=_int(row.get("increment") or 1, "increment"),
            )
            when = _when(row.get("effective_from"))
            valid.append((sku, code, market_currency[code], amount, breaks, moq, increment, when))
        except DomainError as error:
            errors.append(_error(row, error))
        progress(done)
    if errors:
        raise RowErrors(errors)
    return valid


def apply_prices(*, actor: Actor, valid: list[tuple], source: str = "csv") -> int:
    """Append the validated price versions in one transaction, SKUs locked in primary-key
    order, with their listings refreshed and events recorded. Returns versions written."""
    now = timezone.now()
    with transaction.atomic():
        list(
            Sku.objects.select_for_update()
            .filter(pk__in=sorted({v[0].pk for v in valid}))
            .order_by("pk")
        )
        created = Price.objects.bulk_create(
            Price(
                sku=sku,
                market_id=code,
                currency=currency,
                unit_price=amount,
                breaks=breaks,
                moq=moq,
                increment=increment,
                effective_from=when if when and when > now else now,
                created_at=now,
                created_by=actor.user,
                source=source,
            )
            for sku, code, currency, amount, breaks, moq, increment, when in valid
        )
        pricing.prices_written(created)  # storefront listings and price_changed events
    return len(created)


def import_prices(*, actor: Actor, rows: list[dict], source: str = "csv") -> ImportResult:
    """Validate every row, then append all price versions in one transaction (SKUs locked
    in primary-key order). Raises RowErrors with the report when any row is wrong."""
    valid = validate_prices(actor=actor, rows=rows)
    return ImportResult(
        rows=len(valid), changed=apply_prices(actor=actor, valid=valid, source=source)
    )


# --- stock -----------------------------------------------------------------------------------


def validate_stock(*, actor: Actor, rows: list[dict], progress=_no_progress) -> dict:
    """Check every row (no writes); `progress(rows checked)` after each. Returns
    {(sku id, warehouse id): (row, on_hand, version)}; raises RowErrors."""
    rows = _rows_for(actor, rows)
    skus = _skus_by_code(actor, {str(r.get("sku") or "") for r in rows})
    warehouses = {}
    for w in merchants.list_warehouses(actor=actor):
        warehouses[w.name.lower()] = w
        warehouses[str(w.pk)] = w
    errors, valid = [], {}
    for done, row in enumerate(rows, start=1):
        try:
            sku = skus.get(str(row.get("sku") or ""))
            if sku is None:
                raise InvalidInput(
                    "You have no SKU with this code.", field="sku", code="unknown_sku"
                )
            warehouse = warehouses.get(str(row.get("warehouse") or "").strip().lower())
            if warehouse is None:
                raise InvalidInput(
                    "You have no warehouse with this name.",
                    field="warehouse",
                    code="unknown_warehouse",
                )
            quantity = _int(row.get("on_hand"), "on_hand")
            if quantity < 0:
                raise InvalidInput(
                    "Stock cannot be negative.", field="on_hand", code="negative_stock"
                )
            if quantity > MAX_STOCK:
                raise InvalidInput("Quantity too large.", field="on_hand")
            if (sku.pk, warehouse.pk) in valid:
                raise InvalidInput(
                    "This SKU and warehouse appear twice.", field="sku", code="duplicate_row"
                )
            version = row.get("version")
            version = None if version in (None, "") else _int(version, "version")
            valid[(sku.pk, warehouse.pk)] = (row, quantity, version)
        except DomainError as error:
            errors.append(_error(row, error))
        progress(done)
    if errors:
        raise RowErrors(errors)
    return valid


def apply_stock(*, actor: Actor, valid: dict) -> int:
    """Set the validated levels in one transaction: lock them in primary-key order, check
    each row's version guard and reserved quantity, set, and write a movement. Any row
    failing here raises RowErrors and rolls the whole import back. Returns levels changed."""
    changed, errors = 0, []
    with transaction.atomic():
        existing = {
            (lv.sku_id, lv.warehouse_id)
            for lv in StockLevel.objects.filter(
                sku_id__in={k[0] for k in valid}, warehouse_id__in={k[1] for k in valid}
            )
        }
        StockLevel.objects.bulk_create(
            [
                StockLevel(sku_id=s, warehouse_id=w, version=0)
                for s, w in valid
                if (s, w) not in existing
            ],
            ignore_conflicts=True,
        )
        levels = (
            StockLevel.objects.select_for_update()
            .filter(sku_id__in={k[0] for k in valid}, warehouse_id__in={k[1] for k in valid})
            .order_by("pk")
        )
        for level in levels:
            key = (level.sku_id, level.warehouse_id)
            if key not in valid:
                continue
            row, quantity, version = valid[key]
            if version is not None and version != level.version:
                errors.append(
                    {
                        "row": row["_row"],
                        "field": "version",
                        "code": "precondition_failed",
                        "message": f"The stock level is at version {level.version}.",
                    }
                )
                continue
            if quantity < level.reserved:
                errors.append(
                    {
                        "row": row["_row"],
                        "field": "on_hand",
                        "code": "below_reserved",
                        "message": f"{level.reserved} units are reserved.",
                    }
                )
                continue
            if quantity == level.on_hand and level.version > 0:
                continue
            StockLevel.objects.filter(pk=level.pk).update(  # the row is locked
                on_hand=quantity, version=F("version") + 1, updated_at=timezone.now()
            )
            record_movement(
                level.pk,
                delta=quantity - level.on_hand,
                reason=StockReason.IMPORT,
                note="CSV import",
                actor=actor,
            )
            changed += 1
        if errors:
            raise RowErrors(sorted(errors, key=lambda e: e["row"]))  # rolls everything back
    return changed


def import_stock(*, actor: Actor, rows: list[dict]) -> ImportResult:
    """Absolute on-hand per SKU and warehouse (by name or id), guarded per row by the
    optional `version` column (as exported). Validates every row, then applies them all in
    one transaction (`apply_stock`); any failure changes nothing."""
    valid = validate_stock(actor=actor, rows=rows)
    return ImportResult(rows=len(valid), changed=apply_stock(actor=actor, valid=valid))


# --- import kinds (CSV columns, required columns, the two phases) -----------------------------


@dataclass(frozen=True)
class ImportKind:
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    validate: Callable[..., object]
    apply: Callable[..., int]

    @property
    def job_kind(self) -> str:
        return f"catalog.import_{self.name}"


def _apply_prices(*, actor: Actor, valid) -> int:
    return apply_prices(actor=actor, valid=valid, source="csv")


KINDS = {
    "prices": ImportKind(
        "prices",
        PRICE_COLUMNS,
        ("sku", "market", "currency", "unit_price"),
        validate_prices,
        _apply_prices,
    ),
    "stock": ImportKind(
        "stock", STOCK_COLUMNS, ("sku", "warehouse", "on_hand"), validate_stock, apply_stock
    ),
}
JOB_KINDS = {k.job_kind: k for k in KINDS.values()}
