"""Lanes CN → the six launch markets and their Economy / Standard / Premium rate cards.

Figures: facts §4.1 (envelopes and divisors), §4.2 (transit business days), §4.3 (rate
structure, DHL fuel 24.5%, remote area RMB 4/kg min RMB 200 ≈ USD 0.56/kg min USD 28).
Prices are ❓ estimates in USD for configuration (partners' contract rates replace them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

AS_OF = date(2026, 11, 25)
FROM = date(2025, 1, 1)

ESTIMATE = (
    "Estimate ❓ from facts §4.1–4.3 (YunExpress line pages, China Post ePacket, DHL volumetric, "
    "fuel and remote-area tables); transit from §4.2 ⚠️. Replace with partner contract rates."
)

# National public holidays 2026 (no delivery) ❓ — operators extend these yearly.
HOLIDAYS = {
    "US": [
        "2026-01-01",
        "2026-01-19",
        "2026-02-16",
        "2026-05-25",
        "2026-06-19",
        "2026-07-03",
        "2026-09-07",
        "2026-10-12",
        "2026-11-11",
        "2026-11-26",
        "2026-12-25",
    ],
    "CA": [
        "2026-01-01",
        "2026-04-03",
        "2026-05-18",
        "2026-07-01",
        "2026-09-07",
        "2026-10-12",
        "2026-12-25",
        "2026-12-26",
    ],
    "MX": [
        "2026-01-01",
        "2026-02-02",
        "2026-03-16",
        "2026-05-01",
        "2026-09-16",
        "2026-11-16",
        "2026-12-25",
    ],
    "GB": [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    "DE": [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-01",
        "2026-05-14",
        "2026-05-25",
        "2026-10-03",
        "2026-12-25",
        "2026-12-26",
    ],
    "FR": [
        "2026-01-01",
        "2026-04-06",
        "2026-05-01",
        "2026-05-08",
        "2026-05-14",
        "2026-05-25",
        "2026-07-14",
        "2026-08-15",
        "2026-11-01",
        "2026-11-11",
        "2026-12-25",
    ],
}
# Saturday delivery is common in GB/DE/FR/MX last mile, not on US/CA commercial lines ❓.
NON_DELIVERY = {"US": [5, 6], "CA": [5, 6], "MX": [6], "GB": [6], "DE": [6], "FR": [6]}
VALUATION = {"US": "fob", "CA": "fob", "MX": "cif", "GB": "cif", "DE": "cif", "FR": "cif"}

# Remote areas (postal-code patterns) ❓: AK/HI; CA territories; Scottish Highlands and
# islands, Northern Ireland; German North/Baltic Sea islands; Corsica. No MX pattern seeded.
REMOTE = {
    "US": [("Alaska / Hawaii", r"^(99[5-9]|96[7-8])")],
    "CA": [("Northern territories", r"^[XY]")],
    "MX": [],
    "GB": [
        ("Highlands and islands / Northern Ireland", r"^(HS|ZE|KW1[5-7]|IV4[1-9]|PA[2-7]\d|BT)")
    ],
    "DE": [
        (
            "North and Baltic Sea islands",
            r"^(1856[5-9]|2576[1-9]|2585[0-9]|2586[3-9]|2693[6-9]|27498)",
        )
    ],
    "FR": [("Corsica", r"^20")],
}

# (economy min, max), (standard), (premium) transit business days, facts §4.2.
TRANSIT = {
    "US": ((10, 20), (6, 12), (3, 5)),
    "CA": ((12, 25), (8, 15), (3, 6)),
    "MX": ((15, 30), (10, 15), (4, 7)),
    "GB": ((8, 15), (6, 10), (2, 4)),
    "DE": ((10, 20), (6, 10), (3, 5)),
    "FR": ((10, 20), (6, 10), (3, 5)),
}
# Price per kg (economy, standard) and premium first 0.5 kg / next 0.5 kg, USD ❓.
PRICES = {
    "US": ("11.50", "9.80", "31.00", "7.20"),
    "CA": ("12.50", "10.40", "33.00", "7.60"),
    "MX": ("13.00", "11.20", "34.00", "7.90"),
    "GB": ("9.20", "7.60", "27.00", "6.30"),
    "DE": ("9.60", "7.90", "27.50", "6.40"),
    "FR": ("9.80", "8.10", "27.50", "6.40"),
}

LANES = [
    {
        "origin_country": "CN",
        "destination": code,
        "customs_valuation": VALUATION[code],
        "non_delivery_weekdays": NON_DELIVERY[code],
        "holidays": HOLIDAYS[code],
        "source_note": "Delivery calendar ❓: weekends without last-mile delivery and 2026 national "
        "holidays. Customs valuation: US/CA value for duty excludes international freight (FOB); "
        "EU/UK/MX include it (CIF).",
        "as_of": AS_OF,
    }
    for code in ("US", "CA", "MX", "GB", "DE", "FR")
]


def _remote(code: str, per_kg: str, minimum: str) -> list[dict]:
    return [
        {"name": name, "pattern": pattern, "per_kg": per_kg, "minimum": minimum}
        for name, pattern in REMOTE[code]
    ]


def _cards(code: str) -> list[dict]:
    economy_kg, standard_kg, premium_first, premium_step = PRICES[code]
    (e_min, e_max), (s_min, s_max), (p_min, p_max) = TRANSIT[code]
    common = {
        "effective_from": FROM,
        "effective_to": None,
        "confidence": "placeholder",
        "source_note": ESTIMATE,
        "as_of": AS_OF,
        "currency": "USD",
    }
    ca_divisor = 6000 if code == "CA" else 8000
    return [
        {
            **common,
            "tier": "economy",
            "product_name": "Postal small packet (ePacket-like), consolidated air → postal last mile",
            "handling_fee": "2.60",
            "first_kg": "0.050",
            "first_price": _mul(economy_kg, "0.05"),
            "step_kg": "0.010",
            "step_price": _mul(economy_kg, "0.01"),
            "bands": [],
            "min_billable_kg": "0.050",
            "rounding_kg": "0.010",
            "volumetric_divisor": 8000,
            "fuel_surcharge_rate": "0",
            "remote_areas": [],
            "max_weight_kg": "2.000",
            "max_side_cm": "60.0",
            "max_sum_of_sides_cm": "90.0",
            "max_length_plus_girth_cm": None,
            "carries_battery": False,
            "carries_liquid": False,
            "carries_magnet": False,
            "transit_min_days": e_min,
            "transit_max_days": e_max,
        },
        {
            **common,
            "tier": "standard",
            "product_name": "Dedicated e-commerce line (专线), air line-haul + commercial last mile",
            "handling_fee": "3.20",
            "first_kg": "0.100",
            "first_price": _mul(standard_kg, "0.1"),
            "step_kg": "0.100",
            "step_price": _mul(standard_kg, "0.1"),
            "bands": [{"from_kg": "10", "per_kg": _mul(standard_kg, "0.85")}],
            "min_billable_kg": "0.100",
            "rounding_kg": "0.100",
            "volumetric_divisor": ca_divisor,
            "fuel_surcharge_rate": "0",
            "remote_areas": _remote(code, "0.40", "6.00"),
            "max_weight_kg": "30.000",
            "max_side_cm": "120.0",
            "max_sum_of_sides_cm": None,
            "max_length_plus_girth_cm": "300.0",
            "carries_battery": True,
            "carries_liquid": False,
            "carries_magnet": False,
            "transit_min_days": s_min,
            "transit_max_days": s_max,
        },
        {
            **common,
            "tier": "premium",
            "product_name": "Integrator express (DHL/FedEx/UPS-like), DDP",
            "handling_fee": "0",
            "first_kg": "0.500",
            "first_price": premium_first,
            "step_kg": "0.500",
            "step_price": premium_step,
            "bands": [{"from_kg": "20", "per_kg": _mul(premium_step, "1.6")}],
            "min_billable_kg": "0.500",
            "rounding_kg": "0.500",
            "volumetric_divisor": 5000,
            "fuel_surcharge_rate": "0.245",
            "remote_areas": _remote(code, "0.56", "28.00"),
            "max_weight_kg": "70.000",
            "max_side_cm": "274.0",
            "max_sum_of_sides_cm": None,
            "max_length_plus_girth_cm": "400.0",
            "carries_battery": True,
            "carries_liquid": True,
            "carries_magnet": True,
            "transit_min_days": p_min,
            "transit_max_days": p_max,
        },
    ]


def _mul(a: str, b: str) -> str:
    return str((Decimal(a) * Decimal(b)).quantize(Decimal("0.0001")))


RATE_CARDS = {code: _cards(code) for code in ("US", "CA", "MX", "GB", "DE", "FR")}
