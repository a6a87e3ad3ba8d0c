"""Buyer tax ids per destination market, checked offline with python-stdnum (format and
check digits only: "format-valid", not "registry-confirmed" — VIES needs the network)."""

from __future__ import annotations

from stdnum import exceptions
from stdnum.au import abn
from stdnum.ca import bn
from stdnum.eu import vat as eu_vat
from stdnum.gb import vat as gb_vat
from stdnum.mx import rfc
from stdnum.sg import uen
from stdnum.us import ein

from tradelane.core.errors import InvalidInput

FIELD = "buyer_tax_id"
EU = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
}  # fmt: skip
KINDS = {
    "GB": "UK VAT registration number",
    "CA": "Canadian business number (BN9 or BN15, e.g. 123456789RT0001)",
    "MX": "Mexican RFC",
    "US": "US employer identification number (EIN)",
    "AU": "Australian business number (ABN)",
    "SG": "Singapore UEN / GST registration number",
}


def _eu(market: str, value: str) -> str:
    prefix = "EL" if market == "GR" else market
    compact = eu_vat.compact(value)
    if not compact[:2].isalpha():
        compact = prefix + compact
    if compact[:2] != prefix:
        raise exceptions.InvalidComponent()
    return eu_vat.validate(compact)


VALIDATORS = {
    "GB": gb_vat.validate,
    "CA": bn.validate,
    "MX": lambda v: rfc.validate(v, validate_check_digits=True),
    "US": ein.validate,
    "AU": abn.validate,
    "SG": uen.validate,
}


def validate_tax_id(market: str, value: str) -> str:
    """The normalised id, or InvalidInput on field `buyer_tax_id` (code `invalid_tax_id`)."""
    value = (value or "").strip()
    if not value or len(value) > 40:
        raise InvalidInput("Enter the buyer's tax id.", field=FIELD, code="invalid_tax_id")
    kind = "EU VAT id of the destination country" if market in EU else KINDS.get(market)
    try:
        if market in EU:
            return _eu(market, value)
        validator = VALIDATORS.get(market)
        if validator is None:
            raise InvalidInput(
                f"Tax ids for {market} cannot be checked yet.",
                field=FIELD,
                code="tax_id_unsupported",
            )
        return validator(value)
    except exceptions.ValidationError:
        raise InvalidInput(
            f"{value!r} is not a valid {kind} (format or check digit).",
            field=FIELD,
            code="invalid_tax_id",
        ) from None
