"""The per-process memo of bearer token → actor (accounts/token_cache.py): a hit costs no
query, a change made here is refused at once, a change made elsewhere within the TTL."""

import pytest
from django.utils import timezone

from tradelane.accounts import token_cache
from tradelane.accounts.models import ApiToken
from tradelane.accounts.selectors import actor_from_token
from tradelane.accounts.services import create_token

TTL = 5


@pytest.fixture(autouse=True)
def memo_on(settings):
    settings.AUTH_TOKEN_CACHE_SECONDS = TTL
    token_cache._entries.clear()
    yield
    token_cache._entries.clear()


@pytest.fixture
def clock(monkeypatch):
    """token_cache's clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(token_cache, "_now", lambda: now[0])
    return now


@pytest.mark.django_db
def test_a_memoised_token_costs_no_query_and_gives_fresh_objects(
    merchant_owner, django_assert_num_queries
):
    _token, secret = create_token(actor=merchant_owner, name="hot path")
    first = actor_from_token(secret)
    with django_assert_num_queries(0):
        second = actor_from_token(secret)
    assert (second.user.pk, second.organisation_id, second.role, second.via) == (
        first.user.pk,
        first.organisation_id,
        "owner",
        "token",
    )
    assert second.user is not first.user and second.organisation is not first.organisation
    second.user.full_name = "changed by one request"
    assert actor_from_token(secret).user.full_name == first.user.full_name


@pytest.mark.django_db
def test_revoking_here_is_refused_at_once(api, merchant_owner, django_capture_on_commit_callbacks):
    client = api(merchant_owner)
    created = client.post("/tokens", {"name": "to revoke"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert api().get("/me", headers=headers).status_code == 200
    assert api().get("/me", headers=headers).status_code == 200  # from the memo
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"/tokens/{created['id']}").status_code == 204
    assert api().get("/me", headers=headers).status_code == 401


@pytest.mark.django_db
def test_removing_a_member_here_is_refused_at_once(
    api, merchant_owner, merchant_staff, django_capture_on_commit_callbacks
):
    staff = api(merchant_staff)
    assert staff.get("/me").status_code == 200
    membership_id = api(merchant_owner).get("/members").json()["items"][1]["id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert api(merchant_owner).delete(f"/members/{membership_id}").status_code == 204
    assert staff.get("/me").status_code == 401


@pytest.mark.django_db
def test_a_revocation_made_elsewhere_is_refused_once_the_ttl_has_passed(merchant_owner, clock):
    token, secret = create_token(actor=merchant_owner, name="other process")
    assert actor_from_token(secret) is not None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())  # another process
    clock[0] += TTL - 0.1
    assert actor_from_token(secret) is not None  # the documented window
    clock[0] += 0.2
    assert actor_from_token(secret) is None


@pytest.mark.django_db
def test_an_entry_never_outlives_the_token(merchant_owner, clock):
    token, secret = create_token(actor=merchant_owner, name="short")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + timezone.timedelta(seconds=1)
    )
    assert actor_from_token(secret) is not None
    clock[0] += 1.5
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert actor_from_token(secret) is None


@pytest.mark.django_db
def test_off_when_the_setting_is_zero(settings, merchant_owner, django_assert_num_queries):
    settings.AUTH_TOKEN_CACHE_SECONDS = 0
    _token, secret = create_token(actor=merchant_owner, name="no memo")
    actor_from_token(secret)
    with django_assert_num_queries(1):
        assert actor_from_token(secret) is not None
    assert token_cache._entries == {}
