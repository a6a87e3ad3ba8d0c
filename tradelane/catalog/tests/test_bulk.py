"""Bulk prices and stock: CSV and JSON, validated row by row, all-or-nothing; safe export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tradelane.catalog.bulk import neutralise
from tradelane.catalog.models import Price, StockLevel, StockMovement
from tradelane.catalog.testing import make_product, price, sku_fields
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def skus(merchant_owner):
    product = make_product(
        merchant_owner, skus=[sku_fields("A-1"), sku_fields("B-2"), sku_fields("=cmd")]
    )
    return {s.code: s for s in product.skus.all()}


def upload(api_client, path, text):
    return api_client.client.post(
        f"/api/v1{path}",
        {"file": SimpleUploadedFile("rows.csv", text.encode(), content_type="text/csv")},
        **api_client._headers(None),
    )


def test_price_csv_import_applies_every_row(api, merchant_owner, skus):
    text = (
        "sku,market,currency,unit_price,moq,increment,breaks\n"
        "A-1,US,USD,9.50,10,5,100=8.90;500=7.75\n"
        "B-2,de,EUR,4.00,,,\n"
    )
    response = upload(api(merchant_owner), "/merchant/prices/import", text)
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 2, "changed": 2}
    a = Price.objects.get(sku=skus["A-1"])
    assert (str(a.unit_price), a.moq, a.increment, len(a.breaks)) == ("9.5000", 10, 5, 2)
    assert Price.objects.get(sku=skus["B-2"]).market_id == "DE"


def test_price_csv_with_bad_rows_reports_each_and_changes_nothing(api, merchant_owner, skus):
    text = (
        "sku,market,currency,unit_price,moq,increment,breaks\n"
        "A-1,US,USD,9.50,10,5,\n"
        "B-2,DE,USD,4.00,1,1,\n"
        "NOPE,US,USD,1.00,1,1,\n"
        "A-1,GB,GBP,0,1,1,\n"
        "A-1,FR,EUR,3.00,7,5,\n"
        "A-1,CA,CAD,3.00,1,1,100=2;50=1\n"
    )
    response = upload(api(merchant_owner), "/merchant/prices/import", text)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_rows"
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (3, "currency", "wrong_currency"),
        (4, "sku", "unknown_sku"),
        (5, "unit_price", "not_positive"),
        (6, "moq", "moq_not_multiple_of_increment"),
        (7, "breaks[1].min_quantity", "breaks_not_increasing"),
    ]
    assert Price.objects.count() == 0


def test_price_bulk_api_refuses_another_merchants_sku(api, other_merchant, skus):
    response = api(other_merchant).post(
        "/merchant/prices/bulk",
        {"rows": [{"sku": "A-1", "market": "US", "currency": "USD", "unit_price": "1"}]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_sku"
    assert Price.objects.count() == 0


def test_csv_without_required_columns_or_not_utf8_is_refused(api, merchant_owner, skus):
    client = api(merchant_owner)
    response = upload(client, "/merchant/prices/import", "sku,price\nA-1,3\n")
    assert (response.status_code, response.json()["code"]) == (422, "missing_columns")
    response = client.client.post(
        "/api/v1/merchant/prices/import",
        {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad", content_type="text/csv")},
        **client._headers(None),
    )
    assert (response.status_code, response.json()["code"]) == (422, "not_utf8")


def test_stock_csv_import_sets_levels_with_history_and_is_all_or_nothing(api, merchant_owner, skus):
    warehouse = make_warehouse(merchant_owner, name="Nanshan")
    client = api(merchant_owner)
    ok = upload(client, "/merchant/stock/import", "sku,warehouse,on_hand\nA-1,nanshan,40\n")
    assert ok.json() == {"rows": 1, "changed": 1}
    level = StockLevel.objects.get()
    assert (level.on_hand, level.version) == (40, 1)
    bad = upload(
        client,
        "/merchant/stock/import",
        "sku,warehouse,on_hand,version\nA-1,Nanshan,10,0\nB-2,Nanshan,-3,\nB-2,Elsewhere,3,\n",
    )
    assert bad.status_code == 422
    assert [(e["row"], e["code"]) for e in bad.json()["errors"]] == [
        (3, "negative_stock"),
        (4, "unknown_warehouse"),
    ]
    stale = upload(
        client,
        "/merchant/stock/import",
        "sku,warehouse,on_hand,version\nA-1,Nanshan,10,0\nB-2,Nanshan,5,\n",
    )
    assert [(e["row"], e["code"]) for e in stale.json()["errors"]] == [(2, "precondition_failed")]
    assert list(StockLevel.objects.values_list("sku_id", "on_hand", "version")) == [
        (skus["A-1"].pk, 40, 1)
    ]
    assert StockMovement.objects.count() == 1
    assert warehouse.pk


def test_export_neutralises_formula_like_cells(api, merchant_owner, skus):
    price(merchant_owner, skus["=cmd"], "US", "USD", "2.50")
    price(
        merchant_owner,
        skus["A-1"],
        "US",
        "USD",
        "3.00",
        breaks=[{"min_quantity": 10, "unit_price": "2.90"}],
    )
    response = api(merchant_owner).get("/merchant/prices/export")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "sku",
        "market",
        "currency",
        "unit_price",
        "moq",
        "increment",
        "breaks",
        "effective_from",
    ]
    assert rows[1:] == [
        ["'=cmd", "US", "USD", "2.50", "1", "1", "", ""],
        ["A-1", "US", "USD", "3.00", "1", "1", "10=2.90", ""],
    ]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        (12, "12"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
