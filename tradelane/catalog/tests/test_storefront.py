"""Visibility rules with reasons, and the storefront's search, filters, sort and pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tradelane.catalog import search, selectors, services
from tradelane.catalog.models import Category, Sku
from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields, stock
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db


def _codes(page):
    return [sku.code for sku in page.object_list]


def test_checklist_names_each_missing_condition_until_the_sku_is_visible(merchant_owner):
    product = make_product(merchant_owner, skus=[{"code": "A-1"}])
    sku = product.skus.get()
    markets, checklist = selectors.visibility_checklist(
        actor=merchant_owner, skus=[sku], market_codes=["US"]
    )
    assert checklist[(sku.pk, "US")].reasons == ["merchant_active", "price", "stock", "trade_data"]
    assert checklist[(sku.pk, "US")].missing_trade_fields[:2] == ("hs_code", "origin_country")
    admit(merchant_owner, ["US"])
    price(merchant_owner, sku, "US", "USD", "4.00")
    services.update_sku(actor=merchant_owner, sku_id=sku.pk, **sku_fields("A-1"))
    sku.refresh_from_db()
    _, checklist = selectors.visibility_checklist(actor=merchant_owner, skus=[sku])
    assert checklist[(sku.pk, "US")].reasons == ["stock"]
    assert _codes(search.search_products(market="US")) == []
    stock(merchant_owner, sku, make_warehouse(merchant_owner), 10)
    _, checklist = selectors.visibility_checklist(actor=merchant_owner, skus=[sku])
    assert checklist[(sku.pk, "US")].visible
    assert _codes(search.search_products(market="US")) == ["A-1"]


def test_near_ready_sku_without_stock_is_visible(merchant_owner):
    admit(merchant_owner, ["US"])
    product = make_product(
        merchant_owner, skus=[sku_fields("NR-1", readiness="near_ready", lead_days=7)]
    )
    price(merchant_owner, product.skus.get(), "US", "USD", "3.00")
    assert _codes(search.search_products(market="US")) == ["NR-1"]


def test_storefront_hides_skus_of_inactive_merchants_unpriced_markets_and_future_prices(
    merchant_owner, other_merchant
):
    admit(merchant_owner, ["US"])
    listed(merchant_owner, code="SOLD-US", markets=("US",))
    listed(other_merchant, code="NOT-ADMITTED", markets=("US",))  # merchant not active
    sku = listed(merchant_owner, code="DE-ONLY", markets=("DE",))  # no US price
    price(
        merchant_owner, sku, "US", "USD", "5.00", effective_from=timezone.now() + timedelta(days=2)
    )
    assert _codes(search.search_products(market="US")) == ["SOLD-US"]
    assert _codes(search.search_products(market="DE")) == []


def test_search_matches_title_description_and_attributes(merchant_owner):
    admit(merchant_owner, ["US"])
    listed(merchant_owner, title="65W GaN charger", code="CHG-1")
    listed(merchant_owner, title="Braided USB-C cable", code="CAB-1")
    # both descriptions say "USB-C fast charger": the title match ranks first
    assert _codes(search.search_products(market="US", query="charger")) == ["CHG-1", "CAB-1"]
    assert _codes(search.search_products(market="US", query="braided cable")) == ["CAB-1"]
    assert sorted(_codes(search.search_products(market="US", query="plug eu"))) == [
        "CAB-1",
        "CHG-1",
    ]  # attributes
    assert _codes(search.search_products(market="US", query="toaster")) == []


def test_filters_sort_and_pages(merchant_owner, other_merchant):
    admit(merchant_owner, ["US"])
    admit(other_merchant, ["US"])
    category = Category.objects.create(name="Chargers", slug="chargers")
    for i, amount in enumerate(("5.00", "12.00", "8.00")):
        listed(merchant_owner, code=f"M1-{i}", unit_price=amount)
    other = listed(other_merchant, code="M2-0", unit_price="20.00")
    other.product.category = category
    other.product.save()
    sku = Sku.objects.get(code="M1-2")
    price(merchant_owner, sku, "US", "USD", "8.00", moq=50, increment=10)
    by_price = search.search_products(market="US", sort="price_asc")
    assert _codes(by_price) == ["M1-0", "M1-2", "M1-1", "M2-0"]
    assert _codes(search.search_products(market="US", sort="price_desc"))[0] == "M2-0"
    in_range = search.Filters(min_price=Decimal("6"), max_price=Decimal("15"))
    assert _codes(search.search_products(market="US", filters=in_range, sort="price_asc")) == [
        "M1-2",
        "M1-1",
    ]
    low_moq = search.Filters(max_moq=10)
    assert "M1-2" not in _codes(search.search_products(market="US", filters=low_moq))
    by_merchant = search.Filters(merchant_id=other_merchant.organisation_id)
    assert _codes(search.search_products(market="US", filters=by_merchant)) == ["M2-0"]
    by_category = search.Filters(category_id=category.pk)
    assert _codes(search.search_products(market="US", filters=by_category)) == ["M2-0"]
    first = search.search_products(market="US", sort="price_asc", page_size=3)
    second = search.search_products(market="US", sort="price_asc", page_size=3, page=2)
    assert (first.paginator.count, first.paginator.num_pages) == (4, 2)
    assert _codes(first) + _codes(second) == ["M1-0", "M1-2", "M1-1", "M2-0"]


def test_search_sorted_by_price_counts_pages_and_clamps_past_the_end(merchant_owner, monkeypatch):
    admit(merchant_owner, ["US"])
    warehouse = make_warehouse(merchant_owner)
    for i, amount in enumerate(("5.00", "12.00", "8.00", "3.00")):
        listed(
            merchant_owner, title=f"Lamp {i}", code=f"L-{i}", unit_price=amount, warehouse=warehouse
        )
    listed(merchant_owner, title="Desk fan", code="FAN", unit_price="1.00", warehouse=warehouse)

    def pages(**kwargs):
        return search.search_products(market="US", query="lamp", page_size=3, **kwargs)

    first, second = pages(sort="price_asc"), pages(sort="price_asc", page=2)
    assert (first.paginator.count, first.paginator.num_pages, first.number) == (4, 2, 1)
    assert _codes(first) + _codes(second) == ["L-3", "L-0", "L-2", "L-1"]
    past_the_end = pages(sort="price_desc", page=9)
    assert (past_the_end.number, _codes(past_the_end)) == (2, ["L-3"])
    assert pages(sort="newest").paginator.count == 4
    nothing = search.search_products(market="US", query="zzzz", sort="price_asc", page=3)
    assert (nothing.paginator.count, nothing.number, _codes(nothing)) == (0, 1, [])
    monkeypatch.setattr(search, "COUNT_CAP", 2)  # pages past the cap are not offered
    capped = pages(sort="price_asc", page=2)
    assert (capped.paginator.capped, capped.paginator.num_pages, capped.number) == (True, 1, 1)
    if connection.vendor == "postgresql":
        typo = search.search_products(market="US", query="lamo", sort="price_asc")
        assert (typo.corrected_query, _codes(typo)[:2]) == ("lamp", ["L-3", "L-0"])


def test_ready_filter_excludes_near_ready(merchant_owner):
    admit(merchant_owner, ["US"])
    listed(merchant_owner, code="READY")
    near = make_product(
        merchant_owner, skus=[sku_fields("LATER", readiness="near_ready", lead_days=10)]
    )
    price(merchant_owner, near.skus.get(), "US", "USD", "2.00")
    ready = search.Filters(ready_only=True)
    assert _codes(search.search_products(market="US", filters=ready)) == ["READY"]


def test_storefront_api_returns_prices_in_the_market_currency(api, merchant_owner, buyer_owner):
    admit(merchant_owner, ["US", "DE"])
    sku = listed(merchant_owner, markets=("US", "DE"), unit_price="9.50")
    services.set_price(
        actor=merchant_owner,
        sku_id=sku.pk,
        market_code="DE",
        currency="EUR",
        unit_price="8.75",
        breaks=[{"min_quantity": 100, "unit_price": "7.10"}],
        moq=10,
        increment=5,
    )
    client = api(buyer_owner)
    body = client.get("/store/de/products", {"q": "charger"}).json()
    assert body["currency"] == "EUR" and body["count"] == 1
    assert body["items"][0]["unit_price"] == {"amount": "8.75", "currency": "EUR"}
    detail = client.get(f"/store/DE/products/{sku.pk}").json()
    assert detail["breaks"] == [
        {"min_quantity": 100, "unit_price": {"amount": "7.10", "currency": "EUR"}}
    ]
    assert (detail["moq"], detail["increment"]) == (10, 5)
    assert client.get(f"/store/GB/products/{sku.pk}").status_code == 404
    assert client.get("/store/ZZ/products").status_code == 404
    assert client.get("/store/US/products", {"sort": "cheapest"}).status_code == 422


def test_storefront_list_and_page_issue_a_constant_number_of_queries(
    api, page_client, merchant_owner, buyer_owner, django_assert_max_num_queries
):
    admit(merchant_owner, ["US"])
    warehouse = make_warehouse(merchant_owner)
    listed(merchant_owner, code="FIRST", warehouse=warehouse)
    client, api_client = page_client(buyer_owner), api(buyer_owner)
    client.get("/store/US/")
    with CaptureQueriesContext(connection) as page_ctx:
        client.get("/store/US/", {"q": "charger"})
    with CaptureQueriesContext(connection) as api_ctx:
        api_client.get("/store/US/products", {"q": "charger"})
    for i in range(12):
        listed(merchant_owner, code=f"MORE-{i}", warehouse=warehouse)
    with django_assert_max_num_queries(len(page_ctx)):
        html = client.get("/store/US/", {"q": "charger"}).content.decode()
    assert html.count("data-listing=") == 13
    with django_assert_max_num_queries(len(api_ctx)):
        assert api_client.get("/store/US/products", {"q": "charger"}).json()["count"] == 13


def test_count_stops_at_the_cap_and_pages_beyond_it_are_not_offered(merchant_owner, monkeypatch):
    admit(merchant_owner, ["US"])
    warehouse = make_warehouse(merchant_owner)
    for i in range(5):
        listed(merchant_owner, code=f"C-{i}", warehouse=warehouse)
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    page = search.search_products(market="US", page_size=2, page=9)
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (4, True, 2)
    assert page.number == 2


def test_postgres_search_forgives_a_typo_and_says_what_it_searched(
    api, page_client, merchant_owner, buyer_owner
):
    if connection.vendor != "postgresql":
        pytest.skip("trigram matching runs on PostgreSQL")
    admit(merchant_owner, ["US"])
    listed(merchant_owner, title="Braided charging cable", code="CAB-1")
    page = search.search_products(market="US", query="braided chargng")
    assert (_codes(page), page.corrected_query) == (["CAB-1"], "braided charging")
    body = api(buyer_owner).get("/store/US/products", {"q": "chargng"}).json()
    assert (body["corrected_query"], body["count"]) == ("charging", 1)
    html = page_client(buyer_owner).get("/store/US/", {"q": "chargng"}).content.decode()
    assert "showing results for “charging”" in html and 'data-listing="' in html
    exact = api(buyer_owner).get("/store/US/products", {"q": "charging"}).json()
    assert exact["corrected_query"] is None
    nothing = api(buyer_owner).get("/store/US/products", {"q": "xqzv"}).json()
    assert (nothing["corrected_query"], nothing["count"]) == (None, 0)


def test_postgres_every_market_has_its_own_search_index(merchant_owner):
    """catalog.search_indexes: one partial GIN index on the vector per market, created by
    migration 0007 and after every migrate (a market added later). That the planner picks
    it at scale is measured in bench/ (catalog_search.py), not here: a test table is tiny."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL indexes")
    from tradelane.catalog import search_indexes
    from tradelane.markets.models import Market

    codes = list(Market.objects.order_by("code").values_list("code", flat=True))
    with connection.cursor() as cursor:
        assert len(codes) >= 6 and search_indexes.missing(cursor) == []
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            [search_indexes.index_name("DE")],
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_vector)" in definition
    assert "WHERE (((market_id)::text = 'DE'::text) AND sellable)" in definition
    with connection.cursor() as cursor:  # a market added later: the next migrate adds it
        cursor.execute("DROP INDEX " + search_indexes.index_name("FR"))
        assert search_indexes.missing(cursor) == ["FR"]
    assert search_indexes.ensure(connection) == ["FR"]
    with connection.cursor() as cursor:
        assert search_indexes.missing(cursor) == []
    with pytest.raises(ValueError):
        search_indexes.create_statement("us'; DROP TABLE x; --")
