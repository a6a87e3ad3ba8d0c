"""Tax regimes: SG, MY, TH, PH, VN, ID, AU, JP, KR, SA, AE (facts §3)."""

from __future__ import annotations

from datetime import date

from .dates import AS_OF


def _r(frm, to, **fields) -> dict:
    return {"effective_from": frm, "effective_to": to, "as_of": AS_OF, **fields}


REGIMES: dict[str, list[dict]] = {
    "SG": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="GST",
            standard_rate="0.09",
            rate_notes="",
            duty_de_minimis=None,
            tax_de_minimis=("400", "SGD"),
            collect_at_sale_threshold=("400", "SGD"),
            collection_model="OVR regime: overseas vendors, marketplaces and re-deliverers charge 9% GST at sale on "
            "low-value goods ≤ S$400 (registration: global turnover > S$1m and SG B2C sales > S$100k). > S$400: "
            "import GST at the border. No customs duty on most goods (alcohol, tobacco, vehicles, petroleum ❓).",
            b2b_rule="reverse_charge",
            b2b_tax_id_kind="GST registration number",
            b2b_invoice_wording="Reverse charge: customer to account for GST",
            b2b_confidence="verified",
            confidence="verified",
            source_note="IRAS (GST on low-value goods); BDO; Avalara.",
        ),
    ],
    "MY": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="Sales tax (SST)",
            standard_rate="0.10",
            rate_notes="From 2025-07-01: essentials 0%, selected non-essentials 5%, premium 10%. Service tax 6–8%. "
            "LVG sales tax 10%.",
            duty_de_minimis=("500", "MYR"),
            tax_de_minimis=None,
            collect_at_sale_threshold=("500", "MYR"),
            collection_model="LVG ≤ RM500: registered sellers and marketplaces (LVG sales > RM500k in 12 months) "
            "charge 10% sales tax at sale on the price excluding shipping and insurance.",
            b2b_rule="same_as_b2c",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="Skrine (Dec 2023); The Edge; Rödl (SST 2025). Duty de minimis RM500 is often cited, not "
            "confirmed ❓.",
        ),
    ],
    "TH": [
        _r(
            date(2024, 1, 1),
            date(2024, 7, 5),
            tax_name="VAT",
            standard_rate="0.07",
            rate_notes="Statutory 10%, reduced to 7% by decree ❓.",
            duty_de_minimis=("1500", "THB"),
            tax_de_minimis=("1500", "THB"),
            collect_at_sale_threshold=None,
            collection_model="Imports up to THB 1,500 free of duty and VAT.",
            b2b_rule="same_as_b2c",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="Bangkok Post (VAT on cheap imports from 5 Jul 2024).",
        ),
        _r(
            date(2024, 7, 5),
            date(2026, 1, 1),
            tax_name="VAT",
            standard_rate="0.07",
            rate_notes="Statutory 10%, reduced to 7% by decree ❓.",
            duty_de_minimis=("1500", "THB"),
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="VAT on all imports from 2024-07-05; duty-free up to THB 1,500.",
            b2b_rule="same_as_b2c",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="Bangkok Post; VATupdate.",
        ),
        _r(
            date(2026, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.07",
            rate_notes="Statutory 10%, reduced to 7% by decree ❓.",
            duty_de_minimis=("1", "THB"),
            tax_de_minimis=("1", "THB"),
            collect_at_sale_threshold=None,
            collection_model="Duty and VAT from THB 1 (Customs Announcement 219/2568). Thailand Post: pay by QR on "
            "delivery; couriers prepay and recover from the recipient; platforms are integrating VAT at sale.",
            b2b_rule="same_as_b2c",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="VATupdate (?p=334549); Laotian Times (Nov 2025).",
        ),
    ],
    "PH": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.12",
            rate_notes="",
            duty_de_minimis=("10000", "PHP"),
            tax_de_minimis=("10000", "PHP"),
            collect_at_sale_threshold=None,
            collection_model="Above PHP 10,000 FOB: duty + 12% VAT on the full CIF value. Same-day parcels to one "
            "consignee may be consolidated (CAO 02-2025, 2025-05-07).",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="importtaxph; Manila Bulletin.",
        ),
    ],
    "VN": [
        _r(
            date(2024, 1, 1),
            date(2025, 2, 18),
            tax_name="VAT",
            standard_rate="0.10",
            rate_notes="Earlier temporary reductions are not covered here ❓.",
            duty_de_minimis=("1000000", "VND"),
            tax_de_minimis=("1000000", "VND"),
            collect_at_sale_threshold=None,
            collection_model="Express consignments up to VND 1,000,000 free of duty and VAT.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="VnEconomy; VOV.",
        ),
        _r(
            date(2025, 2, 18),
            date(2025, 7, 1),
            tax_name="VAT",
            standard_rate="0.10",
            rate_notes="5% on some essentials.",
            duty_de_minimis=None,
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Express consignments pay import duty + VAT (Decision 01/2025/QĐ-TTg from 2025-02-18).",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="VnEconomy; VOV.",
        ),
        _r(
            date(2025, 7, 1),
            date(2027, 1, 1),
            tax_name="VAT",
            standard_rate="0.08",
            rate_notes="Temporary 8% for most 10%-rated goods (2025-07-01 → 2026-12-31); excludes telecoms, finance, "
            "real estate, metals, mining and special-consumption goods. 5% on some essentials.",
            duty_de_minimis=None,
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Express consignments pay import duty + VAT.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="vietnam.vn; VATupdate.",
        ),
        _r(
            date(2027, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.10",
            rate_notes="5% on some essentials.",
            duty_de_minimis=None,
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Express consignments pay import duty + VAT.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="Assumes the standard 10% returns after the temporary reduction ❓.",
        ),
    ],
    "ID": [
        _r(
            date(2020, 1, 30),
            None,
            tax_name="PPN (VAT)",
            standard_rate="0.12",
            rate_notes="12% nominal, effectively 11% for non-luxury goods (tax base 11/12, PMK 131/2024, from "
            "2025-01-01); 12% on the full value only for luxury goods.",
            duty_de_minimis=("3", "USD"),
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Above USD 3 per consignment: 7.5% duty + VAT + income tax (0–10%). Below USD 3: VAT "
            "only.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            china_origin_notes="Gate this market: USD 100 FOB minimum price per unit for finished goods sold directly "
            "cross-border via marketplaces (Permendag 31/2023 Art. 19). MFN duty: bags 15–20%, shoes 25–30%, "
            "textiles 15–25%.",
            confidence="verified",
            source_note="Baker McKenzie (PMK 199/2019); voi.id; HSF; ideatax.",
        ),
    ],
    "AU": [
        _r(
            date(2018, 7, 1),
            None,
            tax_name="GST",
            standard_rate="0.10",
            rate_notes="GST-free food, health etc. ❓",
            duty_de_minimis=("1000", "AUD"),
            tax_de_minimis=("1000", "AUD"),
            collect_at_sale_threshold=("1000", "AUD"),
            collection_model="≤ A$1,000: GST-registered vendors, marketplaces (EDPs) and redeliverers charge 10% GST "
            "at sale (registration threshold A$75k). > A$1,000: duty + GST + clearance at the border.",
            b2b_rule="no_tax_at_sale",
            b2b_tax_id_kind="ABN + GST-registered declaration",
            b2b_invoice_wording="Buyer is GST-registered (ABN given): no GST charged at sale",
            b2b_confidence="verified",
            china_origin_notes="ChAFTA: 0% duty on most goods with Chinese origin documents (the general rate applies "
            "when lower).",
            confidence="verified",
            source_note="ATO LCR 2017/D2; caelites; ABF ChAFTA FAQ.",
        ),
    ],
    "JP": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="Consumption tax (JCT)",
            standard_rate="0.10",
            rate_notes="8% on food and newspapers ❓.",
            duty_de_minimis=("10000", "JPY"),
            tax_de_minimis=("10000", "JPY"),
            collect_at_sale_threshold=None,
            collection_model="Below ¥10,000 taxable value no duty or JCT (for personal imports 60% of retail price "
            "❓). The exemption ends on/after 2028-04-01 per SK Advisory (press says 2026 ⚠️); platforms with "
            "> ¥5bn intermediary sales will be liable for JCT.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="SK Advisory; vatabout; Shopify/worldwide tax 0.1.",
        ),
    ],
    "KR": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.10",
            rate_notes="",
            duty_de_minimis=("150", "USD"),
            tax_de_minimis=("150", "USD"),
            collect_at_sale_threshold=None,
            collection_model="List clearance up to USD 150 (USD 200 for US origin under KORUS); needs the buyer's "
            "Personal Customs Clearance Code. Same-day shipments from one site are aggregated; food, supplements, "
            "cosmetics and medicines go through general clearance.",
            b2b_rule="importer_pays_at_border",
            b2b_tax_id_kind="PCCC (P + 12 digits) for individuals / business registration number",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="krutils; millionscode.",
        ),
    ],
    "SA": [
        _r(
            date(2024, 1, 1),
            None,
            tax_name="VAT",
            standard_rate="0.15",
            rate_notes="",
            duty_de_minimis=("1000", "SAR"),
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Duty-free up to SAR 1,000 (incl. shipping) for personal shipments; 15% VAT on all "
            "imports; the carrier clears. GCC common external tariff 5% on CIF above.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="verified",
            source_note="Saudi Gazette; Deloitte ME; u.ae (GCC tariff).",
        ),
    ],
    "AE": [
        _r(
            date(2023, 1, 1),
            date(2023, 3, 1),
            tax_name="VAT",
            standard_rate="0.05",
            rate_notes="",
            duty_de_minimis=("300", "AED"),
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="Dubai cut the duty de minimis to AED 300 on 2023-01-01.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="hidubai.",
        ),
        _r(
            date(2023, 3, 1),
            None,
            tax_name="VAT",
            standard_rate="0.05",
            rate_notes="",
            duty_de_minimis=("1000", "AED"),
            tax_de_minimis=None,
            collect_at_sale_threshold=None,
            collection_model="5% VAT on imports (CIF × 5% for ≤ AED 1,000). Above AED 1,000: 5% duty on CIF + an "
            "admin fee (~AED 65 ❓) + VAT.",
            b2b_rule="importer_pays_at_border",
            b2b_confidence="placeholder",
            confidence="uncertain",
            source_note="hidubai; Zoho UAE VAT; reallaw (Federal Decree-Law 8/2017).",
        ),
    ],
}
