"""Products and SKUs with trade data: created by API, refused with field errors."""

import pytest

from tradelane.catalog.models import Product, Sku
from tradelane.catalog.testing import make_product, sku_fields

pytestmark = pytest.mark.django_db


def _payload(**sku_overrides):
    return {
        "title": "65W GaN charger",
        "title_de": "65-W-GaN-Ladegerät",
        "description": "USB-C fast charger",
        "skus": [
            sku_fields("VOLT-65W-EU", **sku_overrides),
            sku_fields("VOLT-65W-US", attributes={"plug": "US"}),
        ],
    }


def test_merchant_creates_a_product_with_two_skus_and_normalised_trade_data(api, merchant_owner):
    response = api(merchant_owner).post("/merchant/products", _payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert [s["code"] for s in body["skus"]] == ["VOLT-65W-EU", "VOLT-65W-US"]
    first = body["skus"][0]
    assert first["hs_code"] == "85044095"
    assert first["net_weight_kg"] == "0.180"
    assert first["certifications"] == ["CE", "FCC"]
    assert first["trade_data_complete"] is True
    assert Sku.objects.get(code="VOLT-65W-EU").search_text.startswith("65w gan charger")


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"hs_code": "85A4"}, "skus[0].hs_code", "invalid_hs_code"),
        ({"hs_code": "8504"}, "skus[0].hs_code", "invalid_hs_code"),
        ({"hs_code": "85044095123"}, "skus[0].hs_code", "invalid_hs_code"),
        ({"origin_country": "XX"}, "skus[0].origin_country", "invalid_country"),
        ({"net_weight_kg": "0"}, "skus[0].net_weight_kg", "not_positive"),
        ({"certifications": ["CE", "MADEUP"]}, "skus[0].certifications", "unknown_certification"),
        (
            {"net_weight_kg": "1.000", "gross_weight_kg": "0.500"},
            "skus[0].net_weight_kg",
            "net_exceeds_gross",
        ),
        ({"readiness": "near_ready"}, "skus[0].lead_days", "lead_days_required"),
    ],
)
def test_bad_trade_data_is_refused_with_the_field_and_nothing_is_written(
    api, merchant_owner, overrides, field, code
):
    response = api(merchant_owner).post("/merchant/products", _payload(**overrides))
    assert response.status_code == 422, response.content
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert Product.objects.count() == 0 and Sku.objects.count() == 0


def test_incomplete_trade_data_is_allowed_but_marked(api, merchant_owner):
    product = make_product(merchant_owner, skus=[{"code": "DRAFT-1"}])
    sku = product.skus.get()
    assert sku.trade_data_complete is False
    response = api(merchant_owner).patch(f"/merchant/skus/{sku.pk}", sku_fields("DRAFT-1"))
    assert response.status_code == 200, response.content
    assert response.json()["trade_data_complete"] is True


def test_duplicate_sku_code_is_a_conflict(api, merchant_owner):
    product = make_product(merchant_owner)
    response = api(merchant_owner).post(
        f"/merchant/products/{product.pk}/skus", sku_fields("VOLT-65W-EU")
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_sku"
    assert Sku.objects.count() == 1


def test_another_merchants_products_and_skus_are_404(api, merchant_owner, other_merchant):
    product = make_product(merchant_owner)
    sku = product.skus.get()
    client = api(other_merchant)
    assert client.get(f"/merchant/products/{product.pk}").status_code == 404
    assert client.patch(f"/merchant/products/{product.pk}", {"title": "x"}).status_code == 404
    assert client.get(f"/merchant/skus/{sku.pk}").status_code == 404
    assert client.patch(f"/merchant/skus/{sku.pk}", {"hs_code": "123456"}).status_code == 404
    assert client.get("/merchant/products").json()["count"] == 0
    product.refresh_from_db()
    assert product.title == "65W GaN charger"


def test_buyers_cannot_use_merchant_catalog_endpoints(api, buyer_owner):
    assert api(buyer_owner).get("/merchant/products").status_code == 403


def test_product_edit_rewrites_search_text(api, merchant_owner):
    product = make_product(merchant_owner)
    response = api(merchant_owner).patch(
        f"/merchant/products/{product.pk}", {"title": "Travel adapter", "title_fr": "Adaptateur"}
    )
    assert response.status_code == 200
    assert Sku.objects.get().search_text.startswith("travel adapter")
    assert "adaptateur" in Sku.objects.get().search_text


def test_create_product_is_idempotent(api, merchant_owner):
    client = api(merchant_owner)
    headers = {"Idempotency-Key": "create-1"}
    first = client.post("/merchant/products", _payload(), headers=headers)
    second = client.post("/merchant/products", _payload(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Product.objects.count() == 1
