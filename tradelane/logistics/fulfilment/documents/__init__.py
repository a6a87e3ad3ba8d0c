"""Shipment documents (reportlab, deterministic: the same shipment renders the same bytes).

- `labels.label_pdf`: the 4×6 in label with a Code128 barcode and a QR code of the
  tracking number.
- `customs.customs_declaration_pdf`: the commercial invoice / customs declaration
  (CN23-like: sender, receiver, HS codes, origin, values, weights, incoterm).
- `customs.packing_list_pdf`: cartons and what each holds.

Each takes a `DocumentData` (plain values: no queries), built by `selectors.document_data`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True, slots=True)
class Item:
    sku_code: str
    title: str
    hs_code: str
    origin_country: str
    quantity: int
    unit_value: Decimal
    value: Decimal
    net_kg: Decimal


@dataclass(frozen=True, slots=True)
class Carton:
    number: int
    contents: str  # "SKU × units"
    weight_kg: Decimal
    dims_cm: tuple[Decimal, Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class DocumentData:
    tracking_number: str
    order_number: str
    tier: str
    incoterm: str
    currency: str
    created_on: date
    sender_name: str
    sender_address: tuple[str, ...]
    sender_phone: str
    receiver_name: str
    receiver_address: tuple[str, ...]
    origin: str
    destination: str
    buyer_tax_id: str = ""
    items: tuple[Item, ...] = ()
    cartons: tuple[Carton, ...] = ()
    goods_total: Decimal = Decimal(0)
    shipping_total: Decimal = Decimal(0)
    gross_kg: Decimal = Decimal(0)
    notes: tuple[str, ...] = field(default=())


_FONTS: dict[str, str] = {}


def fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans when installed (names like "Łódź"), else Helvetica."""
    if not _FONTS:
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("TLSans", str(regular)))
            pdfmetrics.registerFont(TTFont("TLSans-Bold", str(bold)))
            _FONTS.update(regular="TLSans", bold="TLSans-Bold")
        else:
            _FONTS.update(regular="Helvetica", bold="Helvetica-Bold")
    return _FONTS["regular"], _FONTS["bold"]
