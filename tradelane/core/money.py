"""Money: a Decimal amount with an ISO 4217 currency.

Arithmetic keeps full precision; rounding to the currency's minor unit happens only when
asked (`rounded()`), at boundaries such as line totals, invoices and payouts. Mixing
currencies raises `CurrencyMismatch`. Floats are refused.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import pycountry
from babel.numbers import format_currency, get_currency_precision

from .errors import InvalidInput

# ISO 4217 minor units where babel's CLDR data disagrees with ISO (CLDR gives display
# digits). Amounts are stored to the ISO precision.
_ISO_MINOR_UNITS_OVERRIDES = {"IDR": 2, "KRW": 0, "VND": 0, "JPY": 0, "CLP": 0}


class CurrencyMismatch(InvalidInput):
    code = "currency_mismatch"


def validate_currency(code: str, *, field: str = "currency") -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or pycountry.currencies.get(alpha_3=code) is None:
        raise InvalidInput(f"Unknown currency code {code!r}.", field=field, code="unknown_currency")
    return code


@functools.cache
def minor_units(currency: str) -> int:
    """ISO 4217 minor units (reference data: cached per process)."""
    if currency in _ISO_MINOR_UNITS_OVERRIDES:
        return _ISO_MINOR_UNITS_OVERRIDES[currency]
    return get_currency_precision(currency)


def to_decimal(value, *, field: str = "amount") -> Decimal:
    if isinstance(value, float):
        raise InvalidInput("Amounts must be given as strings or decimals, not floats.", field=field)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{value!r} is not a number.", field=field) from None
    if not amount.is_finite():
        raise InvalidInput(f"{value!r} is not a finite number.", field=field)
    return amount


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", to_decimal(self.amount))
        elif not self.amount.is_finite():
            raise InvalidInput("Amount is not a finite number.", field="amount")
        if not (
            isinstance(self.currency, str) and len(self.currency) == 3 and self.currency.isupper()
        ):
            object.__setattr__(self, "currency", validate_currency(self.currency))

    @classmethod
    def of(cls, amount, currency: str) -> Money:
        """Parse untrusted input: a string or Decimal amount and a currency code."""
        return cls(to_decimal(amount), validate_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    # --- arithmetic --------------------------------------------------------------------
    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Cannot combine {self.currency} with {other.currency}; convert first."
            )

    def __add__(self, other: Money) -> Money:
        if other == 0:  # lets sum() start from 0
            return self
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    __radd__ = __add__

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor) -> Money:
        if isinstance(factor, Money | float):
            raise TypeError("Money can only be multiplied by an int or a Decimal")
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor) -> Money:
        if isinstance(divisor, Money | float):
            raise TypeError("Money can only be divided by an int or a Decimal")
        return Money(self.amount / Decimal(divisor), self.currency)

    def __eq__(self, other) -> bool:
        if isinstance(other, int) and other == 0:
            return self.amount == 0
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return self.amount != 0

    # --- boundaries --------------------------------------------------------------------
    def rounded(self, rounding: str = ROUND_HALF_UP) -> Money:
        """Round to the currency's minor unit (half up unless told otherwise)."""
        exponent = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exponent, rounding=rounding), self.currency)

    def format(self, locale: str = "en") -> str:
        """Format for a reader's locale; rounds half up first (babel rounds half-even)."""
        rounded = self.rounded()
        return format_currency(rounded.amount, self.currency, locale=locale.replace("-", "_"))

    def as_json(self) -> dict:
        """API shape: the amount as a string at the currency's precision."""
        return {"amount": str(self.rounded().amount), "currency": self.currency}

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
