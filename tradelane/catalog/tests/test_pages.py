"""Merchant pages (products, SKUs, price grid, stock, checklist) and storefront pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.catalog.models import Price, Product, Sku, StockLevel
from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db

SKU_FORM = {
    "code": "VOLT-65W-EU",
    "attributes": "plug=EU\ncolour=white",
    "hs_code": "8504.40",
    "origin_country": "cn",
    "net_weight_kg": "0.18",
    "gross_weight_kg": "0.24",
    "length_cm": "12",
    "width_cm": "8",
    "height_cm": "5",
    "units_per_carton": "50",
    "certifications": ["CE", "UKCA"],
    "readiness": "ready",
}


def test_merchant_creates_a_product_and_a_sku_on_the_pages(page_client, merchant_owner):
    client = page_client(merchant_owner)
    response = client.post("/merchant/products/new/", {"title": "65W GaN charger"})
    assert response.status_code == 302
    product = Product.objects.get()
    response = client.post(f"/merchant/products/{product.pk}/skus/", SKU_FORM)
    assert response.status_code == 302
    sku = Sku.objects.get()
    assert (sku.hs_code, sku.origin_country, sku.attributes) == (
        "850440",
        "CN",
        {"plug": "EU", "colour": "white"},
    )
    assert sku.certifications == ["CE", "UKCA"] and sku.trade_data_complete
    html = client.get(f"/merchant/products/{product.pk}/").content.decode()
    assert "VOLT-65W-EU" in html


def test_bad_hs_code_on_the_page_shows_the_field_error(page_client, merchant_owner):
    product = make_product(merchant_owner, skus=[])
    response = page_client(merchant_owner).post(
        f"/merchant/products/{product.pk}/skus/", {**SKU_FORM, "hs_code": "12-34"}
    )
    assert response.status_code == 422
    assert 'id="id_hs_code-error"' in response.content.decode()
    assert Sku.objects.count() == 0


def test_merchant_prices_a_sku_on_the_page_with_breaks(page_client, merchant_owner):
    sku = make_product(merchant_owner).skus.get()
    client = page_client(merchant_owner)
    response = client.post(
        f"/merchant/prices/{sku.pk}/GB/",
        {"unit_price": "7.20", "moq": "10", "increment": "5", "breaks": "100=6.90\n500=6.10"},
    )
    assert response.status_code == 302, response.content.decode()
    current = Price.objects.get()
    assert (current.currency, str(current.unit_price), current.breaks) == (
        "GBP",
        "7.2000",
        [{"min_quantity": 100, "unit_price": "6.90"}, {"min_quantity": 500, "unit_price": "6.10"}],
    )
    html = client.get("/merchant/prices/").content.decode()
    assert "£7.20" in html


def test_non_increasing_breaks_on_the_page_are_refused(page_client, merchant_owner):
    sku = make_product(merchant_owner).skus.get()
    response = page_client(merchant_owner).post(
        f"/merchant/prices/{sku.pk}/US/",
        {"unit_price": "7", "moq": "1", "increment": "1", "breaks": "100=6\n50=5"},
    )
    assert response.status_code == 422
    assert "strictly increasing" in response.content.decode()
    assert Price.objects.count() == 0


def test_stock_page_sets_stock_with_its_version_and_refuses_a_stale_one(
    page_client, merchant_owner
):
    sku = make_product(merchant_owner).skus.get()
    warehouse = make_warehouse(merchant_owner)
    client = page_client(merchant_owner)
    url = f"/merchant/stock/{sku.pk}/{warehouse.pk}/"
    assert client.post(url, {"on_hand": "40", "version": "0"}).status_code == 302
    assert StockLevel.objects.get().on_hand == 40
    response = client.post(url, {"on_hand": "10", "version": "0"}, follow=True)
    assert "Stock changed meanwhile" in response.content.decode()
    assert (StockLevel.objects.get().on_hand, StockLevel.objects.get().version) == (40, 1)
    htmx = client.post(url, {"on_hand": "41", "version": "1"}, HTTP_HX_REQUEST="true")
    assert 'value="41"' in htmx.content.decode()


def test_visibility_page_shows_reasons(page_client, merchant_owner):
    admit(merchant_owner, ["US"])
    make_product(merchant_owner, skus=[{"code": "BARE"}])
    html = page_client(merchant_owner).get("/merchant/visibility/").content.decode()
    assert "no price" in html and "trade data missing" in html


def test_buyer_searches_the_storefront_and_opens_the_product_page(
    page_client, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, unit_price="12.50")
    price(
        merchant_owner,
        sku,
        "US",
        "USD",
        "12.50",
        moq=10,
        increment=10,
        breaks=[{"min_quantity": 100, "unit_price": "11.00"}],
    )
    client = page_client(buyer_owner)
    assert client.get("/store/catalog/")["Location"] == "/store/US/"
    html = client.get("/store/US/", {"q": "gan"}).content.decode()
    assert "65W GaN charger" in html and "$12.50" in html
    page = client.get(f"/store/US/products/{sku.pk}/").content.decode()
    assert "$11.00" in page and "Minimum order 10, in steps of 10." in page
    assert f"/merchants/{merchant_owner.organisation_id}/" in page
    assert client.get(f"/store/DE/products/{sku.pk}/").status_code == 404


def test_storefront_page_shows_german_prices_for_a_german_reader(
    page_client, merchant_owner, other_buyer
):
    admit(merchant_owner, ["DE"])
    listed(merchant_owner, markets=("DE",), unit_price="1234.50")
    client = page_client(other_buyer)
    html = client.get("/store/DE/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "1.234,50\xa0€" in html


def test_merchant_lists_do_not_grow(page_client, merchant_owner, django_assert_max_num_queries):
    admit(merchant_owner, ["US", "DE"])
    warehouse = make_warehouse(merchant_owner)
    listed(merchant_owner, code="ONE", markets=("US", "DE"), warehouse=warehouse)
    client = page_client(merchant_owner)
    baselines = {}
    for url in (
        "/merchant/products/",
        "/merchant/prices/",
        "/merchant/stock/",
        "/merchant/visibility/",
    ):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        baselines[url] = len(ctx)
    for i in range(6):
        listed(merchant_owner, code=f"N-{i}", markets=("US", "DE"), warehouse=warehouse)
        make_product(merchant_owner, title=f"Draft {i}", skus=[sku_fields(f"D-{i}")])
    for url, baseline in baselines.items():
        with django_assert_max_num_queries(baseline):
            assert client.get(url).status_code == 200


def test_csv_import_page_lists_row_errors_and_changes_nothing(page_client, merchant_owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_product(merchant_owner, skus=[sku_fields("A-1")])
    client = page_client(merchant_owner)
    text = b"sku,market,currency,unit_price\nA-1,US,USD,0\nA-1,DE,EUR,2.00\n"
    response = client.post("/merchant/import/prices/", {"file": SimpleUploadedFile("p.csv", text)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "1 row has errors; nothing was changed." in html and "not_positive" in html
    assert Price.objects.count() == 0
    ok = client.post(
        "/merchant/import/prices/",
        {"file": SimpleUploadedFile("p.csv", b"sku,market,currency,unit_price\nA-1,US,USD,2\n")},
        HTTP_HX_REQUEST="true",
    )
    assert "Imported 1 rows: 1 changed." in ok.content.decode()
    export = client.get("/merchant/export/prices.csv")
    assert export.content.decode().splitlines()[1] == "A-1,US,USD,2.00,1,1,,"
    assert client.get("/merchant/import/other/").status_code == 404


def test_storefront_shows_the_readers_language_where_present(
    page_client, api, merchant_owner, other_buyer
):
    from tradelane.catalog import services
    from tradelane.catalog.models import Category

    admit(merchant_owner, ["DE"])
    sku = listed(merchant_owner, markets=("DE",))
    services.update_product(
        actor=merchant_owner, product_id=sku.product_id, title_de="65-W-GaN-Ladegerät"
    )
    client = page_client(other_buyer)
    german = client.get("/store/DE/", {"q": "charger"}, HTTP_ACCEPT_LANGUAGE="de")
    assert "65-W-GaN-Ladegerät" in german.content.decode()
    english = client.get("/store/DE/", {"q": "charger"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "65W GaN charger" in english.content.decode()
    parent = Category.objects.create(name="Electronics", slug="electronics")
    Category.objects.create(name="Chargers", slug="chargers", parent=parent)
    assert [
        (c["slug"], c["parent_id"]) for c in api(other_buyer).get("/catalog/categories").json()
    ] == [
        ("chargers", parent.pk),
        ("electronics", None),
    ]


def test_stock_page_refuses_another_merchants_sku_or_warehouse(
    page_client, merchant_owner, other_merchant
):
    mine = make_product(merchant_owner).skus.get()
    theirs = make_product(other_merchant, skus=[sku_fields("THEIRS")]).skus.get()
    my_warehouse = make_warehouse(merchant_owner)
    their_warehouse = make_warehouse(other_merchant, name="Yiwu")
    client = page_client(merchant_owner)
    for sku_id, warehouse_id in ((theirs.pk, my_warehouse.pk), (mine.pk, their_warehouse.pk)):
        response = client.post(
            f"/merchant/stock/{sku_id}/{warehouse_id}/", {"on_hand": "5", "version": "0"}
        )
        assert response.status_code == 404
    assert StockLevel.objects.count() == 0
    assert client.get(f"/merchant/prices/{theirs.pk}/US/").status_code == 404
