import hashlib

import pytest

from tradelane.accounts.models import ApiToken


@pytest.mark.django_db
def test_created_token_is_shown_once_and_stored_only_as_a_hash(api, merchant_owner):
    response = api(merchant_owner).post("/tokens", {"name": "ERP sync"})
    assert response.status_code == 201
    secret = response.json()["token"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {stored.token_hash, stored.prefix, stored.name}
    assert secret.startswith(f"tl_{stored.prefix}_")
    listed = api(merchant_owner).get("/tokens").json()["items"]
    assert all("token" not in item for item in listed)


@pytest.mark.django_db
def test_new_token_authenticates_as_its_user_and_organisation(api, merchant_owner):
    secret = api(merchant_owner).post("/tokens", {"name": "ci"}).json()["token"]
    me = api().get("/me", headers={"Authorization": f"Bearer {secret}"}).json()
    assert me["email"] == "owner@shenzhen.test"
    assert me["organisation"]["name"] == "Shenzhen Volt"
    assert me["role"] == "owner"


@pytest.mark.django_db
def test_revoked_token_fails(api, merchant_owner):
    client = api(merchant_owner)
    created = client.post("/tokens", {"name": "to revoke"}).json()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert api().get("/me", headers=headers).status_code == 200
    assert client.delete(f"/tokens/{created['id']}").status_code == 204
    response = api().get("/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_expired_token_fails(api, merchant_owner):
    from django.utils import timezone

    created = api(merchant_owner).post("/tokens", {"name": "short", "expires_in_days": 1}).json()
    ApiToken.objects.filter(pk=created["id"]).update(expires_at=timezone.now())
    response = api().get("/me", headers={"Authorization": f"Bearer {created['token']}"})
    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer ", "Basic abc", "Bearer " + "x" * 500]
)
def test_bad_token_is_401_with_error_code(api, header):
    response = api().get("/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_token_of_a_removed_member_stops_working(api, merchant_owner, merchant_staff):
    staff_client = api(merchant_staff)
    assert staff_client.get("/me").status_code == 200
    membership_id = api(merchant_owner).get("/members").json()["items"][1]["id"]
    assert api(merchant_owner).delete(f"/members/{membership_id}").status_code == 204
    assert staff_client.get("/me").status_code == 401


@pytest.mark.django_db
def test_another_users_token_cannot_be_revoked_and_answers_404(api, merchant_owner, merchant_staff):
    created = api(merchant_owner).post("/tokens", {"name": "owner's"}).json()
    response = api(merchant_staff).delete(f"/tokens/{created['id']}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=created["id"]).revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": 5}, "name"),
    ],
)
def test_token_create_rejects_bad_input_naming_the_field(api, merchant_owner, body, field):
    client = api(merchant_owner)
    before = ApiToken.objects.count()
    response = client.post("/tokens", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert ApiToken.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [({"page_size": 101}, "page_size"), ({"page": 0}, "page"), ({"page": 10**30}, "page")],
)
def test_list_pagination_bounds_are_422_naming_the_parameter(api, merchant_owner, params, field):
    response = api(merchant_owner).get("/tokens", params)
    assert response.status_code == 422
    assert response.json()["field"] == field


@pytest.mark.django_db
def test_token_list_pages(api, merchant_owner):
    client = api(merchant_owner)
    for n in range(3):
        client.post("/tokens", {"name": f"t{n}"})
    page = client.get("/tokens", {"page": 2, "page_size": 2}).json()
    assert page["count"] == 4  # three created + the client's own
    assert len(page["items"]) == 2


@pytest.mark.django_db
def test_organisation_endpoint_returns_the_token_organisation(api, buyer_owner):
    body = api(buyer_owner).get("/organisation").json()
    assert body == {
        "id": buyer_owner.organisation_id,
        "kind": "buyer",
        "name": "Acme Supply",
        "country": "US",
    }


@pytest.mark.django_db
def test_a_token_is_resolved_with_one_query(merchant_owner, django_assert_num_queries):
    """Every API request pays for this lookup: token, user, organisation and role at once."""
    from tradelane.accounts.selectors import actor_from_token
    from tradelane.accounts.services import create_token

    _token, secret = create_token(actor=merchant_owner, name="hot path")
    actor_from_token(secret)  # the first use records last_used_at
    with django_assert_num_queries(1):
        actor = actor_from_token(secret)
    assert (actor.organisation_id, actor.role) == (merchant_owner.organisation_id, "owner")
