"""The carrier's signed webhook for return parcels: scans move the parcel and the return;
redeliveries, stale and unknown numbers change nothing; unsigned or stale deliveries are
refused as a whole."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tradelane.logistics.fulfilment import conf, signing
from tradelane.returns.models import ReturnRequest, ReverseShipment
from tradelane.returns.testing import approved_return, parcel_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/carriers/{carrier}/returns/webhook"


def _parcel(buyer, merchant) -> ReverseShipment:
    return parcel_of(approved_return(buyer, merchant, quantity=1))


def _post(client, events, *, carrier="simulated", timestamp=None, secret=None):
    body = json.dumps({"events": events}).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    secret = secret or conf.carrier_secrets()[carrier]
    return client.post(
        URL.format(carrier=carrier),
        body,
        content_type="application/json",
        HTTP_X_CARRIER_TIMESTAMP=str(timestamp),
        HTTP_X_CARRIER_SIGNATURE=signing.sign(secret, timestamp, body),
    )


def _event(number, code, minutes, event_id=None):
    at = timezone.now() + timedelta(minutes=minutes)
    return {
        "event_id": event_id or f"{number}-{code}",
        "tracking_number": number,
        "code": code,
        "occurred_at": at.isoformat(),
        "location": "Carrier depot",
    }


def test_scans_carry_the_parcel_to_the_return_point(client, buyer_owner, merchant_owner):
    parcel = _parcel(buyer_owner, merchant_owner)
    number = parcel.tracking_number
    response = _post(
        client,
        [
            _event(number, "dropped_off", 1),
            _event(number, "dropped_off", 1),  # redelivered
            _event(number, "arrived", 90),
            _event(number, "in_transit", 30),  # late: behind the parcel now
            _event("LT000000014CN", "arrived", 5),  # valid, but not a return parcel
            _event("RV000000015US", "arrived", 5),  # wrong check digit
        ],
    )
    assert response.status_code == 200, response.json()
    outcomes = [(r["outcome"], r["status"]) for r in response.json()["results"]]
    assert outcomes == [
        ("applied", "dropped_off"),
        ("duplicate", "dropped_off"),
        ("applied", "arrived"),
        ("stale", "arrived"),
        ("unknown_tracking_number", None),
        ("invalid_tracking_number", None),
    ]
    parcel.refresh_from_db()
    assert parcel.status == "arrived"
    assert [h.to_status for h in parcel.history.order_by("id")] == [
        "created",
        "dropped_off",
        "in_transit",  # filled in by the arrival scan
        "arrived",
    ]
    assert ReturnRequest.objects.get(pk=parcel.request_id).status == "received"


def test_unsigned_stale_or_another_carriers_delivery_changes_nothing(
    client, buyer_owner, merchant_owner, settings
):
    parcel = _parcel(buyer_owner, merchant_owner)
    events = [_event(parcel.tracking_number, "dropped_off", 1)]
    forged = _post(client, events, secret="not-the-secret")
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    stale = _post(client, events, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 400 and stale.json()["code"] == "stale_webhook"
    assert (
        client.post(
            URL.format(carrier="nobody"), b"{}", content_type="application/json"
        ).status_code
        == 404
    )
    settings.FULFILMENT_CARRIER_SECRETS = {"simulated": "s1", "other": "s2"}
    other = _post(client, events, carrier="other")
    assert other.json()["results"][0]["outcome"] == "unknown_tracking_number"
    bad = _post(client, [{**events[0], "code": "delivered"}])
    assert bad.status_code == 422 and bad.json()["field"] == "events"
    parcel.refresh_from_db()
    assert parcel.status == "created"
    assert ReturnRequest.objects.get(pk=parcel.request_id).status == "approved"
