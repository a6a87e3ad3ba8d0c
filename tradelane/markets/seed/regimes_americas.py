"""Tax regimes: US, CA, MX (facts §3)."""

from __future__ import annotations

from datetime import date

from .dates import AS_OF


def _r(frm, to, **fields) -> dict:
    return {"effective_from": frm, "effective_to": to, "as_of": AS_OF, **fields}


US_COMMON = {
    "tax_name": "State + local sales tax",
    "standard_rate": "0",
    "rate_notes": "No federal VAT. State rates 0–7.25%; combined state+local often 7–10% ❓. Economic nexus "
    "since Wayfair (2018), typically $100k or 200 transactions.",
    "tax_de_minimis": None,
    "collect_at_sale_threshold": None,
    "b2b_rule": "exempt_with_certificate",
    "b2b_tax_id_kind": "Resale/exemption certificate per state (or MTC/SSUTA uniform certificate)",
    "b2b_invoice_wording": "Sale for resale: exempt under the buyer's resale certificate",
    "b2b_confidence": "placeholder",
}
US_SOURCES = "FR 2025-14897 (EO 14324); Benesch (OBBBA); JetWorldwide (Section 122); Tax Foundation (Wayfair)."

CHINA_US = (
    "Section 301 remains (+25% lists 1–3 incl. many handbags and furniture, +7.5% list 4A incl. apparel and "
    "most footwear). Section 122 surcharge +10% from 2026-02-24 to 2026-07-24; what applies after is not "
    "known ⚠️. Section 232 wood products 25% (upholstered seating, cabinets). IEEPA tariffs struck down "
    "2026-02-20, not collected from 2026-02-24."
)

MX_COMMON = {
    "tax_name": "IVA",
    "standard_rate": "0.16",
    "rate_notes": "8% in the northern/southern border region ❓; 0% on basic food ❓.",
    "duty_de_minimis": None,
    "tax_de_minimis": None,
    "collect_at_sale_threshold": None,
    "collection_model": "Registered courier simplified procedure (RGCE rule 3.7.35), ≤ USD 2,500: one global "
    "rate covering duty and tax. USD 50 / 117 thresholds apply only to US/CA-origin courier parcels.",
    "b2b_rule": "importer_pays_at_border",
    "b2b_tax_id_kind": "RFC (Mexican tax id); formal import through a customs broker",
    "b2b_confidence": "placeholder",
    "source_note": "ITC Update (Jul 2025); regfollower; particle.news (2026 tariffs); Shopify/worldwide tax 0.16.",
}


REGIMES: dict[str, list[dict]] = {
    "US": [
        _r(
            date(2024, 1, 1),
            date(2025, 8, 29),
            **US_COMMON,
            duty_de_minimis=("800", "USD"),
            collection_model="Section 321: duty-free entry up to USD 800. Marketplace facilitators collect state sales tax at sale.",
            china_origin_notes="De minimis suspended for China/HK-origin goods from 2025-05-02. "
            + CHINA_US,
            confidence="verified",
            source_note=US_SOURCES,
        ),
        _r(
            date(2025, 8, 29),
            None,
            **US_COMMON,
            duty_de_minimis=None,
            collection_model="De minimis suspended for all countries (EO 14324, re-affirmed 2026-02-20): formal or "
            "informal entry via ACE with duty for every shipment. Statutory repeal for commercial shipments "
            "2027-07-01 (OBBBA). Marketplace facilitators collect state sales tax at sale.",
            china_origin_notes=CHINA_US,
            confidence="verified",
            source_note=US_SOURCES,
        ),
    ],
    "CA": [
        _r(
            date(2020, 7, 1),
            None,
            tax_name="GST/HST (+PST/QST)",
            standard_rate="0.05",
            rate_notes="HST: ON 13%; NB/NL/PE 15%; NS 14% from 2025-04-01. BC 5%+7% PST; MB 5%+7% RST; "
            "SK 5%+6% PST; QC 5%+9.975% QST; AB and territories 5%.",
            duty_de_minimis=("20", "CAD"),
            tax_de_minimis=("20", "CAD"),
            collect_at_sale_threshold=None,
            collection_model="GST/HST and duty are due at the border: courier CLVS programme (ceiling CAD 3,300 ❓ / "
            "2,500 ⚠️) or Canada Post E14 with a handling fee.",
            b2b_rule="importer_pays_at_border",
            b2b_tax_id_kind="GST/HST number (BN15, RT0001)",
            b2b_confidence="placeholder",
            china_origin_notes="The CUSMA thresholds (CAD 150 duty / CAD 40 tax) apply only to courier goods shipped "
            "from the US or Mexico, not to China-shipped or US-transshipped goods: China → Canada de minimis is CAD 20.",
            confidence="verified",
            source_note="CBSA CUSMA LVS; CBA; invoicemama (CRA table); vatcalc NS cut.",
        ),
    ],
    "MX": [
        _r(
            date(2025, 1, 1),
            date(2025, 8, 15),
            **MX_COMMON,
            china_origin_global_rate="0.19",
            china_origin_notes="China-origin courier imports: 19% global rate (2025-01-01 to 2025-08-14). Apparel "
            "tariffs raised to 35% (Dec 2024).",
            confidence="verified",
        ),
        _r(
            date(2025, 8, 15),
            None,
            **MX_COMMON,
            china_origin_global_rate="0.335",
            china_origin_notes="China-origin courier imports: 33.5% global rate since 2025-08-15. Apparel tariffs "
            "35% (Dec 2024); up to 35–50% on ~1,463 lines from non-FTA countries (incl. CN) from 2026-01-01.",
            confidence="verified",
        ),
    ],
}
