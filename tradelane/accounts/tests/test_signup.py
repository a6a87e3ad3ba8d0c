import pytest

from tradelane.accounts.models import Membership, Organisation, User
from tradelane.core.models import OutboxEvent

GOOD = {
    "email": "New.Buyer@Example.com",
    "password": "a-long-enough-pass",
    "full_name": "Nia Buyer",
    "organisation_name": "Nia Imports",
    "kind": "buyer",
    "country": "GB",
}


@pytest.mark.django_db
def test_signup_creates_user_organisation_owner_membership_and_event(api):
    response = api().post("/signup", GOOD)
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.buyer@example.com"
    assert body["organisation"] == {
        "id": body["organisation"]["id"],
        "kind": "buyer",
        "name": "Nia Imports",
        "country": "GB",
    }
    assert body["role"] == "owner"
    assert OutboxEvent.objects.filter(topic="accounts.organisation_signed_up").count() == 1


@pytest.mark.django_db
def test_duplicate_signup_email_is_409_and_writes_nothing(api):
    assert api().post("/signup", GOOD).status_code == 201
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    response = api().post(
        "/signup", {**GOOD, "email": "NEW.BUYER@example.com", "organisation_name": "Other"}
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "email_taken",
        "message": "An account with this e-mail already exists.",
        "field": "email",
    }
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"password": "short"}, "password", "weak_password"),
        ({"country": "ZZ"}, "country", "unknown_country"),
        ({"kind": "operator"}, "kind", "invalid"),
        ({"organisation_name": "   "}, "organisation_name", "invalid"),
    ],
)
def test_bad_signup_names_the_field_and_writes_nothing(api, change, field, code):
    response = api().post("/signup", {**GOOD, **change})
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert User.objects.count() == 0 and Organisation.objects.count() == 0


@pytest.mark.django_db
def test_signup_page_creates_account_and_lands_on_portal(client):
    response = client.post(
        "/accounts/signup/",
        {**GOOD, "kind": "merchant", "country": "CN", "organisation_name": "Ningbo Tools"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/merchant/"
    assert client.get("/merchant/").status_code == 200


@pytest.mark.django_db
def test_signup_page_shows_duplicate_email_inline(client, buyer_owner):
    response = client.post("/accounts/signup/", {**GOOD, "email": buyer_owner.user.email})
    assert response.status_code == 422
    assert "An account with this e-mail already exists." in response.content.decode()
    assert Organisation.objects.filter(name="Nia Imports").count() == 0
