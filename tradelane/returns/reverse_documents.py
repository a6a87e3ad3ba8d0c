"""The return label: fulfilment's 4×6 label (Code128 + QR of the tracking number) with the
buyer as sender, the market's return point as receiver, REVERSE ECONOMY as the service and
the return number in place of the order number. Deterministic: reprints are identical."""

from __future__ import annotations

from decimal import Decimal

from tradelane.logistics.fulfilment.documents import Carton, DocumentData
from tradelane.logistics.fulfilment.documents.labels import label_pdf as _label_pdf

from .models import ReverseShipment
from .reverse import SERVICE_NAME


def _sender_lines(address: dict) -> tuple[str, ...]:
    city = " ".join(filter(None, [address.get("postal_code", ""), address.get("city", "")]))
    parts = [
        address.get("company", ""),
        address.get("street_address", ""),
        city,
        address.get("country_area", ""),
        address.get("country_code", ""),
    ]
    return tuple(p for p in parts if p)


def document_data(shipment: ReverseShipment) -> DocumentData:
    """Plain values for the label (the shipment's request and return point loaded)."""
    request = shipment.request
    point = shipment.return_point
    sender = shipment.sender or {}
    city = " ".join(filter(None, [point.postal_code, point.city]))
    return DocumentData(
        tracking_number=shipment.tracking_number,
        order_number=request.number,
        tier=SERVICE_NAME,
        incoterm="RETURN",
        currency=shipment.currency,
        created_on=shipment.created_at.date(),
        sender_name=sender.get("recipient", "") or sender.get("company", ""),
        sender_address=_sender_lines(sender),
        sender_phone=sender.get("phone", ""),
        receiver_name=point.name,
        receiver_address=(*point.address, city, point.market_id),
        origin=sender.get("country_code", point.market_id),
        destination=point.market_id,
        cartons=(
            Carton(
                number=1,
                contents=f"{request.order_line.sku_code} × {request.quantity}",
                weight_kg=shipment.gross_kg,
                dims_cm=(),
            ),
        ),
        gross_kg=Decimal(f"{shipment.gross_kg.normalize():f}"),
    )


def label_pdf(shipment: ReverseShipment) -> bytes:
    return _label_pdf(document_data(shipment))
