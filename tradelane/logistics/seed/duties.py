"""Duty tables per launch market: MFN by HS chapter/heading, the explained fallback, and
the US additional duties on China-origin goods (facts §3.4 and its US stacking table).

Chapter rates are indicative defaults (the real rate depends on the 8–10 digit line);
each row says how sure it is. An empty `hs_prefix` is the market's fallback for an
unknown or malformed HS code: the highest typical consumer-goods rate, never zero.
"""

from __future__ import annotations

from datetime import date

from .network import AS_OF

OPEN = date(2024, 1, 1)
S34 = "facts §3.4 (typical MFN duty rates by HS chapter)"
US_ADD = "facts §3.4 US additional duties on China-origin goods (ilogix, Crane, BDO, ST&R, ITT)"


def _mfn(market, prefix, rate, description, confidence="uncertain", source=S34):
    return {
        "market": market,
        "program": "mfn",
        "origin_country": "",
        "hs_prefix": prefix,
        "rate": rate,
        "description": description,
        "exclusive_of": "",
        "effective_from": OPEN,
        "effective_to": None,
        "confidence": confidence,
        "source_note": source,
        "as_of": AS_OF,
    }


def _cn(
    program, prefix, rate, description, frm, to=None, *, exclusive_of="", confidence="verified"
):
    return {
        "market": "US",
        "program": program,
        "origin_country": "CN",
        "hs_prefix": prefix,
        "rate": rate,
        "description": description,
        "exclusive_of": exclusive_of,
        "effective_from": frm,
        "effective_to": to,
        "confidence": confidence,
        "source_note": US_ADD,
        "as_of": AS_OF,
    }


FALLBACK = "Fallback for an unknown or malformed HS code: "

DUTY_RATES: list[dict] = [
    # --- US HTSUS column 1 ---------------------------------------------------------------
    _mfn("US", "", "0.20", FALLBACK + "highest typical consumer-goods MFN (bags 17.6–20%)"),
    _mfn("US", "4202", "0.176", "Travel goods and bags, textile (MMF) 17.6%", "verified"),
    _mfn("US", "420221", "0.09", "Handbags, leather outer surface ❓ (4.5–20% range)"),
    _mfn("US", "61", "0.165", "Knitted apparel (cotton knits ~16.5%) ❓"),
    _mfn("US", "62", "0.122", "Woven apparel (MMF shirts 12.2%)", "verified"),
    _mfn("US", "64", "0.20", "Footwear (7.5–48%) ⚠️"),
    _mfn("US", "85", "0.0", "Electrical/electronic goods, most ITA lines 0% ❓"),
    _mfn("US", "94", "0.0", "Furniture, mostly 0% ❓"),
    _mfn("US", "95", "0.0", "Toys and games, 9503 mostly 0% ❓"),
    # --- US additional duties on China-origin goods -----------------------------------------
    _cn(
        "section_301",
        "",
        "0.25",
        FALLBACK + "Section 301 lists 1–3 rate (+25%) assumed",
        date(2018, 7, 6),
        confidence="uncertain",
    ),
    _cn(
        "section_301",
        "4202",
        "0.25",
        "Section 301 list 3: handbags and travel goods +25%",
        date(2018, 9, 24),
    ),
    _cn("section_301", "61", "0.075", "Section 301 list 4A: apparel +7.5%", date(2020, 2, 14)),
    _cn("section_301", "62", "0.075", "Section 301 list 4A: apparel +7.5%", date(2020, 2, 14)),
    _cn(
        "section_301", "64", "0.075", "Section 301 list 4A: most footwear +7.5%", date(2020, 2, 14)
    ),
    _cn(
        "section_301",
        "85",
        "0.25",
        "Section 301 lists 1–3: many electrical goods +25% ⚠️",
        date(2018, 7, 6),
        confidence="uncertain",
    ),
    _cn(
        "section_301",
        "8471",
        "0.0",
        "Section 301 list 4B (suspended): laptops and computers",
        date(2018, 7, 6),
    ),
    _cn(
        "section_301",
        "851713",
        "0.0",
        "Section 301 list 4B (suspended): smartphones",
        date(2018, 7, 6),
    ),
    _cn("section_301", "94", "0.25", "Section 301 list 3: furniture +25%", date(2018, 9, 24)),
    _cn(
        "section_301",
        "95",
        "0.25",
        "Section 301 list 3: some toys and sporting goods +25% ⚠️",
        date(2018, 9, 24),
        confidence="uncertain",
    ),
    _cn(
        "section_301",
        "9503",
        "0.0",
        "Section 301 list 4B (suspended): many toys",
        date(2018, 9, 24),
    ),
    _cn(
        "ieepa_fentanyl",
        "",
        "0.10",
        "IEEPA 'fentanyl' tariff (EO 14195), +10% from 10 Nov 2025; struck down 20 Feb 2026",
        date(2025, 11, 10),
        date(2026, 2, 24),
    ),
    _cn(
        "ieepa_reciprocal",
        "",
        "0.10",
        "IEEPA 'reciprocal' tariff (EO 14257), +10%; struck down 20 Feb 2026",
        date(2025, 5, 14),
        date(2026, 2, 24),
    ),
    _cn(
        "section_122",
        "",
        "0.10",
        "Section 122 surcharge +10% (HTS 9903.03.01); does not stack on Section 232; status after 24 Jul 2026 unknown ⚠️",
        date(2026, 2, 24),
        date(2026, 7, 24),
        exclusive_of="section_232",
    ),
    *[
        _cn(
            "section_232",
            prefix,
            "0.25",
            "Section 232 wood products: upholstered seating, kitchen cabinets/vanities +25%",
            date(2025, 10, 14),
        )
        for prefix in ("94016140", "94016160", "94034090", "94036080", "94039100")
    ],
    # --- CA MFN -------------------------------------------------------------------------------
    _mfn("CA", "", "0.18", FALLBACK + "apparel/footwear MFN 18%, the highest typical rate"),
    _mfn("CA", "4202", "0.10", "Bags (8–11%) ⚠️"),
    _mfn("CA", "61", "0.18", "Knitted apparel 18%", "verified"),
    _mfn("CA", "62", "0.18", "Woven apparel 18%", "verified"),
    _mfn("CA", "64", "0.18", "Footwear up to 18–20% ⚠️"),
    _mfn("CA", "85", "0.0", "Electronics 0–~9% ❓", "placeholder"),
    _mfn("CA", "94", "0.08", "Furniture 0–9.5% ⚠️"),
    _mfn("CA", "95", "0.0", "Toys 0% ⚠️"),
    # --- MX (formal entry, non-FTA 2026 package) -------------------------------------------
    _mfn("MX", "", "0.35", FALLBACK + "2026 non-FTA package ceiling for consumer goods (35%)"),
    _mfn("MX", "4202", "0.35", "Bags up to 35% ⚠️"),
    _mfn("MX", "61", "0.35", "Apparel 35% (Dec 2024 decree, then the 2026 law)", "verified"),
    _mfn("MX", "62", "0.35", "Apparel 35% (Dec 2024 decree, then the 2026 law)", "verified"),
    _mfn("MX", "64", "0.35", "Footwear up to 35% (2026 package) ⚠️"),
    _mfn("MX", "85", "0.15", "Electronics in the 2026 package, 5–35% ⚠️"),
    _mfn("MX", "94", "0.30", "Furniture in the 2026 package ⚠️"),
    _mfn("MX", "95", "0.20", "Toys 15–35% ⚠️"),
    # --- GB UKGT -----------------------------------------------------------------------------
    _mfn("GB", "", "0.12", FALLBACK + "most garments 12%, the common consumer-goods rate"),
    _mfn("GB", "4202", "0.04", "Bags 2–8% ⚠️"),
    _mfn("GB", "61", "0.12", "Knitted apparel ~12% ⚠️"),
    _mfn("GB", "62", "0.12", "Woven apparel ~12% ⚠️"),
    _mfn("GB", "64", "0.16", "Footwear 4.5–16% ⚠️"),
    _mfn("GB", "85", "0.0", "Electronics 0–14% ❓", "placeholder"),
    _mfn("GB", "8528", "0.14", "Televisions and monitors 14% ❓", "placeholder"),
    _mfn("GB", "94", "0.0", "Furniture 0–5.6% ⚠️"),
    _mfn("GB", "95", "0.0", "Toys 0–4% ⚠️"),
]

for _eu in ("DE", "FR"):
    DUTY_RATES += [
        _mfn(
            _eu, "", "0.12", FALLBACK + "EU CET 12% (most garments), the common consumer-goods rate"
        ),
        _mfn(_eu, "4202", "0.037", "Bags 3–9.7% (textile/plastic handbags 3.7%) ⚠️"),
        _mfn(_eu, "61", "0.12", "Knitted apparel 12%", "verified"),
        _mfn(_eu, "62", "0.12", "Woven apparel 12%", "verified"),
        _mfn(_eu, "64", "0.17", "Footwear, textile/rubber uppers 16.5–17% ⚠️"),
        _mfn(_eu, "6403", "0.08", "Footwear, leather uppers 8% ⚠️"),
        _mfn(_eu, "85", "0.0", "Electronics, most ITA goods 0–2.4% ⚠️"),
        _mfn(_eu, "8528", "0.14", "Televisions 14%", "verified"),
        _mfn(_eu, "94", "0.0", "Furniture, most 0%", "verified"),
        _mfn(_eu, "95", "0.047", "Toys 0–4.7% ⚠️"),
    ]
