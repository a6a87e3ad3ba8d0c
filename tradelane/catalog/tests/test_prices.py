"""Per-market prices: breaks, MOQ/increment, currency, schedule and full history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tradelane.catalog import selectors
from tradelane.catalog.models import Price
from tradelane.catalog.testing import make_product, price
from tradelane.core.money import Money

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(merchant_owner):
    return make_product(merchant_owner).skus.get()


def _body(**overrides):
    body = {
        "market": "DE",
        "currency": "EUR",
        "unit_price": "9.50",
        "breaks": [
            {"min_quantity": 100, "unit_price": "8.90"},
            {"min_quantity": 500, "unit_price": "7.75"},
        ],
        "moq": 20,
        "increment": 10,
    }
    body.update(overrides)
    return body


def test_merchant_sets_a_price_with_breaks_in_the_market_currency(api, merchant_owner, sku):
    response = api(merchant_owner).post(f"/merchant/skus/{sku.pk}/prices", _body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_price"] == {"amount": "9.50", "currency": "EUR"}
    assert body["breaks"] == [
        {"min_quantity": 100, "unit_price": {"amount": "8.90", "currency": "EUR"}},
        {"min_quantity": 500, "unit_price": {"amount": "7.75", "currency": "EUR"}},
    ]
    assert (body["moq"], body["increment"]) == (20, 10)
    current = selectors.price_in_force(sku.pk, "DE")
    assert [current.unit_price_for(q) for q in (20, 99, 100, 499, 500, 10_000)] == [
        Money(Decimal("9.50"), "EUR"),
        Money(Decimal("9.50"), "EUR"),
        Money(Decimal("8.90"), "EUR"),
        Money(Decimal("8.90"), "EUR"),
        Money(Decimal("7.75"), "EUR"),
        Money(Decimal("7.75"), "EUR"),
    ]


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"unit_price": "0"}, "unit_price", "not_positive"),
        ({"unit_price": "-1.00"}, "unit_price", "not_positive"),
        ({"currency": "USD"}, "currency", "wrong_currency"),
        ({"unit_price": "9.505"}, "unit_price", "too_many_decimals"),
        (
            {
                "breaks": [
                    {"min_quantity": 100, "unit_price": "8"},
                    {"min_quantity": 100, "unit_price": "7"},
                ]
            },
            "breaks[1].min_quantity",
            "breaks_not_increasing",
        ),
        (
            {"breaks": [{"min_quantity": 10, "unit_price": "8"}]},
            "breaks[0].min_quantity",
            "breaks_not_increasing",
        ),
        (
            {"breaks": [{"min_quantity": 100, "unit_price": "0"}]},
            "breaks[0].unit_price",
            "not_positive",
        ),
        ({"moq": 25, "increment": 10}, "moq", "moq_not_multiple_of_increment"),
        ({"market": "ZZ"}, "market", "unknown_market"),
    ],
)
def test_bad_prices_are_refused_with_the_field_and_nothing_is_written(
    api, merchant_owner, sku, overrides, field, code
):
    response = api(merchant_owner).post(f"/merchant/skus/{sku.pk}/prices", _body(**overrides))
    assert response.status_code == 422, response.content
    assert (response.json()["field"], response.json()["code"]) == (field, code)
    assert Price.objects.count() == 0


def test_a_float_or_malformed_amount_is_refused_by_the_schema(api, merchant_owner, sku):
    response = api(merchant_owner).post(f"/merchant/skus/{sku.pk}/prices", _body(unit_price=9.5))
    assert response.status_code == 422
    assert response.json()["field"] == "unit_price"
    assert Price.objects.count() == 0


def test_another_merchants_sku_cannot_be_priced(api, other_merchant, sku):
    response = api(other_merchant).post(f"/merchant/skus/{sku.pk}/prices", _body())
    assert response.status_code == 404
    assert Price.objects.count() == 0


def test_scheduled_price_takes_over_when_due_and_history_keeps_every_version(
    api, merchant_owner, sku
):
    now = timezone.now()
    price(merchant_owner, sku, "US", "USD", "12.00")
    later = now + timedelta(days=3)
    price(merchant_owner, sku, "US", "USD", "11.00", effective_from=later)
    assert selectors.price_in_force(sku.pk, "US").unit_price == Decimal("12.00")
    assert selectors.price_in_force(sku.pk, "US", at=later).unit_price == Decimal("11.00")
    history = api(merchant_owner).get(f"/merchant/skus/{sku.pk}/prices").json()
    assert [h["unit_price"]["amount"] for h in history] == ["11.00", "12.00"]


def test_lowest_price_of_the_prior_30_days(merchant_owner, sku):
    now = timezone.now()
    for days_ago, amount in ((40, "8.00"), (35, "10.00"), (20, "9.00"), (5, "11.00")):
        Price.objects.create(
            sku=sku,
            market_id="US",
            currency="USD",
            unit_price=Decimal(amount),
            effective_from=now - timedelta(days=days_ago),
        )
    assert selectors.lowest_price(sku, "US", since=now - timedelta(days=30)) == Money(
        Decimal("9.00"), "USD"
    )
    assert selectors.lowest_price(sku, "US", since=now - timedelta(days=10)) == Money(
        Decimal("9.00"), "USD"
    )
    assert selectors.lowest_price(sku, "US", since=now - timedelta(days=1)) == Money(
        Decimal("11.00"), "USD"
    )
    assert selectors.lowest_price(sku, "DE", since=now - timedelta(days=30)) is None


def test_zero_decimal_currency_accepts_whole_amounts_only(merchant_owner, sku):
    from tradelane.catalog.services import validate_price
    from tradelane.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        validate_price(
            currency="JPY", market_currency="JPY", unit_price="100.5", breaks=[], moq=1, increment=1
        )
    assert error.value.code == "too_many_decimals"
