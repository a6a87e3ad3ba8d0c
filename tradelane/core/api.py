"""Shared API pieces: the error shape, error handlers, pagination, access enforcement."""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination
from pydantic import ConfigDict, Field

from .access import declared_rules
from .errors import DomainError
from .money import Money

log = logging.getLogger(__name__)


# Ids fit a signed 64-bit column: a larger one is a 422, not a database overflow (a 500).
ID_MAX = 2**63 - 1
RowId = Path(..., ge=1, le=ID_MAX, description="The object's id.")


class StrictIn(Schema):
    """Base of every input schema: no type coercion ("0" is not 0), no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class MoneyOut(Schema):
    amount: str
    currency: str

    @staticmethod
    def of(money: Money | None) -> dict | None:
        return money.as_json() if money is not None else None


# Declare these on every operation so the OpenAPI document tells the truth.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


PAGE_SIZE_MAX = 100
PAGE_MAX = 1_000_000


class Pagination(PageNumberPagination):
    """Page-number pagination: `page` from 1, `page_size` 1..100 (default 50).

    Out-of-range values are a 422 naming the parameter, not a silent clamp or an overflow.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX, description="Page number, from 1.")
        page_size: int | None = Field(
            None,
            ge=1,
            le=PAGE_SIZE_MAX,
            description=f"Items per page (default 50, at most {PAGE_SIZE_MAX}).",
        )

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=PAGE_SIZE_MAX, **kwargs)


def _field_from_loc(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "form", "payload")]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = _field_from_loc(first.get("loc", ()))
        message = first.get("msg", "Invalid input.")
        body = {
            "code": "invalid",
            "message": f"{field}: {message}" if field else message,
            "field": field,
        }
        body["errors"] = [
            {"field": _field_from_loc(e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return api.create_response(request, body, status=422)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        body = {
            "code": "not_authenticated",
            "message": "A valid bearer token or session is required.",
            "field": None,
        }
        return api.create_response(request, body, status=401)

    @api.exception_handler(AuthorizationError)
    def authorization_error(request, exc):
        return api.create_response(
            request,
            {"code": "forbidden", "message": str(exc) or "Forbidden.", "field": None},
            status=403,
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return api.create_response(
            request,
            {"code": "too_large", "message": "The request body is too large.", "field": None},
            status=400,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": "Not found.", "field": None}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {400: "bad_request", 405: "method_not_allowed"}.get(exc.status_code, "error")
        return api.create_response(
            request, {"code": code, "message": str(exc), "field": None}, status=exc.status_code
        )


def operations(api: NinjaAPI):
    """Yield (method, path, view function) for every operation of the API."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method, f"{prefix}{path}", operation.view_func


def enforce_access_declarations(api: NinjaAPI) -> None:
    """Deny by default: refuse to start if any operation lacks an @allow declaration."""
    missing = [f"{m} {p}" for m, p, view in operations(api) if declared_rules(view) is None]
    if missing:
        raise ImproperlyConfigured(f"API operations without an @allow declaration: {missing}")
