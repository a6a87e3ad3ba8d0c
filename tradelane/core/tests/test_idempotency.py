"""The Idempotency-Key contract, on the invitation endpoint (a create with an effect)."""

import threading

import pytest
from django.db import connection

from tradelane.accounts.models import Invitation
from tradelane.core.models import IdempotencyKey, OutboxEvent

BODY = {"email": "colleague@shenzhen.test", "role": "staff"}


@pytest.mark.django_db
def test_same_key_and_body_replays_the_first_response(api, merchant_owner):
    client = api(merchant_owner)
    first = client.post("/invitations", BODY, headers={"Idempotency-Key": "k-1"})
    again = client.post("/invitations", BODY, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Invitation.objects.count() == 1
    assert OutboxEvent.objects.filter(topic="accounts.invitation_created").count() == 1


@pytest.mark.django_db
def test_same_key_with_another_body_is_422_and_changes_nothing(api, merchant_owner):
    client = api(merchant_owner)
    client.post("/invitations", BODY, headers={"Idempotency-Key": "k-2"})
    response = client.post(
        "/invitations", {**BODY, "email": "other@shenzhen.test"}, headers={"Idempotency-Key": "k-2"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert response.json()["field"] == "Idempotency-Key"
    assert list(Invitation.objects.values_list("email", flat=True)) == ["colleague@shenzhen.test"]


@pytest.mark.django_db
def test_a_refusal_is_replayed_too(api, merchant_owner):
    client = api(merchant_owner)
    client.post("/invitations", BODY)
    first = client.post("/invitations", BODY, headers={"Idempotency-Key": "k-3"})
    Invitation.objects.all().delete()  # the world changes; the key still answers as before
    again = client.post("/invitations", BODY, headers={"Idempotency-Key": "k-3"})
    assert first.status_code == again.status_code == 409
    assert again.json()["code"] == "already_invited"
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_keys_are_scoped_per_user(api, merchant_owner, other_merchant):
    api(merchant_owner).post("/invitations", BODY, headers={"Idempotency-Key": "shared"})
    response = api(other_merchant).post(
        "/invitations", {**BODY, "email": "c@yiwu.test"}, headers={"Idempotency-Key": "shared"}
    )
    assert response.status_code == 201
    assert Invitation.objects.count() == 2


@pytest.mark.django_db
def test_invalid_key_is_refused(api, merchant_owner):
    response = api(merchant_owner).post(
        "/invitations", BODY, headers={"Idempotency-Key": "x" * 300}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_unexpected_failure_releases_the_key_for_a_retry(api, merchant_owner, monkeypatch):
    from tradelane.accounts import services

    real = services.invite_member
    monkeypatch.setattr(
        services, "invite_member", lambda **kw: (_ for _ in ()).throw(OSError("disk full"))
    )
    client = api(merchant_owner)
    client.client.raise_request_exception = False
    assert client.post("/invitations", BODY, headers={"Idempotency-Key": "k-4"}).status_code == 500
    assert not IdempotencyKey.objects.exists() and not Invitation.objects.exists()
    monkeypatch.setattr(services, "invite_member", real)
    assert client.post("/invitations", BODY, headers={"Idempotency-Key": "k-4"}).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_have_one_effect(postgres_only, api, merchant_owner):
    client_count = 20
    clients = [api(merchant_owner) for _ in range(client_count)]
    barrier = threading.Barrier(client_count)
    results = []

    def send(client):
        try:
            barrier.wait()
            response = client.post("/invitations", BODY, headers={"Idempotency-Key": "race"})
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Invitation.objects.count() == 1
    assert OutboxEvent.objects.filter(topic="accounts.invitation_created").count() == 1
    statuses = sorted(status for status, _ in results)
    assert len(statuses) == client_count
    assert set(statuses) <= {201, 409}
    assert 201 in statuses
    created = {body["id"] for status, body in results if status == 201}
    assert len(created) == 1  # every 201 is the same invitation (replays)
    assert all(
        body["code"] == "idempotency_in_progress" for status, body in results if status == 409
    )
