"""API: shipments scoped to their parties, documents, handover scan, the signed webhook,
public tracking, operator actions; lists with a constant number of queries."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tradelane.accounts.testing import make_actor
from tradelane.logistics.fulfilment.models import Shipment, ShipmentEvent
from tradelane.logistics.fulfilment.testing import shipped_order, signed_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipment(buyer_owner, merchant_owner):
    return shipped_order(buyer_owner, merchant_owner)


def _event(shipment, event_id, code, minutes):
    at = timezone.now() + timedelta(minutes=minutes)
    return {
        "event_id": event_id,
        "tracking_number": shipment.tracking_number,
        "code": code,
        "occurred_at": at.isoformat(),
        "location": "Hub",
    }


def _state(shipment):
    shipment.refresh_from_db()
    return (shipment.status, shipment.position, ShipmentEvent.objects.count())


def test_parties_see_the_shipment_and_another_merchant_gets_404(
    api, shipment, buyer_owner, merchant_owner, other_merchant, other_buyer
):
    for actor in (merchant_owner, buyer_owner):
        response = api(actor).get(f"/shipments/{shipment.pk}")
        assert response.status_code == 200, response.json()
        assert response.json()["tracking_number"] == shipment.tracking_number
    for intruder in (other_merchant, other_buyer):
        response = api(intruder).get(f"/shipments/{shipment.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert api(intruder).get("/shipments").json()["count"] == 0
    assert api(other_merchant).get(f"/shipments/{shipment.pk}/label.pdf").status_code == 404
    assert api(buyer_owner).get(f"/shipments/{shipment.pk}/label.pdf").status_code == 403


def test_merchant_downloads_the_label_identically_twice(api, shipment, merchant_owner):
    first = api(merchant_owner).get(f"/shipments/{shipment.pk}/label.pdf")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert api(merchant_owner).get(f"/shipments/{shipment.pk}/label.pdf").content == first.content
    for name in ("customs.pdf", "packing-list.pdf"):
        response = api(merchant_owner).get(f"/shipments/{shipment.pk}/{name}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_scan_api_hands_over_and_names_the_field_on_bad_input(api, shipment, merchant_owner):
    client = api(merchant_owner)
    response = client.post("/merchant/handovers", {"tracking_number": "nonsense"})
    assert response.status_code == 422 and response.json()["field"] == "tracking_number"
    response = client.post("/merchant/handovers", {"tracking_number": shipment.tracking_number})
    assert response.status_code == 200 and response.json()["status"] == "picked_up"
    manifest = client.get("/merchant/pickups", {"day": shipment.pickup.day.isoformat()}).json()
    assert manifest[0]["shipments"][0]["tracking_number"] == shipment.tracking_number


def test_webhook_applies_signed_events_idempotently_in_any_order(shipment):
    client = Client()
    events = [
        _event(shipment, "W1", "picked_up", 1),
        _event(shipment, "W2", "at_origin_hub", 2),
        _event(shipment, "W3", "export_cleared", 3),
    ]
    response = signed_post(client, [events[2], events[0]])
    assert response.status_code == 200, response.content
    assert [r["outcome"] for r in response.json()["results"]] == ["pending", "applied"]
    response = signed_post(client, [events[1], events[1], events[0]])
    assert [r["outcome"] for r in response.json()["results"]] == [
        "applied",
        "duplicate",
        "duplicate",
    ]
    assert _state(shipment) == ("export_cleared", 3, 3)


def test_unsigned_tampered_or_stale_webhooks_change_nothing(shipment):
    client = Client()
    before = _state(shipment)
    body = '{"events": []}'
    response = client.post(
        "/api/v1/carriers/simulated/webhook", body, content_type="application/json"
    )
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    wrong = signed_post(client, [_event(shipment, "S1", "picked_up", 1)], secret="not-the-secret")
    assert wrong.status_code == 401
    stale = signed_post(
        client, [_event(shipment, "S2", "picked_up", 1)], timestamp=int(time.time()) - 3600
    )
    assert stale.status_code == 400 and stale.json()["code"] == "stale_webhook"
    assert _state(shipment) == before
    assert signed_post(client, [], carrier="nobody", secret="x").status_code == 404
    invalid = signed_post(client, [{"event_id": "x"}])
    assert invalid.status_code == 422 and _state(shipment) == before


def test_public_tracking_shows_milestones_without_personal_data(shipment, merchant_owner, api):
    api(merchant_owner).post("/merchant/handovers", {"tracking_number": shipment.tracking_number})
    response = Client().get(f"/api/v1/track/{shipment.tracking_number}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "picked_up" and [e["code"] for e in body["events"]] == ["picked_up"]
    text = response.content.decode()
    for private in ("Jane", "Acme", "Amphitheatre", shipment.order_number):
        assert private not in text
    assert Client().get("/api/v1/track/LT000000000CN").status_code == 404


def test_operator_actions_need_an_operator(api, shipment, merchant_owner, operator_admin):
    response = api(merchant_owner).post(f"/ops/shipments/{shipment.pk}/lost", {})
    assert response.status_code == 403
    response = api(operator_admin).post(f"/ops/shipments/{shipment.pk}/lost", {})
    assert response.status_code == 409  # not yet in the network
    assert api(operator_admin).post("/ops/shipments/999999/lost", {}).status_code == 404


def test_list_queries_do_not_grow_with_rows(
    api, buyer_owner, merchant_owner, django_assert_max_num_queries
):
    shipped_order(buyer_owner, merchant_owner)
    client = api(merchant_owner)
    client.get("/shipments")  # warm caches (token, content types)
    with django_assert_max_num_queries(12) as small:
        assert client.get("/shipments").json()["count"] == 1
    for n in range(4):
        buyer = make_actor("buyer", "owner", email=f"b{n}@many.test")
        shipped_order(buyer, merchant_owner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/shipments").json()["count"] == 5
    assert Shipment.objects.count() == 5


def test_sla_and_handover_rate_api(api, shipment, merchant_owner, operator_admin):
    api(merchant_owner).post("/merchant/handovers", {"tracking_number": shipment.tracking_number})
    rate = api(merchant_owner).get("/merchant/handover-rate").json()
    assert rate == {"key": "handover", "on_time": 1, "total": 1, "percent": "100.0"}
    body = api(operator_admin).get("/ops/fulfilment/sla").json()
    assert body["handover_lane"] == [{"key": "CN→US", "on_time": 1, "total": 1, "percent": "100.0"}]
    assert body["delivery_lane"] == [] and body["late_delivery_credit_percent"] == "50"
    response = api(operator_admin).post("/ops/fulfilment/credit-rule", {"share_percent": "101"})
    assert response.status_code == 422 and response.json()["field"] == "share_percent"
    response = api(operator_admin).post("/ops/fulfilment/credit-rule", {"share_percent": "20"})
    assert response.json()["late_delivery_credit_percent"] == "20"
    assert api(merchant_owner).get("/ops/fulfilment/sla").status_code == 403
