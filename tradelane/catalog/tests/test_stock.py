"""Stock per warehouse: never negative, If-Match versioned sets, history with reasons."""

import json

import pytest

from tradelane.catalog.models import StockLevel, StockMovement
from tradelane.catalog.testing import make_product
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(merchant_owner):
    return make_product(merchant_owner).skus.get()


@pytest.fixture
def warehouse(merchant_owner):
    return make_warehouse(merchant_owner)


def put(client, path, body, headers=None):
    return client.client.put(
        client._url(path),
        json.dumps(body),
        content_type="application/json",
        **client._headers(headers),
    )


def _state():
    return (
        list(StockLevel.objects.values_list("on_hand", "reserved", "version")),
        StockMovement.objects.count(),
    )


def test_absolute_set_with_if_match_then_stale_version_is_412_and_changes_nothing(
    api, merchant_owner, sku, warehouse
):
    client = api(merchant_owner)
    url = f"/merchant/skus/{sku.pk}/stock/{warehouse.pk}"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] == '"0"'
    assert first.json()["on_hand"] == 0
    response = put(client, url, {"on_hand": 120}, {"If-Match": '"0"'})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "sku_id": sku.pk,
        "warehouse_id": warehouse.pk,
        "on_hand": 120,
        "reserved": 0,
        "available": 120,
        "version": 1,
    }
    assert response["ETag"] == '"1"'
    before = _state()
    stale = put(client, url, {"on_hand": 5}, {"If-Match": '"0"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert _state() == before


def test_absolute_set_without_if_match_is_428(api, merchant_owner, sku, warehouse):
    response = put(
        api(merchant_owner), f"/merchant/skus/{sku.pk}/stock/{warehouse.pk}", {"on_hand": 3}
    )
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"
    assert _state() == ([], 0)


def test_negative_stock_is_refused(api, merchant_owner, sku, warehouse):
    client = api(merchant_owner)
    url = f"/merchant/skus/{sku.pk}/stock/{warehouse.pk}"
    response = put(client, url, {"on_hand": -1}, {"If-Match": "0"})
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["code"]) == ("on_hand", "negative_stock")
    assert _state() == ([], 0)
    client.post(f"{url}/adjust", {"delta": 10, "reason": "received"})
    before = _state()
    response = client.post(f"{url}/adjust", {"delta": -11})
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert _state() == before


def test_on_hand_cannot_go_below_reserved(api, merchant_owner, sku, warehouse):
    client = api(merchant_owner)
    url = f"/merchant/skus/{sku.pk}/stock/{warehouse.pk}"
    client.post(f"{url}/adjust", {"delta": 10, "reason": "received"})
    StockLevel.objects.update(reserved=6)
    before = _state()
    assert client.post(f"{url}/adjust", {"delta": -5}).status_code == 409
    response = put(client, url, {"on_hand": 5}, {"If-Match": "1"})
    assert (response.status_code, response.json()["code"]) == (422, "below_reserved")
    assert _state() == before
    assert client.post(f"{url}/adjust", {"delta": -4}).json()["available"] == 0


def test_every_change_writes_a_movement_with_its_reason(api, merchant_owner, sku, warehouse):
    client = api(merchant_owner)
    url = f"/merchant/skus/{sku.pk}/stock/{warehouse.pk}"
    client.post(f"{url}/adjust", {"delta": 50, "reason": "received", "note": "PO 7"})
    put(client, url, {"on_hand": 45, "note": "cycle count"}, {"If-Match": "1"})
    client.post(f"{url}/adjust", {"delta": -3, "reason": "damage"})
    history = client.get(f"/merchant/skus/{sku.pk}/stock-movements").json()
    assert [(h["delta"], h["on_hand_after"], h["reason"], h["version_after"]) for h in history] == [
        (-3, 42, "damage", 3),
        (-5, 45, "sync", 2),
        (50, 50, "received", 1),
    ]


def test_another_merchants_warehouse_or_sku_is_404(
    api, merchant_owner, other_merchant, sku, warehouse
):
    theirs = make_warehouse(other_merchant, name="Yiwu")
    client = api(merchant_owner)
    assert (
        client.post(f"/merchant/skus/{sku.pk}/stock/{theirs.pk}/adjust", {"delta": 1}).status_code
        == 404
    )
    assert (
        put(
            client, f"/merchant/skus/{sku.pk}/stock/{theirs.pk}", {"on_hand": 1}, {"If-Match": "0"}
        ).status_code
        == 404
    )
    intruder = api(other_merchant)
    assert intruder.get(f"/merchant/skus/{sku.pk}/stock/{theirs.pk}").status_code == 404
    assert (
        intruder.post(f"/merchant/skus/{sku.pk}/stock/{theirs.pk}/adjust", {"delta": 1}).status_code
        == 404
    )
    assert _state() == ([], 0)
