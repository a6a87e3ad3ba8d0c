"""Provincial sales taxes on imports, by the postal code's first letter (CA).

From cross-border-facts.md §2 (CRA table, ✅): HST ON 13%; NB/NL/PE 15%; NS 15% until
2025-03-31 and 14% from 2025-04-01; QC 5% GST + 9.975% QST; BC 5% + 7% PST; MB 5% + 7%
RST; SK 5% + 6% PST; AB and the territories GST 5% only. Periods start with the CA tax
regime (2020-07-01). Postal districts: A NL, B NS, C PE, E NB, G/H/J QC, K/L/M/N/P ON,
R MB, S SK, T AB, V BC, X NT/NU, Y YT.
"""

from datetime import date

START = date(2020, 7, 1)
NS_CUT = date(2025, 4, 1)
SOURCE = "CRA GST/HST rates by province (invoicemama); vatcalc NS cut (facts §2)"


def _row(region, name, prefixes, tax_name="", rate="0", *, hst=False, start=START, end=None):
    return {
        "region": region,
        "region_name": name,
        "postal_prefixes": prefixes,
        "national_tax_name": "GST",
        "tax_name": tax_name,
        "rate": rate,
        "replaces_national": hst,
        "effective_from": start,
        "effective_to": end,
        "confidence": "verified",
        "source_note": SOURCE,
    }


REGIONAL_TAXES: dict[str, list[dict]] = {
    "CA": [
        _row("NL", "Newfoundland and Labrador", "A", "HST", "0.15", hst=True),
        _row("NS", "Nova Scotia", "B", "HST", "0.15", hst=True, end=NS_CUT),
        _row("NS", "Nova Scotia", "B", "HST", "0.14", hst=True, start=NS_CUT),
        _row("PE", "Prince Edward Island", "C", "HST", "0.15", hst=True),
        _row("NB", "New Brunswick", "E", "HST", "0.15", hst=True),
        _row("QC", "Quebec", "G H J", "QST", "0.09975"),
        _row("ON", "Ontario", "K L M N P", "HST", "0.13", hst=True),
        _row("MB", "Manitoba", "R", "RST", "0.07"),
        _row("SK", "Saskatchewan", "S", "PST", "0.06"),
        _row("AB", "Alberta", "T"),
        _row("BC", "British Columbia", "V", "PST", "0.07"),
        _row("NT", "Northwest Territories and Nunavut", "X"),
        _row("YT", "Yukon", "Y"),
    ],
}
