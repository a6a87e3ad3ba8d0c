from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from tradelane.core.api import StrictIn


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    country: str


class MembershipOut(Schema):
    organisation: OrganisationOut
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    organisation: OrganisationOut | None
    role: str | None
    memberships: list[MembershipOut]


class SignUpIn(StrictIn):
    email: str = Field(max_length=254)
    password: str = Field(min_length=1, max_length=128)
    full_name: str = Field("", max_length=150)
    organisation_name: str = Field(max_length=200)
    kind: Literal["buyer", "merchant"]
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class TokenIn(StrictIn):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(None, ge=1, le=3650)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    organisation_id: int
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. Shown once: it is stored only as a hash.")


class MemberOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    created_at: datetime


class InvitationIn(StrictIn):
    email: str = Field(max_length=254)
    role: Literal["owner", "staff", "admin", "support"]


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
