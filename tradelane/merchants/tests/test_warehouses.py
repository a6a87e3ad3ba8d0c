"""Merchants' own warehouses: validated addresses, phones, hours; private to the merchant."""

import pytest

from tradelane.merchants.models import Warehouse
from tradelane.merchants.testing import warehouse_json

pytestmark = pytest.mark.django_db


def test_register_a_warehouse_keeps_the_lines_and_normalises(api, merchant_owner):
    response = api(merchant_owner).post("/merchant/warehouses", warehouse_json())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["street_address"] == "18 Keji South Road"
    assert body["city"] == "Shenzhen Shi"
    assert body["normalized_address"] == {
        "country_code": "CN",
        "country_area": "广东省",
        "city": "深圳市",
        "city_area": "南山区",
        "street_address": "18 Keji South Road",
        "postal_code": "518057",
    }
    assert body["contact_phone"] == "+8675586001234"
    assert (body["opens_at"], body["pickup_cutoff"], body["time_zone"]) == (
        "09:00",
        "16:00",
        "Asia/Shanghai",
    )


def test_an_invalid_address_names_the_field(api, merchant_owner):
    response = api(merchant_owner).post(
        "/merchant/warehouses", warehouse_json(city="Atlantis", postal_code="12")
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_address", "city")
    assert body["message"] == "City: Not valid for CN."
    assert Warehouse.objects.count() == 0


@pytest.mark.parametrize(
    "override, field, code",
    [
        ({"contact_phone": "12345"}, "contact_phone", "invalid_phone"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "invalid_time_zone"),
        ({"opens_at": "18:00", "closes_at": "09:00"}, "closes_at", "invalid_hours"),
        ({"pickup_cutoff": "20:00"}, "pickup_cutoff", "invalid_hours"),
        ({"country": "XX"}, "country", "unknown_country"),
    ],
)
def test_bad_warehouse_fields_are_refused(api, merchant_owner, override, field, code):
    response = api(merchant_owner).post("/merchant/warehouses", warehouse_json(**override))
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert Warehouse.objects.count() == 0


def test_a_us_address_is_checked_against_its_state(api, merchant_owner):
    data = warehouse_json(
        name="LA returns",
        country="US",
        country_area="NY",
        city="Los Angeles",
        city_area="",
        street_address="1 Main St",
        postal_code="90012",
        contact_phone="+1 213 555 0100",
        time_zone="America/Los_Angeles",
    )
    response = api(merchant_owner).post("/merchant/warehouses", data)
    assert (response.status_code, response.json()["field"]) == (422, "postal_code")


def test_edit_and_deactivate(api, merchant_owner):
    client = api(merchant_owner)
    warehouse_id = client.post("/merchant/warehouses", warehouse_json()).json()["id"]
    response = client.patch(
        f"/merchant/warehouses/{warehouse_id}", {"is_active": False, "daily_parcel_capacity": 50}
    )
    assert response.status_code == 200
    assert (response.json()["is_active"], response.json()["daily_parcel_capacity"]) == (False, 50)
    assert client.get("/merchant/warehouses", {"active": True}).json()["count"] == 0


def test_another_merchants_warehouse_is_not_found(api, merchant_owner, other_merchant):
    warehouse_id = api(merchant_owner).post("/merchant/warehouses", warehouse_json()).json()["id"]
    intruder = api(other_merchant)
    assert intruder.get(f"/merchant/warehouses/{warehouse_id}").status_code == 404
    assert (
        intruder.patch(f"/merchant/warehouses/{warehouse_id}", {"name": "Mine"}).status_code == 404
    )
    assert intruder.get("/merchant/warehouses").json()["count"] == 0
    assert Warehouse.objects.get(pk=warehouse_id).name == "Shenzhen Nanshan"


def test_same_name_twice_is_a_conflict(api, merchant_owner):
    client = api(merchant_owner)
    client.post("/merchant/warehouses", warehouse_json())
    response = client.post("/merchant/warehouses", warehouse_json())
    assert (response.status_code, response.json()["code"]) == (409, "name_taken")
    assert Warehouse.objects.count() == 1


def test_buyers_cannot_register_warehouses(api, buyer_owner):
    assert api(buyer_owner).post("/merchant/warehouses", warehouse_json()).status_code == 403
