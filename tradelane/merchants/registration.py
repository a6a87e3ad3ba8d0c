"""Company registration numbers, checked with python-stdnum where a validator exists.

China's unified social credit code (统一社会信用代码) is the one most applicants give; other
countries use their business or tax registration number. Where no validator exists the
number is stored as given and marked unchecked, for the operator to verify.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum import exceptions as stdnum_errors
from stdnum.ca import bn as ca_bn
from stdnum.cn import uscc
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.jp import cn as jp_cn
from stdnum.kr import brn as kr_brn
from stdnum.mx import rfc as mx_rfc
from stdnum.sg import uen as sg_uen
from stdnum.tw import ubn as tw_ubn
from stdnum.us import ein as us_ein
from stdnum.vn import mst as vn_mst

from tradelane.core.errors import InvalidInput

EU = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip

NAMES = {
    "CN": "unified social credit code (18 characters)",
    "TW": "unified business number",
    "KR": "business registration number",
    "JP": "corporate number",
    "US": "EIN",
    "CA": "business number",
    "MX": "RFC",
    "GB": "VAT registration number",
    "SG": "UEN",
    "VN": "tax code (MST)",
}


@dataclass(frozen=True)
class CheckedNumber:
    number: str  # compact form
    checked: bool  # a validator confirmed format and check digit


def _validator(country: str):
    if country == "MX":
        return lambda n: mx_rfc.validate(n, validate_check_digits=True)
    if country in EU:
        return lambda n: eu_vat.validate(n if n[:2].upper() == country else country + n)
    return {
        "CN": uscc.validate,
        "TW": tw_ubn.validate,
        "KR": kr_brn.validate,
        "JP": jp_cn.validate,
        "US": us_ein.validate,
        "CA": ca_bn.validate,
        "GB": gb_vat.validate,
        "SG": sg_uen.validate,
        "VN": vn_mst.validate,
    }.get(country)


def check_registration_number(country: str, number: str, *, field: str = "registration_number"):
    """The compact number, validated for `country` when python-stdnum knows its format.

    Raises InvalidInput `invalid_registration_number` naming `field`.
    """
    raw = (number or "").strip()
    if not raw:
        raise InvalidInput("Give the company's registration number.", field=field, code="required")
    if len(raw) > 40:
        raise InvalidInput("The registration number is too long.", field=field)
    validate = _validator(country)
    if validate is None:
        return CheckedNumber(raw.upper(), False)
    try:
        compact = validate(raw)
    except stdnum_errors.ValidationError as error:
        kind = NAMES.get(country, "VAT number")
        raise InvalidInput(
            f"This is not a valid {country} {kind}: {error.message.rstrip('.').lower()}.",
            field=field,
            code="invalid_registration_number",
        ) from None
    return CheckedNumber(str(compact), True)
