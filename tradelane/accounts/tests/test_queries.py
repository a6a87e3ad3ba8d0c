"""List endpoints and pages issue a constant number of queries, however many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.accounts import services
from tradelane.accounts.testing import make_actor


def _grow(owner, n):
    for i in range(n):
        make_actor(
            "merchant",
            "staff",
            email=f"staff{i}-{n}@shenzhen.test",
            organisation=owner.organisation,
        )
        services.create_token(actor=owner, name=f"token {i}")
        services.invite_member(actor=owner, email=f"invitee{i}-{n}@shenzhen.test", role="staff")


def _count(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/members", "/tokens", "/invitations", "/me"])
def test_api_lists_do_not_grow_queries_with_rows(
    api, merchant_owner, django_assert_max_num_queries, path
):
    client = api(merchant_owner)
    _grow(merchant_owner, 2)
    baseline = _count(lambda: client.get(path))
    _grow(merchant_owner, 15)
    with django_assert_max_num_queries(baseline):
        assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_account_page_does_not_grow_queries_with_rows(
    page_client, merchant_owner, django_assert_max_num_queries
):
    client = page_client(merchant_owner)
    _grow(merchant_owner, 2)
    baseline = _count(lambda: client.get("/account/"))
    _grow(merchant_owner, 15)
    with django_assert_max_num_queries(baseline):
        assert client.get("/account/").status_code == 200
