"""Default return policies and return points per market (data: loaded by migrations 0002
and 0004, never overwriting operator edits; a market added later is served from these
defaults by `selectors.effective_policy` and `points.return_point_for`).

B2B has no statutory right of withdrawal: the default covers defects, transit damage,
not-as-described, wrong and missing items for 30 days from delivery (platform benchmark:
Alibaba.com Trade Assurance, 30 days after receipt). "Changed mind" is covered only where a
merchant opts in, with the market's consumer-style window (reference/cross-border-facts.md
§6.1): EU and GB 14 days from delivery, MX 5 business days (LFPC art. 56), JP 8 days
(no stated policy), KR 7 days, SA 7 days, US 30 days (market norm); markets without a
statutory window use 14 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .states import B2B_REASONS, Reason


@dataclass(frozen=True)
class MarketDefault:
    window_days: int = 30
    changed_mind_days: int = 14
    changed_mind_business_days: bool = False
    decision_days: int = 3  # the merchant decides within this many days
    auto_approve_days: int = 7  # transit damage with a photo, within 7 days of delivery
    auto_approve_reasons: tuple[str, ...] = (Reason.DAMAGED_IN_TRANSIT,)
    covered_reasons: tuple[str, ...] = tuple(B2B_REASONS)
    source: str = "platform default; no statutory change-of-mind window"


EU = "EU consumer withdrawal: 14 days from delivery (Directive 2011/83/EU)"
GENERIC = MarketDefault()
DEFAULTS: dict[str, MarketDefault] = {
    "DE": MarketDefault(changed_mind_days=14, source=EU),
    "FR": MarketDefault(changed_mind_days=14, source=EU),
    "ES": MarketDefault(changed_mind_days=14, source=EU),
    "IT": MarketDefault(changed_mind_days=14, source=EU),
    "NL": MarketDefault(changed_mind_days=14, source=EU),
    "GB": MarketDefault(
        changed_mind_days=14, source="UK Consumer Contracts Regulations 2013: 14 days"
    ),
    "US": MarketDefault(changed_mind_days=30, source="no federal right; market norm 30 days"),
    "MX": MarketDefault(
        changed_mind_days=5,
        changed_mind_business_days=True,
        source="LFPC art. 56: 5 business days",
    ),
    "JP": MarketDefault(changed_mind_days=8, source="no stated policy: 8 days from receipt"),
    "KR": MarketDefault(changed_mind_days=7, source="7 days from receipt"),
    "SA": MarketDefault(changed_mind_days=7, source="7 days if unused"),
}


def default_for(market: str) -> MarketDefault:
    return DEFAULTS.get(market.upper(), GENERIC)


# --- return points ----------------------------------------------------------------------------
# One platform return point per market (a processing point, not a stock warehouse), with the
# tariff that prices reverse labels and every disposition option, in the market's currency.
# Figures are planning defaults for a domestic reverse economy parcel and a consolidated
# parcel back to the merchant's origin (operators edit them): a reverse label costs about
# what a domestic economy parcel costs in the market; a consolidated parcel to China costs
# a base plus a rate per kg; liquidation lots recover 15–20% of the value (lower where
# recommerce channels are thin); returnless refunds apply when returning would cost more
# than the item is worth (Temu's rule "return freight > item value"; the rule of thumb
# value ≤ k × reverse cost with k ≈ 1.0–1.5 gives a share of 0.67–1.0), reference/
# cross-border-facts.md §6.3–6.4.


@dataclass(frozen=True)
class Tariff:
    currency: str
    reverse_label_cost: str
    pickup_surcharge: str
    handling_fee: str
    consolidation_parcel_cost: str
    consolidation_per_kg: str
    disposal_fee: str
    liquidation_share: str = "0.2000"
    returnless_share: str = "1.0000"


TARIFFS: dict[str, Tariff] = {
    "USD": Tariff("USD", "7.50", "3.00", "2.50", "45.00", "6.50", "1.50"),
    "CAD": Tariff("CAD", "10.00", "4.00", "3.50", "60.00", "9.00", "2.00"),
    "MXN": Tariff("MXN", "120.00", "50.00", "45.00", "800.00", "110.00", "25.00", "0.1500"),
    "GBP": Tariff("GBP", "4.50", "2.50", "2.00", "35.00", "5.00", "1.20"),
    "EUR": Tariff("EUR", "5.50", "3.00", "2.50", "40.00", "6.00", "1.50"),
    "SGD": Tariff("SGD", "6.00", "3.00", "3.00", "50.00", "7.00", "2.00"),
    "MYR": Tariff("MYR", "12.00", "5.00", "6.00", "150.00", "20.00", "4.00", "0.1500"),
    "THB": Tariff("THB", "80.00", "40.00", "50.00", "1300.00", "180.00", "30.00", "0.1500"),
    "PHP": Tariff("PHP", "150.00", "60.00", "80.00", "2200.00", "300.00", "50.00", "0.1500"),
    "VND": Tariff("VND", "40000", "20000", "30000", "900000", "120000", "20000", "0.1500"),
    "IDR": Tariff("IDR", "25000", "12000", "20000", "600000", "80000", "15000", "0.1500"),
    "AUD": Tariff("AUD", "11.00", "4.50", "4.00", "65.00", "9.50", "2.50"),
    "JPY": Tariff("JPY", "900", "400", "350", "6000", "900", "250"),
    "KRW": Tariff("KRW", "5000", "2500", "3000", "55000", "8000", "2000"),
    "SAR": Tariff("SAR", "25.00", "10.00", "10.00", "170.00", "24.00", "6.00", "0.1500"),
    "AED": Tariff("AED", "25.00", "10.00", "10.00", "165.00", "24.00", "6.00", "0.1500"),
}
# A market whose currency has no tariff here (a market added by configuration) gets the
# USD tariff, priced in USD, until an operator edits it.
FALLBACK_TARIFF = TARIFFS["USD"]


@dataclass(frozen=True)
class PointAddress:
    city: str
    postal_code: str
    street: str


POINT_ADDRESSES: dict[str, PointAddress] = {
    "US": PointAddress("Memphis", "38118", "3900 Airways Blvd, Dock 12"),
    "CA": PointAddress("Mississauga", "L5T 2N7", "6500 Silver Dart Dr, Unit 4"),
    "MX": PointAddress("Tlalnepantla", "54030", "Av. Mario Colín 210, Bodega 3"),
    "GB": PointAddress("Daventry", "NN11 8RB", "DIRFT, Unit 7, Royal Oak Way"),
    "DE": PointAddress("Leipzig", "04435", "Flughafenstraße 44, Halle 2"),
    "FR": PointAddress("Roissy-en-France", "95700", "12 rue du Fret, Bâtiment C"),
    "ES": PointAddress("Coslada", "28823", "Calle de la Logística 8, Nave 5"),
    "IT": PointAddress("Segrate", "20054", "Via Cassanese 100, Magazzino B"),
    "NL": PointAddress("Hoofddorp", "2132 LS", "Logistiekweg 20, Hal 3"),
    "SG": PointAddress("Singapore", "498760", "9 Changi South Street 3, #02-01"),
    "MY": PointAddress("Shah Alam", "40150", "Jalan Jurunilai U1/20, Lot 5"),
    "TH": PointAddress("Bang Phli", "10540", "88 Moo 6, Bangna-Trad Km 23"),
    "PH": PointAddress("Pasay", "1300", "NAIA Cargo Complex, Bay 14"),
    "VN": PointAddress("Thu Duc", "71300", "Lô I-3, Khu Công nghệ cao"),
    "ID": PointAddress("Tangerang", "15126", "Jl. Soekarno-Hatta Cargo Area, Gudang 9"),
    "AU": PointAddress("Mascot", "2020", "7 Qantas Dr, Bay 3"),
    "JP": PointAddress("Narita", "282-0021", "Kaiso-chiku 3-2, Warehouse 6"),
    "KR": PointAddress("Incheon", "22382", "Airport Logistics Park 2, Gate 11"),
    "SA": PointAddress("Riyadh", "13413", "King Khalid Airport Cargo Village, Unit 21"),
    "AE": PointAddress("Dubai", "", "Dubai South Logistics District, Unit B-14"),
}


def return_point_default(market: str, currency: str, market_name: str = "") -> dict:
    """The fields of a market's default return point (for the migration and for markets
    that have none yet: the market's name stands in for the city until an operator edits
    it)."""
    market = market.upper()
    tariff = TARIFFS.get(currency.upper(), FALLBACK_TARIFF)
    place = POINT_ADDRESSES.get(market, PointAddress(market_name or market, "", ""))
    return {
        "name": f"Tradelane Returns {market}",
        "address": [line for line in (place.street,) if line],
        "city": place.city,
        "postal_code": place.postal_code,
        "currency": tariff.currency,
        "reverse_label_cost": Decimal(tariff.reverse_label_cost),
        "pickup_surcharge": Decimal(tariff.pickup_surcharge),
        "handling_fee": Decimal(tariff.handling_fee),
        "consolidation_parcel_cost": Decimal(tariff.consolidation_parcel_cost),
        "consolidation_per_kg": Decimal(tariff.consolidation_per_kg),
        "liquidation_share": Decimal(tariff.liquidation_share),
        "disposal_fee": Decimal(tariff.disposal_fee),
        "returnless_share": Decimal(tariff.returnless_share),
    }
