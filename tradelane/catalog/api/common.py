"""Helpers shared by the catalog's endpoints."""

from ninja import Path

from tradelane.core.errors import InvalidInput

MarketCode = Path(..., pattern=r"^[A-Za-z]{2}$")


def as_json(schema, data: dict) -> dict:
    """JSON-ready values, so a replayed idempotent response equals the first."""
    return schema.model_validate(data).model_dump(mode="json")


def parse_if_match(value: str | None) -> int | None:
    """`If-Match: 3`, `"3"` or `W/"3"` → 3; absent → None; anything else a 422."""
    if value is None:
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput(
            "If-Match must be the stock level's version (a number).", field="If-Match"
        )
    return int(text)


def etag(version: int) -> str:
    return f'"{version}"'
