"""Order documents: the commercial invoice (PDF, reportlab).

Seller (the merchant and its pickup warehouse), buyer (organisation, delivery address, tax
id), each line with its HS code and origin, quantities and values, the landed-cost lines
charged, the incoterm, and the reverse-charge wording when the quote said it applies.
Deterministic: the same order renders the same bytes (invariant metadata, no timestamps).
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.http import HttpResponse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tradelane.core.money import Money

from .models import Order


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def _address(address: dict) -> str:
    parts = [
        address.get("recipient", ""),
        address.get("company", ""),
        address.get("street_address", ""),
        " ".join(filter(None, [address.get("postal_code", ""), address.get("city", "")])),
        address.get("country_area", ""),
        address.get("country_code", ""),
    ]
    return "\n".join(p for p in parts if p)


def _money(amount, currency: str) -> str:
    return f"{Money(amount, currency).rounded().amount:,} {currency}"


def commercial_invoice(order: Order) -> bytes:
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Italic"]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Commercial invoice {order.number}",
        author="Tradelane",
        invariant=1,
        pageCompression=0,  # text stays searchable (and testable) in the file
    )
    warehouse = order.warehouse
    seller = "\n".join(
        [
            order.merchant.name,
            warehouse.street_address,
            f"{warehouse.postal_code} {warehouse.city}".strip(),
            warehouse.country_area,
            warehouse.country,
        ]
    )
    buyer = order.buyer.name + "\n" + _address(order.shipping_address)
    if order.buyer_tax_id:
        buyer += f"\nTax id: {order.buyer_tax_id}"
    story = [
        _p("COMMERCIAL INVOICE", styles["Title"]),
        Table(
            [
                ["Invoice / order", order.number, "Date", order.created_at.date().isoformat()],
                ["Incoterm", order.incoterm, "Currency", order.currency],
                ["PO number", order.po_number or "-", "Delivery tier", order.tier.title()],
            ],
            colWidths=[30 * mm, 55 * mm, 30 * mm, 55 * mm],
        ),
        Spacer(1, 5 * mm),
        Table(
            [
                [
                    Paragraph("<b>Seller / exporter</b>", body),
                    Paragraph("<b>Buyer / consignee</b>", body),
                ],
                [_p(seller, body), _p(buyer, body)],
            ],
            colWidths=[85 * mm, 85 * mm],
            style=[("VALIGN", (0, 0), (-1, -1), "TOP")],
        ),
        Spacer(1, 5 * mm),
    ]
    rows = [["SKU", "Description", "HS code", "Origin", "Qty", "Unit price", "Amount"]]
    for line in order.lines.all():
        rows.append(
            [
                line.sku_code,
                _p(line.title, body),
                line.hs_code,
                line.origin_country,
                str(line.quantity),
                f"{line.unit_price.normalize():f}",
                _money(line.line_total, order.currency),
            ]
        )
    table = Table(rows, colWidths=[25 * mm, 50 * mm, 22 * mm, 13 * mm, 12 * mm, 20 * mm, 28 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (4, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    totals = [
        ["Goods", _money(order.goods_total, order.currency)],
        ["Shipping", _money(order.shipping_total, order.currency)],
        ["Duties", _money(order.duties_total, order.currency)],
        ["Taxes", _money(order.taxes_total, order.currency)],
        ["Fees", _money(order.fees_total, order.currency)],
        ["Charged at checkout", _money(order.total, order.currency)],
    ]
    if order.due_on_delivery:
        totals.append(["Due on delivery (estimate)", _money(order.due_on_delivery, order.currency)])
    story += [
        Table(totals, colWidths=[60 * mm, 40 * mm], hAlign="RIGHT"),
        Spacer(1, 5 * mm),
    ]
    if order.reverse_charge or order.invoice_wording:
        story.append(_p(order.invoice_wording or "Reverse charge.", body))
    story.append(
        _p(
            "I declare that the information on this invoice is true and correct and that the "
            "goods originate as stated.",
            small,
        )
    )
    doc.build(story)
    return buffer.getvalue()


def invoice_response(order: Order) -> HttpResponse:
    """The commercial invoice as an inline PDF download (pages and API)."""
    response = HttpResponse(commercial_invoice(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{order.number}.pdf"'
    return response
