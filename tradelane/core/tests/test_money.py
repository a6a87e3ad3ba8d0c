from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradelane.core.errors import InvalidInput
from tradelane.core.money import CurrencyMismatch, Money, minor_units


def test_adding_different_currencies_raises():
    with pytest.raises(CurrencyMismatch) as error:
        Money(Decimal("1.00"), "USD") + Money(Decimal("1.00"), "EUR")
    assert error.value.code == "currency_mismatch"


def test_comparing_different_currencies_raises():
    with pytest.raises(CurrencyMismatch):
        Money(Decimal("1"), "USD") < Money(Decimal("2"), "GBP")


def test_arithmetic_keeps_precision_until_rounded():
    unit = Money(Decimal("0.3333"), "USD")
    total = unit * 3
    assert total.amount == Decimal("0.9999")
    assert total.rounded() == Money(Decimal("1.00"), "USD")


def test_rounding_is_half_up_to_the_minor_unit():
    assert Money(Decimal("2.345"), "EUR").rounded().amount == Decimal("2.35")
    assert Money(Decimal("2.5"), "JPY").rounded().amount == Decimal("3")
    assert Money(Decimal("1.2345"), "KWD").rounded().amount == Decimal("1.235")


def test_minor_units_follow_iso_4217():
    assert [minor_units(c) for c in ("USD", "JPY", "KRW", "VND", "IDR", "KWD")] == [
        2,
        0,
        0,
        0,
        2,
        3,
    ]


def test_floats_are_refused():
    with pytest.raises(InvalidInput):
        Money.of(0.1, "USD")


def test_unknown_currency_is_refused():
    with pytest.raises(InvalidInput) as error:
        Money.of("1.00", "XXY")
    assert error.value.field == "currency"


def test_sum_of_money_starts_from_zero():
    assert sum([Money(Decimal("1.10"), "GBP"), Money(Decimal("2.20"), "GBP")]) == Money(
        Decimal("3.30"), "GBP"
    )


def test_format_follows_the_locale_with_non_breaking_spaces():
    amount = Money(Decimal("1234.5"), "EUR")
    assert amount.format("en") == "€1,234.50"
    assert amount.format("de") == "1.234,50\xa0€"
    assert amount.format("fr") == "1\u202f234,50\xa0€"
    assert Money(Decimal("1234.5"), "JPY").format("en") == "¥1,235"


def test_format_rounds_half_up_not_half_even():
    assert Money(Decimal("0.125"), "USD").format("en") == "$0.13"


def test_api_shape_is_string_amount_at_currency_precision():
    assert Money(Decimal("12.5"), "EUR").as_json() == {"amount": "12.50", "currency": "EUR"}


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
    st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False),
)
def test_addition_then_subtraction_is_identity(a, b):
    x, y = Money(a, "USD"), Money(b, "USD")
    assert (x + y) - y == x
