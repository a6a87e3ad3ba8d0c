"""The 4×6 in shipping label: route, tier, sender, receiver, a Code128 barcode and a QR
code of the tracking number. Reprints are byte-identical (`invariant=1`)."""

from __future__ import annotations

from io import BytesIO

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import code128, qr
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from . import DocumentData, fonts

WIDTH, HEIGHT = 4 * inch, 6 * inch
MARGIN = 4 * mm


def _lines(canvas: Canvas, x: float, y: float, lines, font: str, size: float) -> float:
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawString(x, y, line[:60])
        y -= size + 2
    return y


def label_pdf(data: DocumentData) -> bytes:
    regular, bold = fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=1, pageCompression=0)
    canvas.setTitle(f"Label {data.tracking_number}")
    canvas.setAuthor("Tradelane")
    top = HEIGHT - MARGIN
    # route and tier
    canvas.setFont(bold, 22)
    canvas.drawString(MARGIN, top - 20, f"{data.origin} → {data.destination}")
    canvas.setFont(bold, 14)
    canvas.drawRightString(WIDTH - MARGIN, top - 18, data.tier.upper())
    canvas.setFont(regular, 8)
    canvas.drawRightString(WIDTH - MARGIN, top - 30, f"{data.incoterm} · {data.order_number}")
    canvas.line(MARGIN, top - 36, WIDTH - MARGIN, top - 36)
    # sender, receiver
    y = _lines(canvas, MARGIN, top - 48, ["FROM"], bold, 7)
    y = _lines(
        canvas, MARGIN, y, [data.sender_name, *data.sender_address, data.sender_phone], regular, 8
    )
    canvas.line(MARGIN, y - 2, WIDTH - MARGIN, y - 2)
    y = _lines(canvas, MARGIN, y - 14, ["TO"], bold, 7)
    y = _lines(canvas, MARGIN, y - 6, [data.receiver_name], bold, 12)
    y = _lines(canvas, MARGIN, y, data.receiver_address, regular, 10)
    # weights and pieces
    canvas.setFont(regular, 8)
    canvas.drawString(
        MARGIN, 2.55 * inch, f"{len(data.cartons)} pcs · {data.gross_kg} kg · {data.created_on}"
    )
    # Code128 of the tracking number
    barcode = code128.Code128(data.tracking_number, barHeight=0.9 * inch, barWidth=1.2, quiet=1)
    x = (WIDTH - barcode.width) / 2
    barcode.drawOn(canvas, x, 1.45 * inch)
    canvas.setFont(bold, 12)
    canvas.drawCentredString(WIDTH / 2, 1.25 * inch, data.tracking_number)
    # QR of the tracking number
    widget = qr.QrCodeWidget(data.tracking_number)
    left, bottom, right, top_ = widget.getBounds()
    size = 1.0 * inch
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top_ - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, MARGIN, MARGIN)
    canvas.setFont(regular, 7)
    canvas.drawString(MARGIN + size + 6, MARGIN + 20, "Track: /track/" + data.tracking_number)
    canvas.drawString(MARGIN + size + 6, MARGIN + 10, "Tradelane door-to-door")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
