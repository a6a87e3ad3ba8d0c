"""Helpers shared by the merchant program's endpoints."""

from datetime import date

from tradelane.core.errors import InvalidInput


def parse_day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid date.", field=field) from None


def as_json(schema, data: dict) -> dict:
    """JSON-ready values, so a replayed idempotent response equals the first."""
    return schema.model_validate(data).model_dump(mode="json")
