"""django-ninja authentication: bearer tokens for machines, session + CSRF for browsers.

Both return an `Actor`; ninja stores it on `request.auth`.
"""

from ninja.security import APIKeyCookie, HttpBearer

from .selectors import actor_from_session, actor_from_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        return actor_from_token(token)


class SessionAuth(APIKeyCookie):
    """The browser's session cookie; unsafe methods need the CSRF token (X-CSRFToken)."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        # AccessPolicyMiddleware resolved the session's actor already
        actor = getattr(request, "actor", None)
        return actor if actor is not None else actor_from_session(request)
