"""Fixed import fees, effective-dated (facts §0.3, §3.2)."""

from __future__ import annotations

from datetime import date

from .dates import AS_OF
from .regimes_europe import EU_VAT

EU_FLAT_DUTY = {
    "name": "EU flat customs duty on low-value consignments",
    "amount": ("3", "EUR"),
    "basis": "per_tariff_line",
    "max_consignment": ("150", "EUR"),
    "applies_to_b2b": False,
    "effective_from": date(2026, 7, 1),
    "effective_to": date(2028, 7, 1),
    "notes": "Per distinct tariff item (not per parcel) in consignments < €150 sent to consumers; may be "
    "extended, then normal tariffs via the EU Customs Data Hub.",
    "confidence": "verified",
    "source_note": "Council via regfollower; Portugal Global/Commission; Glopal.",
    "as_of": AS_OF,
}

FEES: dict[str, list[dict]] = {
    **{code: [dict(EU_FLAT_DUTY)] for code in EU_VAT},
}
FEES["IT"].append(
    {
        "name": "Italian handling fee on low-value consignments",
        "amount": ("2", "EUR"),
        "basis": "per_consignment",
        "max_consignment": ("150", "EUR"),
        "applies_to_b2b": True,
        "effective_from": date(2026, 1, 1),
        "effective_to": None,
        "notes": "Charged on B2C and B2B consignments ≤ €150.",
        "confidence": "verified",
        "source_note": "PwC IT; Conventus.",
        "as_of": AS_OF,
    }
)
FEES["FR"].append(
    {
        "name": "Taxe sur les petits colis",
        "amount": ("2", "EUR"),
        "basis": "per_parcel",
        "max_consignment": None,
        "applies_to_b2b": False,
        "effective_from": date(2026, 3, 1),
        "effective_to": None,
        "notes": "One source says €5 ⚠️; per consignment vs per item and B2B scope to verify.",
        "confidence": "uncertain",
        "source_note": "Boursorama.",
        "as_of": AS_OF,
    }
)
FEES["SA"] = [
    {
        "name": "Customs fee on e-commerce shipments",
        "amount": ("15", "SAR"),
        "basis": "per_parcel",
        "max_consignment": ("1000", "SAR"),
        "applies_to_b2b": False,
        "effective_from": date(2024, 10, 6),
        "effective_to": None,
        "notes": "E-commerce shipments < SAR 1,000; other imports pay 0.15% (min SAR 15, max SAR 500).",
        "confidence": "verified",
        "source_note": "Deloitte ME (revised customs services fees).",
        "as_of": AS_OF,
    }
]
