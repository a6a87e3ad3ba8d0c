import re

import pytest
from django.core import mail

from tradelane.accounts.invitations import invitation_token
from tradelane.accounts.models import Invitation, Membership


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture, home",
    [("operator_admin", "/ops/"), ("merchant_owner", "/merchant/"), ("buyer_owner", "/store/")],
)
def test_login_lands_on_the_portal_of_the_role(client, request, fixture, home):
    actor = request.getfixturevalue(fixture)
    response = client.post(
        "/accounts/login/", {"username": actor.user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_an_error_and_does_not_sign_in(client, buyer_owner):
    response = client.post(
        "/accounts/login/", {"username": buyer_owner.user.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert client.get("/store/").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fixture, forbidden",
    [("buyer_owner", "/ops/"), ("buyer_owner", "/merchant/"), ("merchant_owner", "/store/")],
)
def test_a_portal_refuses_other_roles(page_client, request, fixture, forbidden):
    response = page_client(request.getfixturevalue(fixture)).get(forbidden)
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/ops/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ops/"


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, buyer_owner):
    response = client.post("/accounts/password-reset/", {"email": buyer_owner.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"}
    )
    assert response.status_code == 302
    assert client.login(username=buyer_owner.user.email, password="brand-new-secret-9")


@pytest.mark.django_db
def test_password_reset_for_unknown_email_reveals_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_invited_colleague_gets_email_and_joins_with_a_new_account(
    page_client, client, merchant_owner
):
    owner = page_client(merchant_owner)
    response = owner.post(
        "/account/invitations/", {"email": "new.staff@shenzhen.test", "role": "staff"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.staff@shenzhen.test")
    # the outbox relay (run inline in tests) sent the e-mail with a signed link
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)
    response = client.post(link, {"full_name": "New Staff", "password": "staff-password-42"})
    assert response.status_code == 302
    assert response["Location"] == "/merchant/"
    membership = Membership.objects.get(user__email="new.staff@shenzhen.test")
    assert (membership.organisation_id, membership.role) == (
        merchant_owner.organisation_id,
        "staff",
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.get(link).status_code == 410  # single use


@pytest.mark.django_db
def test_revoked_invitation_link_no_longer_works(page_client, client, merchant_owner):
    page_client(merchant_owner).post(
        "/account/invitations/", {"email": "x@shenzhen.test", "role": "staff"}
    )
    invitation = Invitation.objects.get(email="x@shenzhen.test")
    page_client(merchant_owner).post(f"/account/invitations/{invitation.pk}/revoke/")
    response = client.post(
        f"/accounts/invitations/{invitation_token(invitation.pk)}/", {"password": "whatever-long-1"}
    )
    assert response.status_code == 410
    assert not Membership.objects.filter(user__email="x@shenzhen.test").exists()


@pytest.mark.django_db
def test_staff_cannot_invite(page_client, merchant_staff):
    response = page_client(merchant_staff).post(
        "/account/invitations/", {"email": "y@shenzhen.test", "role": "staff"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_invite_with_a_role_of_another_kind_shows_field_error(page_client, merchant_owner):
    response = page_client(merchant_owner).post(
        "/account/invitations/", {"email": "z@shenzhen.test", "role": "admin"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_token_page_shows_the_secret_once(page_client, buyer_owner):
    client = page_client(buyer_owner)
    response = client.post("/account/tokens/", {"name": "ERP"})
    secret = re.search(r'data-testid="new-token">([^<]+)<', response.content.decode()).group(1)
    assert secret.startswith("tl_")
    assert secret not in client.get("/account/").content.decode()
