"""Domain errors with stable codes.

Services raise these; the API maps them to `{"code", "message", "field"}` JSON with the
class's HTTP status, and pages show the message next to the field. A code is part of the
public contract: never rename one.
"""


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"

    def __init__(self, message: str = "Authentication required.", **kwargs):
        super().__init__(message, **kwargs)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: str = "You may not do this.", **kwargs):
        super().__init__(message, **kwargs)


class NotFound(DomainError):
    """Also what another tenant's object answers: never reveal that it exists."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.", **kwargs):
        super().__init__(message, **kwargs)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
