"""Tax regimes: GB and the EU five (DE, FR, ES, IT, NL) (facts §3)."""

from __future__ import annotations

from datetime import date

from .dates import AS_OF


def _r(frm, to, **fields) -> dict:
    return {"effective_from": frm, "effective_to": to, "as_of": AS_OF, **fields}


EU_VAT = {
    "DE": ("USt (MwSt)", "0.19", "Reduced 7%."),
    "FR": ("TVA", "0.20", "Reduced 10%, 5.5%, 2.1%."),
    "ES": ("IVA", "0.21", "Reduced 10%, 4%."),
    "IT": ("IVA", "0.22", "Reduced 10%, 5%, 4%."),
    "NL": ("btw", "0.21", "Reduced 9%."),
}
EU_SOURCES = (
    "Rates: calculariva 2025 EU table. De minimis/IOSS: Council via regfollower (?p=78434), "
    "Glopal (EU customs changes 1 Jul 2026), Deutsche Post IOSS."
)
EU_B2B = {
    "b2b_rule": "importer_pays_at_border",
    "b2b_tax_id_kind": "EU VAT ID (VIES check with timestamp stored); EORI if the buyer is importer of record",
    "b2b_invoice_wording": "Intra-Community supply from EU stock: VAT reverse-charged, to be accounted for by the customer",
    "b2b_confidence": "uncertain",
}


def _eu_regimes(code: str) -> list[dict]:
    tax_name, rate, reduced = EU_VAT[code]
    common = {
        "tax_name": tax_name,
        "standard_rate": rate,
        "rate_notes": reduced,
        "tax_de_minimis": None,
        "collect_at_sale_threshold": ("150", "EUR"),
        **EU_B2B,
        "source_note": EU_SOURCES,
        "as_of": AS_OF,
    }
    return [
        {
            **common,
            "effective_from": date(2021, 7, 1),
            "effective_to": date(2026, 7, 1),
            "duty_de_minimis": ("150", "EUR"),
            "collection_model": "IOSS: the seller or marketplace (deemed supplier) charges destination VAT at "
            "sale for consignments ≤ €150; no customs duty ≤ €150 (intrinsic value). Non-IOSS: import VAT "
            "at the border plus a carrier fee. > €150: full duty + import VAT.",
            "confidence": "verified",
        },
        {
            **common,
            "effective_from": date(2026, 7, 1),
            "effective_to": None,
            "duty_de_minimis": None,
            "collection_model": "IOSS VAT at sale ≤ €150 continues. The €150 duty relief ended: a flat €3 "
            "customs duty per distinct tariff item applies to consignments < €150 sent to consumers "
            "(1 Jul 2026 → 1 Jul 2028, see fees). An EU handling fee (~€2) is still under negotiation ⚠️.",
            "china_origin_notes": "Scope of the €3 duty: IOSS flows first; EC guidance says regardless of how "
            "VAT is handled ⚠️.",
            "confidence": "uncertain",
        },
    ]


REGIMES: dict[str, list[dict]] = {
    "GB": [
        _r(
            date(2021, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.20",
            rate_notes="5% reduced; 0% zero rate (incl. children's clothing ❓).",
            duty_de_minimis=("135", "GBP"),
            tax_de_minimis=None,
            collect_at_sale_threshold=("135", "GBP"),
            collection_model="≤ £135: the seller or online marketplace (deemed supplier) charges UK VAT at sale. "
            "> £135: import VAT + duty at the border. Excise goods and gifts excluded.",
            b2b_rule="reverse_charge",
            b2b_tax_id_kind="UK VAT registration number (GB + 9 digits)",
            b2b_invoice_wording="Reverse charge: customer to account for VAT to HMRC",
            b2b_confidence="verified",
            china_origin_notes="The ≤ £135 customs-duty relief is to be abolished by March 2029 at the latest "
            "(Nov 2025 Budget).",
            confidence="verified",
            source_note="gov.uk LVI consultation; Deloitte; vatcalc (B2B); HMRC rates.",
        ),
    ],
    **{code: _eu_regimes(code) for code in EU_VAT},
}
