"""Customs declaration / commercial invoice (CN23-like) and packing list, A4 PDFs."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import DocumentData, fonts


def _styles():
    regular, bold = fonts()
    return (
        ParagraphStyle("body", fontName=regular, fontSize=9, leading=11),
        ParagraphStyle("title", fontName=bold, fontSize=14, leading=18),
        ParagraphStyle("head", fontName=bold, fontSize=9, leading=11),
    )


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _doc(buffer: BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Tradelane",
        invariant=1,
        pageCompression=0,
    )


def _grid(rows, widths, head) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _parties(data: DocumentData, body, head) -> Table:
    sender = "\n".join([data.sender_name, *data.sender_address, data.sender_phone])
    receiver = "\n".join(
        [data.receiver_name, *data.receiver_address]
        + ([f"Tax id: {data.buyer_tax_id}"] if data.buyer_tax_id else [])
    )
    rows = [
        [_p("Sender (exporter)", head), _p("Receiver (importer)", head)],
        [_p(sender, body), _p(receiver, body)],
    ]
    return _grid(rows, [90 * mm, 90 * mm], head)


def customs_declaration_pdf(data: DocumentData) -> bytes:
    body, title, head = _styles()
    buffer = BytesIO()
    doc = _doc(buffer, f"Customs declaration {data.tracking_number}")
    story = [
        _p("COMMERCIAL INVOICE / CUSTOMS DECLARATION (CN23)", title),
        _p(
            f"Tracking {data.tracking_number} · order {data.order_number} · "
            f"{data.origin} → {data.destination} · {data.tier} · incoterm {data.incoterm} · "
            f"{data.created_on}",
            body,
        ),
        Spacer(1, 4 * mm),
        _parties(data, body, head),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            _p(h, head)
            for h in ("Description", "HS code", "Origin", "Qty", "Net kg", "Unit value", "Value")
        ]
    ]
    for item in data.items:
        rows.append(
            [
                _p(f"{item.title} ({item.sku_code})", body),
                _p(item.hs_code, body),
                _p(item.origin_country, body),
                _p(str(item.quantity), body),
                _p(str(item.net_kg), body),
                _p(f"{item.unit_value} {data.currency}", body),
                _p(f"{item.value} {data.currency}", body),
            ]
        )
    widths = [w * mm for w in (56, 20, 14, 14, 18, 28, 30)]
    story.append(_grid(rows, widths, head))
    story += [
        Spacer(1, 4 * mm),
        _p(f"Total value of goods: {data.goods_total} {data.currency}", head),
        _p(f"Shipping: {data.shipping_total} {data.currency}", body),
        _p(f"Pieces: {len(data.cartons)} · gross weight {data.gross_kg} kg", body),
        _p("Category of item: sale of goods", body),
        *[_p(note, body) for note in data.notes],
        Spacer(1, 6 * mm),
        _p(
            "I certify that the particulars given in this declaration are correct and that "
            "this item does not contain any dangerous article prohibited by legislation.",
            body,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def packing_list_pdf(data: DocumentData) -> bytes:
    body, title, head = _styles()
    buffer = BytesIO()
    doc = _doc(buffer, f"Packing list {data.tracking_number}")
    story = [
        _p("PACKING LIST", title),
        _p(f"Tracking {data.tracking_number} · order {data.order_number}", body),
        Spacer(1, 4 * mm),
        _parties(data, body, head),
        Spacer(1, 4 * mm),
    ]
    rows = [[_p(h, head) for h in ("Carton", "Contents", "Gross kg", "L × W × H cm")]]
    for carton in data.cartons:
        rows.append(
            [
                _p(f"{carton.number} / {len(data.cartons)}", body),
                _p(carton.contents, body),
                _p(str(carton.weight_kg), body),
                _p(" × ".join(str(d) for d in carton.dims_cm), body),
            ]
        )
    story.append(_grid(rows, [22 * mm, 90 * mm, 25 * mm, 43 * mm], head))
    story += [Spacer(1, 4 * mm), _p(f"Total gross weight {data.gross_kg} kg", head)]
    doc.build(story)
    return buffer.getvalue()
