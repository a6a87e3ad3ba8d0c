"""Fully-managed listings: supply price by the merchant, retail price by the platform,
and both models compared on the same SKU."""

from decimal import Decimal

import pytest

from tradelane.catalog import managed, search
from tradelane.catalog.models import ManagedOffer, ManagedPriceChange, Price
from tradelane.catalog.services import managed as services
from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields, stock
from tradelane.core.errors import InvalidInput, NotFound
from tradelane.merchants.models import MerchantProfile
from tradelane.merchants.testing import make_warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def fully_managed(other_merchant):
    MerchantProfile.objects.create(
        organisation=other_merchant.organisation, operating_model="fully_managed"
    )
    return other_merchant


def _codes(page):
    return [sku.code for sku in page.object_list]


def test_semi_managed_merchant_compares_its_price_with_a_supply_and_retail_price(
    merchant_owner, operator_admin
):
    admit(merchant_owner, ["US"])
    sku = listed(merchant_owner, code="SEMI", unit_price="10.00")
    services.set_supply_price(
        actor=merchant_owner,
        sku_id=sku.pk,
        market_code="US",
        currency="USD",
        supply_price="6.50",
        unit_cost="4.00",
    )
    services.set_retail_price(
        actor=operator_admin, sku_id=sku.pk, market_code="US", currency="USD", retail_price="9.00"
    )
    _, fully, rows = managed.compare_models(actor=merchant_owner, sku_id=sku.pk)
    assert fully is False
    (row,) = rows
    assert (row.own_price, row.supply_price, row.retail_price) == (
        Decimal("10.00"),
        Decimal("6.50"),
        Decimal("9.00"),
    )
    assert (row.semi_margin, row.semi_margin_pct) == (Decimal("6.00"), Decimal("60.0"))
    assert (row.full_margin, row.full_margin_pct) == (Decimal("2.50"), Decimal("38.5"))
    assert (row.platform_margin, row.platform_margin_pct) == (Decimal("2.50"), Decimal("27.8"))
    assert row.merchant_difference == Decimal("3.50")
    # a semi-managed merchant's storefront price stays its own
    assert search.search_products(market="US").object_list[0].price_amount == Decimal("10.00")
    assert Price.objects.filter(sku=sku).count() == 1


def test_fully_managed_retail_price_becomes_the_storefront_price(fully_managed, operator_admin):
    admit(fully_managed, ["US"])
    sku = make_product(fully_managed, skus=[sku_fields("FULL")]).skus.get()
    stock(fully_managed, sku, make_warehouse(fully_managed), 20)
    with pytest.raises(InvalidInput) as refused:
        price(fully_managed, sku, "US", "USD", "12.00")
    assert (refused.value.code, refused.value.field) == ("platform_sets_retail_price", "unit_price")
    with pytest.raises(InvalidInput) as no_supply:
        services.set_retail_price(
            actor=operator_admin, sku_id=sku.pk, market_code="US", currency="USD", retail_price="9"
        )
    assert no_supply.value.code == "no_supply_price"
    services.set_supply_price(
        actor=fully_managed, sku_id=sku.pk, market_code="US", currency="USD", supply_price="5.00"
    )
    assert _codes(search.search_products(market="US")) == []  # no retail price yet
    offer = services.set_retail_price(
        actor=operator_admin, sku_id=sku.pk, market_code="US", currency="USD", retail_price="8.40"
    )
    assert (offer.retail_price, offer.version) == (Decimal("8.40"), 2)
    stored = Price.objects.get(sku=sku)
    assert (stored.unit_price, stored.source, stored.created_by) == (
        Decimal("8.40"),
        "platform",
        operator_admin.user,
    )
    page = search.search_products(market="US")
    assert _codes(page) == ["FULL"] and page.object_list[0].price_amount == Decimal("8.40")
    _, fully, rows = managed.compare_models(actor=fully_managed, sku_id=sku.pk)
    assert fully is True and rows[0].own_price is None
    assert rows[0].platform_margin == Decimal("3.40")
    kinds = list(ManagedPriceChange.objects.order_by("id").values_list("kind", "amount"))
    assert kinds == [("supply", Decimal("5.00")), ("retail", Decimal("8.40"))]


def test_managed_prices_refuse_bad_input_and_change_nothing(merchant_owner, operator_admin):
    sku = listed(merchant_owner, code="BAD")
    cases = [
        ({"supply_price": "0"}, "supply_price"),
        ({"supply_price": "-1"}, "supply_price"),
        ({"currency": "EUR"}, "currency"),
        ({"supply_price": "1.005"}, "supply_price"),
        ({"unit_cost": "0"}, "unit_cost"),
    ]
    for override, field in cases:
        args = {"market_code": "US", "currency": "USD", "supply_price": "5.00", **override}
        with pytest.raises(InvalidInput) as refused:
            services.set_supply_price(actor=merchant_owner, sku_id=sku.pk, **args)
        assert refused.value.field == field
    assert not ManagedOffer.objects.exists()


def test_another_merchants_sku_and_non_operators_get_404(
    merchant_owner, other_merchant, operator_admin
):
    sku = listed(merchant_owner, code="MINE")
    with pytest.raises(NotFound):
        services.set_supply_price(
            actor=other_merchant, sku_id=sku.pk, market_code="US", currency="USD", supply_price="1"
        )
    with pytest.raises(NotFound):
        managed.compare_models(actor=other_merchant, sku_id=sku.pk)
    with pytest.raises(NotFound):
        services.set_retail_price(
            actor=merchant_owner, sku_id=sku.pk, market_code="US", currency="USD", retail_price="2"
        )


def test_api_supply_comparison_and_retail(api, merchant_owner, operator_admin, other_merchant):
    sku = listed(merchant_owner, code="API", unit_price="10.00")
    merchant, ops = api(merchant_owner), api(operator_admin)
    response = merchant.post(
        f"/merchant/skus/{sku.pk}/supply-price",
        {"market": "US", "currency": "USD", "supply_price": "7.00", "unit_cost": "5.00"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["supply_price"] == {"amount": "7.00", "currency": "USD"}
    bad = merchant.post(
        f"/merchant/skus/{sku.pk}/supply-price",
        {"market": "US", "currency": "USD", "supply_price": "0"},
    )
    assert (bad.status_code, bad.json()["field"]) == (422, "supply_price")
    assert api(other_merchant).get(f"/merchant/skus/{sku.pk}/model-comparison").status_code == 404
    assert merchant.post(
        f"/ops/catalog/skus/{sku.pk}/retail-price",
        {"market": "US", "currency": "USD", "retail_price": "9.00"},
    ).status_code in (403, 404)
    listed_offers = ops.get("/ops/catalog/managed-offers", {"pending": "true"}).json()
    assert [o["sku_code"] for o in listed_offers["items"]] == ["API"]
    retail = ops.post(
        f"/ops/catalog/skus/{sku.pk}/retail-price",
        {"market": "US", "currency": "USD", "retail_price": "9.00"},
    )
    assert retail.status_code == 200, retail.json()
    body = merchant.get(f"/merchant/skus/{sku.pk}/model-comparison").json()
    assert body["operating_model"] == "semi_managed"
    (row,) = body["markets"]
    assert row["own_price"]["amount"] == "10.00"
    assert row["semi_margin"]["amount"] == "5.00"
    assert row["full_margin"]["amount"] == "2.00"
    assert row["platform_margin"]["amount"] == "2.00"
    assert row["platform_margin_pct"] == "22.2"


def test_comparison_and_operator_pages(page_client, merchant_owner, operator_admin):
    sku = listed(merchant_owner, code="PAGE", unit_price="10.00")
    merchant = page_client(merchant_owner)
    response = merchant.post(
        f"/merchant/skus/{sku.pk}/models/",
        {"market": "US", "supply_price": "6.00", "unit_cost": "4.00"},
    )
    assert response.status_code == 302
    html = merchant.get(f"/merchant/skus/{sku.pk}/models/").content.decode()
    assert 'data-market="US"' in html and "$6.00" in html and "$2.00 (33.3 %)" in html
    refused = merchant.post(
        f"/merchant/skus/{sku.pk}/models/", {"market": "US", "supply_price": "0"}
    )
    assert refused.status_code == 422
    ops = page_client(operator_admin)
    listing = ops.get("/ops/catalog/managed-offers/").content.decode()
    offer = ManagedOffer.objects.get()
    assert f'data-offer="{offer.pk}"' in listing
    saved = ops.post(f"/ops/catalog/managed-offers/{offer.pk}/retail/", {"retail_price": "9.50"})
    assert saved.status_code == 302
    offer.refresh_from_db()
    assert offer.retail_price == Decimal("9.50")
    assert "$3.50" in ops.get("/ops/catalog/managed-offers/").content.decode()
    assert page_client(merchant_owner).get("/ops/catalog/managed-offers/").status_code in (403, 404)


def test_operator_offer_list_has_constant_queries(
    page_client, merchant_owner, operator_admin, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = listed(merchant_owner, code="Q-0")
    services.set_supply_price(
        actor=merchant_owner, sku_id=first.pk, market_code="US", currency="USD", supply_price="1"
    )
    ops = page_client(operator_admin)
    ops.get("/ops/catalog/managed-offers/")
    with CaptureQueriesContext(connection) as baseline:
        ops.get("/ops/catalog/managed-offers/")
    for i in range(1, 6):
        sku = listed(merchant_owner, code=f"Q-{i}")
        services.set_supply_price(
            actor=merchant_owner, sku_id=sku.pk, market_code="US", currency="USD", supply_price="1"
        )
    with django_assert_max_num_queries(len(baseline)):
        html = ops.get("/ops/catalog/managed-offers/").content.decode()
    assert html.count("data-offer=") == 6
