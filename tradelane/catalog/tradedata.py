"""Trade data rules for a SKU: HS code, origin, weights and dimensions, certifications.

Pure functions: each normalises one value or raises `InvalidInput` naming the field.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pycountry

from tradelane.core.errors import InvalidInput
from tradelane.core.money import to_decimal

CERTIFICATIONS = {
    "CE": "CE (EU)",
    "UKCA": "UKCA (GB)",
    "FCC": "FCC (US)",
    "UL": "UL (US)",
    "ETL": "ETL (US/CA)",
    "ISED": "ISED (CA)",
    "CSA": "CSA (CA)",
    "NOM": "NOM (MX)",
    "ROHS": "RoHS",
    "REACH": "REACH",
    "WEEE": "WEEE",
    "CPSIA": "CPSIA (US)",
    "FDA": "FDA (US)",
    "PSE": "PSE (JP)",
    "KC": "KC (KR)",
    "RCM": "RCM (AU)",
    "SASO": "SASO (SA)",
    "UN38.3": "UN 38.3 (batteries)",
}

REQUIRED_TRADE_FIELDS = (
    "hs_code",
    "origin_country",
    "net_weight_kg",
    "gross_weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "units_per_carton",
)
MEASURES = ("net_weight_kg", "gross_weight_kg", "length_cm", "width_cm", "height_cm")
_MAX_MEASURE = Decimal("9999999")


def normalize_hs_code(value: str | None) -> str:
    """Digits only (dots and spaces removed), 6 to 10 of them; empty stays empty."""
    text = re.sub(r"[\s.]", "", value or "")
    if not text:
        return ""
    if not text.isdigit() or not 6 <= len(text) <= 10:
        raise InvalidInput(
            "An HS code has 6 to 10 digits (dots and spaces allowed).",
            field="hs_code",
            code="invalid_hs_code",
        )
    return text


def normalize_country(value: str | None, *, field: str = "origin_country") -> str:
    code = (value or "").strip().upper()
    if not code:
        return ""
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidInput(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code.",
            field=field,
            code="invalid_country",
        )
    return code


def normalize_measure(value, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    amount = to_decimal(value, field=field)
    if amount <= 0 or amount > _MAX_MEASURE:
        raise InvalidInput("Must be a positive number.", field=field, code="not_positive")
    return amount.quantize(Decimal("0.001"))


def normalize_certifications(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[,\s;]+", values) if v]
    out = []
    for value in values:
        code = str(value).strip().upper()
        if code not in CERTIFICATIONS:
            raise InvalidInput(
                f"Unknown certification {value!r}; known: {', '.join(CERTIFICATIONS)}.",
                field="certifications",
                code="unknown_certification",
            )
        if code not in out:
            out.append(code)
    return out


def normalize_attributes(values) -> dict:
    if values is None:
        return {}
    if not isinstance(values, dict) or len(values) > 20:
        raise InvalidInput("Attributes are up to 20 name/value pairs.", field="attributes")
    out = {}
    for key, value in values.items():
        name, text = str(key).strip()[:40], str(value).strip()[:100]
        if not name or not text:
            raise InvalidInput("Attribute names and values may not be empty.", field="attributes")
        out[name] = text
    return out


def missing_trade_fields(sku) -> list[str]:
    """The trade data fields a SKU still lacks (empty = complete)."""
    return [f for f in REQUIRED_TRADE_FIELDS if getattr(sku, f) in (None, "")]
