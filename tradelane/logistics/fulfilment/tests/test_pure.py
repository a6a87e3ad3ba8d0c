"""Pure modules: tracking numbers, signatures, pickup planning, the simulated network,
documents (the label's barcodes are decoded from the rendered PDF)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp

from tradelane.logistics.fulfilment import planning, signing, tracking
from tradelane.logistics.fulfilment.carriers.simulated import SimState, next_event
from tradelane.logistics.fulfilment.documents import Carton, DocumentData, Item
from tradelane.logistics.fulfilment.documents.customs import (
    customs_declaration_pdf,
    packing_list_pdf,
)
from tradelane.logistics.fulfilment.documents.labels import label_pdf
from tradelane.logistics.fulfilment.states import TRANSITIONS, ShipmentStatus


def test_tracking_number_has_s10_check_digit():
    # the UPU S10 example RR 47312482 9 GB: check digit 9
    assert tracking.check_digit("47312482") == 9
    number = tracking.tracking_number(47312482, "cn")
    assert number == "LT473124829CN"
    assert tracking.is_valid(number) and tracking.is_valid("lt 4731 2482 9 cn")
    assert not tracking.is_valid("LT473124828CN")  # one digit off
    assert not tracking.is_valid("LT374124829CN")  # two digits swapped
    with pytest.raises(ValueError):
        tracking.tracking_number(100_000_000, "CN")


def test_signature_verifies_and_refuses_unsigned_tampered_and_stale():
    body = b'{"events": []}'
    signature = signing.sign("s3cret", 1_000, body)
    signing.verify("s3cret", timestamp="1000", signature=signature, body=body, now=1_100)
    with pytest.raises(signing.Unsigned):
        signing.verify("s3cret", timestamp="1000", signature=None, body=body, now=1_000)
    with pytest.raises(signing.Unsigned):
        signing.verify("s3cret", timestamp="1000", signature=signature, body=b"{}", now=1_000)
    with pytest.raises(signing.Stale):
        signing.verify("s3cret", timestamp="1000", signature=signature, body=body, now=1_301)


SITE = planning.Site("Asia/Shanghai", frozenset({1, 2, 3, 4, 5}), time(16, 0), capacity=5)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC) - timedelta(hours=8)  # Shanghai local


def test_pickup_after_cutoff_or_on_a_closed_day_goes_to_the_next_opening_day():
    friday = date(2026, 11, 27)
    assert planning.first_day(SITE, _at(friday, 15)) == friday
    assert planning.first_day(SITE, _at(friday, 17)) == date(2026, 11, 28)
    result = planning.plan(SITE, [planning.Parcel(1, 1, _at(friday, 17))])
    assert result.days == {1: date(2026, 11, 30)}  # Saturday → Monday


def test_planned_pickups_never_exceed_capacity():
    monday = date(2026, 11, 30)
    parcels = [planning.Parcel(i, 1 + i % 3, _at(monday, 9)) for i in range(1, 13)]
    result = planning.plan(SITE, parcels, booked={monday: 3})
    assert all(load <= SITE.capacity for load in result.load.values())
    assert sum(p.cartons for p in parcels if p.id in result.days) + 3 == sum(result.load.values())
    assert result.load[monday] == 5 and not result.unplaced
    too_big = planning.plan(SITE, [planning.Parcel(99, 6, _at(monday, 9))])
    assert too_big.unplaced == (99,) and too_big.days == {}


def test_simulated_network_follows_canonical_milestones_on_the_accelerated_clock():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    state = SimState(
        "LT000000013CN", "premium", "normal", "picked_up", 1, start, "CN", "US", False, None
    )
    assert next_event(state, start, speed=3600) is None
    event = next_event(state, start + timedelta(seconds=10), speed=3600)
    assert event.code == "at_origin_hub" and event.occurred_at > start
    assert next_event(state, start + timedelta(seconds=10), speed=3600) == event  # same id
    lost = SimState(
        "LT000000013CN", "premium", "lost", "departed", 4, start, "CN", "US", False, None
    )
    assert next_event(lost, start + timedelta(hours=1), speed=3600).code == "lost"


def test_transition_table_has_no_shortcut_to_delivered():
    assert "delivered" not in TRANSITIONS[ShipmentStatus.CREATED]
    assert TRANSITIONS[ShipmentStatus.DELIVERED] == frozenset()
    sources = {s for s, targets in TRANSITIONS.items() if "delivered" in targets}
    assert ShipmentStatus.OUT_FOR_DELIVERY in sources and ShipmentStatus.PICKED_UP not in sources


DATA = DocumentData(
    tracking_number=tracking.tracking_number(1234, "CN"),
    order_number="TL-000001",
    tier="premium",
    incoterm="DDP",
    currency="USD",
    created_on=date(2026, 1, 2),
    sender_name="Łódź Trading · WH",
    sender_address=("1 Keyuan Rd", "518000 Shenzhen", "CN"),
    sender_phone="+8675512345678",
    receiver_name="Jane Buyer",
    receiver_address=("Acme Supply", "1600 Amphitheatre Pkwy", "94043 Mountain View", "US"),
    origin="CN",
    destination="US",
    items=(
        Item(
            "VOLT-65W",
            "65W charger",
            "850440",
            "CN",
            10,
            Decimal("10.00"),
            Decimal("100.00"),
            Decimal("2.000"),
        ),
    ),
    cartons=(Carton(1, "VOLT-65W × 10", Decimal("2.5"), (Decimal(40), Decimal(30), Decimal(20))),),
    goods_total=Decimal("100.00"),
    gross_kg=Decimal("2.5"),
)


def _barcodes(pdf: bytes) -> dict[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        assert (round(page.get_width()), round(page.get_height())) == (288, 432)  # 4×6 in
        image = page.render(scale=300 / 72).to_pil()
        page.close()
    finally:
        document.close()
    return {result.format.name: result.text for result in zxingcpp.read_barcodes(image)}


def test_label_barcode_and_qr_decode_to_the_tracking_number_and_reprint_identically():
    pdf = label_pdf(DATA)
    assert _barcodes(pdf) == {"Code128": "LT000012349CN", "QRCode": "LT000012349CN"}
    assert label_pdf(DATA) == pdf


def test_customs_declaration_and_packing_list_carry_the_trade_data():
    declaration = customs_declaration_pdf(DATA)
    assert declaration.startswith(b"%PDF") and declaration == customs_declaration_pdf(DATA)
    text = pypdfium2.PdfDocument(declaration)[0].get_textpage().get_text_range()
    for expected in ("CN23", "850440", "DDP", "Jane Buyer", "100.00 USD", "2.5 kg"):
        assert expected in text
    packing = pypdfium2.PdfDocument(packing_list_pdf(DATA))[0].get_textpage().get_text_range()
    assert "VOLT-65W × 10" in packing and "40 × 30 × 20" in packing
