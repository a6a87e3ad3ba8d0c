"""The one permission layer: every endpoint and page declares who may use it.

    @router.get("/things/{id}")
    @allow(MERCHANT)
    def get_thing(request, id: int): ...

    @allow(OPERATOR_ADMIN)
    def edit_market(request, code): ...

Deny by default:
- `config/api.py` refuses to start if an API operation has no `@allow` declaration.
- `AccessPolicyMiddleware` refuses any page whose view has none (only Django's admin,
  static files and the language switch are exempt; admin has its own staff check).

Who may see *which* object is the selectors' job: they filter by `actor.organisation_id`,
so another tenant's object is simply not found (404), never 403.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string

from .errors import DomainError, Forbidden, NotAuthenticated, NotFound

log = logging.getLogger(__name__)

BUYER, MERCHANT, OPERATOR = "buyer", "merchant", "operator"


@dataclass(frozen=True)
class Actor:
    """The user acting, and the organisation (and role in it) they act for."""

    user: Any
    organisation: Any | None
    role: str | None
    via: str = "session"  # or "token"

    @property
    def kind(self) -> str | None:
        return self.organisation.kind if self.organisation is not None else None

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation is not None else None

    @property
    def is_operator(self) -> bool:
        return self.kind == OPERATOR


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str | None = None  # organisation kind required, None = any
    roles: frozenset[str] | None = None  # membership roles allowed, None = any
    needs_member: bool = True

    def permits(self, actor: Actor | None) -> bool:
        if self.name == "public":
            return True
        if actor is None or actor.user is None:
            return False
        if not self.needs_member:
            return True
        if actor.organisation is None:
            return False
        if self.kind is not None and actor.kind != self.kind:
            return False
        return self.roles is None or actor.role in self.roles


PUBLIC = Rule("public", needs_member=False)
SIGNED_IN = Rule("signed_in", needs_member=False)
ANY_MEMBER = Rule("any_member")
BUYER_MEMBER = Rule("buyer", kind=BUYER)
BUYER_OWNER = Rule("buyer_owner", kind=BUYER, roles=frozenset({"owner"}))
MERCHANT_MEMBER = Rule("merchant", kind=MERCHANT)
MERCHANT_OWNER = Rule("merchant_owner", kind=MERCHANT, roles=frozenset({"owner"}))
OPERATOR_MEMBER = Rule("operator", kind=OPERATOR)
OPERATOR_ADMIN = Rule("operator_admin", kind=OPERATOR, roles=frozenset({"admin"}))
ORG_OWNER = Rule("org_owner", roles=frozenset({"owner", "admin"}))


def current_actor(request: HttpRequest) -> Actor | None:
    """The actor of an API call (set by ninja auth) or of a page (set by the middleware)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, Actor):
        return auth
    return getattr(request, "actor", None)


def allow(*rules: Rule) -> Callable:
    """Declare who may call a view or API operation; anyone else is refused."""
    if not rules or not all(isinstance(r, Rule) for r in rules):
        raise TypeError("allow() takes one or more access rules")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            actor = current_actor(request)
            if not any(rule.permits(actor) for rule in rules):
                if actor is None or actor.user is None:
                    raise NotAuthenticated()
                raise Forbidden()
            return view(request, *args, **kwargs)

        wrapper.access_rules = rules
        return wrapper

    return decorate


def declared_rules(view: Callable) -> tuple[Rule, ...] | None:
    for _ in range(10):  # follow functools.wraps chains
        if view is None:
            return None
        rules = getattr(view, "access_rules", None)
        if rules:
            return rules
        view = getattr(view, "__wrapped__", None)
    return None


_EXEMPT_VIEW_MODULES = (
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.views.static",
    "django.views.i18n",
    "ninja.",
)


def _is_exempt(view_func: Callable) -> bool:
    module = getattr(view_func, "__module__", "") or ""
    if module.startswith(_EXEMPT_VIEW_MODULES):
        return True
    # admin site views are bound methods of AdminSite / ModelAdmin
    owner = getattr(view_func, "admin_site", None) or getattr(view_func, "model_admin", None)
    return owner is not None


class AccessPolicyMiddleware:
    """Sets `request.actor` and refuses pages that declare no access rule."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._resolve = import_string(settings.ACTOR_FROM_SESSION)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = self._resolve(request)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith("/api/") or _is_exempt(view_func):
            return None
        if declared_rules(view_func) is None:
            log.error(
                "view %s declares no access rule: denied", getattr(view_func, "__name__", view_func)
            )
            return _error_page(request, 404, "Not found.")
        return None

    def process_exception(self, request, exception):
        if request.path.startswith("/api/") or not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, NotFound):
            return _error_page(request, 404, exception.message)
        if isinstance(exception, Forbidden):
            return _error_page(request, 403, exception.message)
        return _error_page(request, exception.status, exception.message)


def _error_page(request, status: int, message: str) -> HttpResponse:
    response = TemplateResponse(
        request, "web/error.html", {"status": status, "message": message}, status=status
    )
    return response.render()
