"""Test helpers: make actors of any role and call the API as them."""

from __future__ import annotations

import json
import secrets

from django.test import Client

from tradelane.core.access import Actor

from .models import ApiToken, Membership, Organisation, User
from .selectors import hash_token


def make_actor(
    kind: str,
    role: str,
    *,
    email: str | None = None,
    org_name: str | None = None,
    country: str = "US",
    organisation: Organisation | None = None,
    password: str = "correct-horse-battery",  # noqa: S107
) -> Actor:
    email = email or f"{secrets.token_hex(4)}@{kind}.test"
    user = User.objects.create_user(email=email, password=password, full_name=email.split("@")[0])
    if organisation is None:
        organisation = Organisation.objects.create(
            kind=kind, name=org_name or f"{kind} {email}", country=country
        )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return Actor(user=user, organisation=organisation, role=role)


def issue_token(actor: Actor, name: str = "test") -> str:
    secret = f"tl_test_{secrets.token_urlsafe(24)}"
    ApiToken.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        name=name,
        prefix="test",
        token_hash=hash_token(secret),
    )
    return secret


class ApiClient:
    """A JSON client for /api/v1 that authenticates with a bearer token."""

    def __init__(self, token: str | None = None):
        self.client = Client()
        self.token = token

    @classmethod
    def for_actor(cls, actor: Actor | None = None) -> ApiClient:
        return cls(issue_token(actor) if actor is not None else None)

    def _headers(self, headers: dict | None) -> dict:
        out = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
        for key, value in (headers or {}).items():
            out["HTTP_" + key.upper().replace("-", "_")] = value
        return out

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else f"/api/v1{path}"

    def get(self, path, params=None, headers=None):
        return self.client.get(self._url(path), params or {}, **self._headers(headers))

    def delete(self, path, headers=None):
        return self.client.delete(self._url(path), **self._headers(headers))

    def post(self, path, body=None, headers=None):
        return self.client.post(
            self._url(path),
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(headers),
        )

    def patch(self, path, body=None, headers=None):
        return self.client.patch(
            self._url(path),
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **self._headers(headers),
        )
