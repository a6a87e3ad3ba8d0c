"""Shared test fixtures: actors of each role, API clients, the browser.

Tests run on SQLite by default and on PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/tradelane (see Makefile and .ci/run).
"""

import os

# Playwright's sync API runs an event loop; Django must allow DB access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.servers.basehttp import WSGIServer  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tradelane.accounts.testing import ApiClient, make_actor  # noqa: E402

# The live server's listen backlog (10) would reset connections when a race test releases
# 50 clients at once; a real server's backlog is far larger.
WSGIServer.request_queue_size = 128

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def operator_admin(db):
    return make_actor("operator", "admin", email="ops-admin@test.example", org_name="Tradelane Ops")


@pytest.fixture
def operator_support(db):
    return make_actor(
        "operator", "support", email="ops-support@test.example", org_name="Tradelane Ops"
    )


@pytest.fixture
def merchant_owner(db):
    return make_actor(
        "merchant", "owner", email="owner@shenzhen.test", org_name="Shenzhen Volt", country="CN"
    )


@pytest.fixture
def merchant_staff(merchant_owner):
    return make_actor(
        "merchant", "staff", email="staff@shenzhen.test", organisation=merchant_owner.organisation
    )


@pytest.fixture
def other_merchant(db):
    return make_actor(
        "merchant", "owner", email="owner@yiwu.test", org_name="Yiwu Home", country="CN"
    )


@pytest.fixture
def buyer_owner(db):
    return make_actor(
        "buyer", "owner", email="owner@buyer-us.test", org_name="Acme Supply", country="US"
    )


@pytest.fixture
def other_buyer(db):
    return make_actor(
        "buyer", "owner", email="owner@buyer-de.test", org_name="Berlin Handel", country="DE"
    )


@pytest.fixture
def api():
    """`api(actor)` → a client sending that actor's bearer token; `api()` anonymous."""
    return ApiClient.for_actor


@pytest.fixture
def page_client():
    """`page_client(actor)` → a Django test client signed in as that actor's user."""

    def make(actor=None):
        client = Client()
        if actor is not None:
            client.force_login(actor.user, backend="tradelane.accounts.backends.EmailBackend")
            session = client.session
            session["organisation_id"] = actor.organisation_id
            session.save()
        return client

    return make


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("race test: runs on PostgreSQL (DATABASE_URL=postgres://…)")


# --- Browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (make test does it)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }
