"""The merchant's "what my buyer pays" page for one of its own SKUs."""

from decimal import Decimal

import pytest

from tradelane.catalog.testing import admit, listed, make_product, price, sku_fields
from tradelane.logistics import quoting, sku_quotes
from tradelane.merchants import selectors as merchants

URL = "/merchant/landed-cost/"


@pytest.fixture
def sku(fx, merchant_owner):
    admit(merchant_owner, ["DE", "US"])
    return listed(merchant_owner, code="VOLT-DE", markets=("DE",), unit_price="10.00")


def pick(client, sku_id, **params):
    return client.get(URL, {"sku": sku_id, "market": "DE", **params})


def test_picking_a_sku_prefills_its_trade_data_and_price_and_quotes_three_tiers(
    sku, page_client, merchant_owner
):
    response = pick(page_client(merchant_owner), sku.pk, quantity=120, postal_code="80331")
    assert response.status_code == 200, response.content
    picked, quote = response.context["picked"], response.context["quote"]
    assert (picked.quantity, picked.unit_value.amount, picked.unit_value.currency) == (
        120,
        Decimal("10.00"),
        "EUR",
    )
    initial = response.context["lines"].forms[0].initial
    assert (initial["hs_code"], initial["units_per_carton"], initial["unit_value"]) == (
        "85044095",  # as the catalog stores "8504.40.95"
        50,
        Decimal("10.00"),
    )
    # the same figures as the explicit calculator for the same goods from the same warehouse
    warehouse = merchants.list_pickup_warehouses(merchant_owner.organisation_id).first()
    expected = quoting.quote_landed_cost(
        market="DE",
        postal_code="80331",
        lines=[sku_quotes.goods_line(sku, picked.unit_value, 120)],
        warehouse=sku_quotes.engine_warehouse(warehouse),
    )
    assert [t.total for t in quote.tiers if t.available] == [
        t.total for t in expected.tiers if t.available
    ]
    assert quote.tiers[1].subtotal("goods").amount == Decimal("1200.00")
    page = response.content.decode()
    assert 'data-testid="picked-sku"' in page and "VOLT-DE" in page
    assert page.count('class="card tier"') == 3


def test_quantity_defaults_to_the_minimum_order_and_a_price_break_applies(
    fx, page_client, merchant_owner
):
    admit(merchant_owner, ["DE"])
    item = make_product(merchant_owner, skus=[sku_fields("BRK-1")]).skus.get()
    price(
        merchant_owner,
        item,
        "DE",
        "EUR",
        "10.00",
        moq=10,
        breaks=[{"min_quantity": 100, "unit_price": "8.00"}],
    )
    client = page_client(merchant_owner)
    default = pick(client, item.pk)
    assert default.context["picked"].quantity == 10
    assert default.context["quote"].tiers[1].subtotal("goods").amount == Decimal("100.00")
    broken = pick(client, item.pk, quantity=100)
    assert broken.context["picked"].unit_value.amount == Decimal("8.00")
    assert "price break from 100" in broken.content.decode()


def test_tier_display_shows_only_the_chosen_tier(sku, page_client, merchant_owner):
    page = pick(page_client(merchant_owner), sku.pk, quantity=50, tier="premium").content.decode()
    assert 'data-tier="premium"' in page
    assert 'data-tier="standard"' not in page and 'data-tier="economy"' not in page


def test_another_merchants_sku_is_not_found(sku, page_client, other_merchant):
    response = pick(page_client(other_merchant), sku.pk)
    assert response.status_code == 404
    assert "VOLT-DE" not in response.content.decode()


def test_a_sku_without_a_price_in_the_market_says_so_on_the_field(sku, page_client, merchant_owner):
    response = page_client(merchant_owner).get(URL, {"sku": sku.pk, "market": "US"})
    assert response.status_code == 422
    assert response.context["quote"] is None
    assert response.context["pick"].errors["market"] == [
        "VOLT-DE has no price in force in US: set one in the catalog first."
    ]


def test_a_quantity_below_the_minimum_is_refused_on_the_field(fx, page_client, merchant_owner):
    admit(merchant_owner, ["DE"])
    item = make_product(merchant_owner, skus=[sku_fields("MOQ-9")]).skus.get()
    price(merchant_owner, item, "DE", "EUR", "10.00", moq=10)
    response = pick(page_client(merchant_owner), item.pk, quantity=5)
    assert response.status_code == 422
    assert response.context["pick"].errors["quantity"] == ["The minimum order is 10."]


def test_the_picker_lists_only_the_merchants_own_skus(
    sku, page_client, merchant_owner, other_merchant
):
    admit(other_merchant, ["DE"])
    listed(other_merchant, code="YIWU-1", markets=("DE",), unit_price="3.00")
    page = page_client(merchant_owner).get(URL).content.decode()
    assert "VOLT-DE" in page and "YIWU-1" not in page
