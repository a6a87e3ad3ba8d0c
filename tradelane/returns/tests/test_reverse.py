"""Reverse logistics services: the return label on approval, pickup or drop-off, the label
PDF, the simulated carrier to the return point, scans (duplicates, older events, the return
point's scan-in), tenancy and races. The API and the pages: test_reverse_http.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from tradelane.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from tradelane.core.models import AuditEntry, OutboxEvent
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.logistics.fulfilment import tracking
from tradelane.markets.models import Market
from tradelane.orders.testing import ADDRESSES
from tradelane.returns import points, reverse, reverse_simulation, services
from tradelane.returns.models import ReturnPoint, ReverseShipment
from tradelane.returns.tasks import advance_reverse_shipments
from tradelane.returns.testing import (
    approved_return,
    delivered_order,
    parcel_of,
    valuable_sku,
)

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 11, 26)


def _statuses(shipment):
    return [h.to_status for h in reverse.history_of(shipment)]


def _barcodes(pdf: bytes) -> dict[str, str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        size = (round(page.get_width()), round(page.get_height()))
        image = page.render(scale=300 / 72).to_pil()
        text = page.get_textpage().get_text_range()
        page.close()
    finally:
        document.close()
    codes = {result.format.name: result.text for result in zxingcpp.read_barcodes(image)}
    return {"size": size, "text": text, **codes}


# --- the label on approval --------------------------------------------------------------------


def test_auto_approval_with_a_photo_creates_a_drop_off_label_to_the_return_point(approved):
    shipment = parcel_of(approved)
    assert approved.status == "approved" and approved.auto_approved
    assert re.fullmatch(r"RV\d{9}US", shipment.tracking_number)
    assert tracking.is_valid(shipment.tracking_number)
    assert shipment.return_point.market_id == "US"
    assert shipment.sender == {"country_code": "US", **approved.order.shipping_address}
    assert shipment.sender["street_address"] == ADDRESSES["US"]["street_address"]
    assert (shipment.method, shipment.pickup_on, shipment.status) == ("drop_off", None, "created")
    assert (shipment.cost, shipment.currency) == (Decimal("7.5000"), "USD")
    assert shipment.gross_kg == Decimal("0.480")  # 0.240 kg gross a unit × 2
    assert _statuses(shipment) == ["created"]


def test_merchant_approval_creates_the_label_with_its_own_serial(
    approved, buyer_owner, merchant_owner
):
    order = delivered_order(buyer_owner, merchant_owner, sku=valuable_sku(merchant_owner))
    requested = services.request_return(
        actor=buyer_owner, order_line_id=order.lines.get().pk, quantity=1, reason="defective"
    )
    assert not ReverseShipment.objects.filter(request=requested).exists()
    services.approve_return(actor=merchant_owner, return_id=requested.pk)
    second = parcel_of(requested)
    first = parcel_of(approved)
    assert second.tracking_number != first.tracking_number
    assert tracking.is_valid(second.tracking_number) and second.gross_kg == Decimal("0.240")
    assert reverse.create_label(requested).pk == second.pk  # idempotent


def test_a_market_without_a_return_point_gets_the_seeded_default(approved):
    ReturnPoint.objects.filter(market_id="DE").delete()
    point = points.return_point_for("de")
    assert (point.market_id, point.currency, point.city) == ("DE", "EUR", "Leipzig")
    assert (point.reverse_label_cost, point.returnless_share) == (Decimal("5.5"), Decimal("1"))
    assert points.return_point_for("DE").pk == point.pk
    with pytest.raises(NotFound):
        points.return_point_for("ZZ")


def test_the_migration_gave_every_market_a_return_point():
    markets = dict(Market.objects.values_list("code", "currency"))
    points = dict(ReturnPoint.objects.values_list("market_id", "currency"))
    assert markets and points == {code: c for code, c in markets.items()}


# --- pickup or drop-off ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (None, "required"),
        ("2026-11-26", "pickup_date_out_of_range"),  # today
        ("2026-11-28", "not_a_business_day"),  # Saturday
        ("2026-12-11", "pickup_date_out_of_range"),  # 15 days ahead
        ("26/11/2026", "invalid"),
    ],
)
def test_pickup_date_must_be_a_business_day_from_tomorrow_to_14_days(
    approved, buyer_owner, day, code
):
    with pytest.raises(InvalidInput) as error:
        reverse.choose_method(
            actor=buyer_owner, return_id=approved.pk, method="pickup", pickup_on=day, today=THURSDAY
        )
    assert (error.value.field, error.value.code) == ("pickup_on", code)
    shipment = parcel_of(approved)
    assert (shipment.method, shipment.pickup_on, shipment.cost) == (
        "drop_off",
        None,
        Decimal("7.5000"),
    )


def test_pickup_reprices_and_drop_off_prices_back(approved, buyer_owner):
    for day in ("2026-11-27", "2026-12-10"):
        shipment = reverse.choose_method(
            actor=buyer_owner, return_id=approved.pk, method="pickup", pickup_on=day, today=THURSDAY
        )
        assert (shipment.method, shipment.pickup_on.isoformat()) == ("pickup", day)
        assert shipment.cost == Decimal("10.5000")  # 7.50 label + 3.00 pickup
    shipment = reverse.choose_method(
        actor=buyer_owner, return_id=approved.pk, method="drop_off", today=THURSDAY
    )
    assert (shipment.method, shipment.pickup_on, shipment.cost) == (
        "drop_off",
        None,
        Decimal("7.5"),
    )
    with pytest.raises(InvalidInput) as error:
        reverse.choose_method(actor=buyer_owner, return_id=approved.pk, method="courier")
    assert error.value.field == "method"


def test_method_cannot_change_once_the_parcel_is_scanned(approved, buyer_owner):
    number = parcel_of(approved).tracking_number
    reverse.record_scan(tracking_number=number, code="dropped_off")
    with pytest.raises(Conflict) as error:
        reverse.choose_method(
            actor=buyer_owner, return_id=approved.pk, method="pickup", pickup_on="2026-11-27",
            today=THURSDAY,
        )  # fmt: skip
    assert error.value.code == "already_scanned"
    assert parcel_of(approved).method == "drop_off"


def test_only_the_buyer_chooses_and_another_buyer_gets_404(approved, merchant_owner, other_buyer):
    for actor in (merchant_owner, other_buyer):
        with pytest.raises(NotFound):
            reverse.choose_method(actor=actor, return_id=approved.pk, method="drop_off")


# --- the label --------------------------------------------------------------------------------


def test_label_pdf_is_4x6_and_its_barcodes_decode_to_the_tracking_number(
    api, approved, buyer_owner, merchant_owner, operator_support
):
    number = parcel_of(approved).tracking_number
    merchant_copy = api(merchant_owner).get(f"/returns/{approved.pk}/label")
    assert merchant_copy.status_code == 200 and merchant_copy["Content-Type"] == "application/pdf"
    assert parcel_of(approved).label_printed_at is None  # only the buyer's print counts
    response = api(buyer_owner).get(f"/returns/{approved.pk}/label")
    assert response.status_code == 200
    decoded = _barcodes(response.content)
    assert decoded["size"] == (288, 432)
    assert (decoded["Code128"], decoded["QRCode"]) == (number, number)
    for text in ("REVERSE ECONOMY", approved.number, "Tradelane Returns US", "Jane Buyer"):
        assert text in decoded["text"]
    printed = parcel_of(approved).label_printed_at
    assert printed is not None
    again = api(operator_support).get(f"/returns/{approved.pk}/label")
    assert again.content == response.content  # reprints are identical
    api(buyer_owner).get(f"/returns/{approved.pk}/label")
    assert parcel_of(approved).label_printed_at == printed


def test_other_tenants_get_404_on_the_label_and_theparcel_of(
    api, page_client, approved, other_buyer, other_merchant
):
    for intruder in (other_buyer, other_merchant):
        for path in (f"/returns/{approved.pk}/label", f"/returns/{approved.pk}/shipment"):
            response = api(intruder).get(path)
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        page = page_client(intruder).get(f"/returns/{approved.pk}/label.pdf")
        assert page.status_code == 404
    assert parcel_of(approved).label_printed_at is None


def test_a_return_without_a_label_has_noparcel_of(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, sku=valuable_sku(merchant_owner))
    requested = services.request_return(
        actor=buyer_owner, order_line_id=order.lines.get().pk, quantity=1, reason="defective"
    )
    response = api(buyer_owner).get(f"/returns/{requested.pk}/shipment")
    assert response.status_code == 404 and response.json()["field"] == "return_id"


# --- the simulated carrier and scans ----------------------------------------------------------


def test_simulated_carrier_carries_a_dropped_off_parcel_to_the_return_point(approved):
    shipment = parcel_of(approved)
    since = shipment.status_since
    assert reverse_simulation.advance(now=since + timedelta(hours=23), speed=1) == 0
    assert reverse_simulation.advance(now=since + timedelta(hours=24), speed=1) == 1
    assert parcel_of(approved).status == "dropped_off"
    approved.refresh_from_db()
    assert approved.status == "in_transit"
    assert reverse_simulation.advance(now=since + timedelta(hours=100), speed=1) == 2
    shipment = parcel_of(approved)
    assert _statuses(shipment) == ["created", "dropped_off", "in_transit", "arrived"]
    assert shipment.arrived_at == since + timedelta(hours=24 + 6 + 36)
    assert [h.location for h in reverse.history_of(shipment)][1:] == [
        "MOUNTAIN VIEW drop-off point",
        "US sorting centre",
        "Tradelane Returns US, Memphis",
    ]
    approved.refresh_from_db()
    assert approved.status == "received"
    assert [h.to_status for h in approved.history.order_by("id")][-2:] == [
        "in_transit",
        "received",
    ]
    topics = list(
        OutboxEvent.objects.filter(
            topic__in=("returns.return_in_transit", "returns.return_received")
        )
        .order_by("id")
        .values_list("topic", "payload__tracking_number")
    )
    assert topics == [
        ("returns.return_in_transit", shipment.tracking_number),
        ("returns.return_received", shipment.tracking_number),
    ]
    assert reverse_simulation.advance(now=since + timedelta(hours=500), speed=1) == 0


def test_simulated_pickup_happens_on_the_pickup_date_and_the_clock_speed_scales(
    approved, buyer_owner, settings
):
    day = reverse.pickup_days()[0]
    reverse.choose_method(actor=buyer_owner, return_id=approved.pk, method="pickup", pickup_on=day)
    since = parcel_of(approved).status_since
    gap = datetime.combine(day, time(10), tzinfo=UTC) - since
    assert reverse_simulation.advance(now=since + gap - timedelta(minutes=1), speed=1) == 0
    assert reverse_simulation.advance(now=since + gap, speed=1) == 1
    assert _statuses(parcel_of(approved)) == ["created", "picked_up"]
    # at 3600× the 6 simulated hours to the sorting centre take 6 seconds
    picked = parcel_of(approved).status_since
    settings.FULFILMENT_CLOCK_SPEED = 3600
    assert reverse_simulation.advance(now=picked + timedelta(seconds=5)) == 0
    assert reverse_simulation.advance(now=picked + timedelta(seconds=6)) == 1
    assert parcel_of(approved).status == "in_transit"


def test_duplicate_and_older_scans_are_ignored_and_never_move_back(approved):
    number = parcel_of(approved).tracking_number
    at = timezone.now()
    applied = reverse.record_scan(tracking_number=number, code="in_transit", at=at)
    assert applied.outcome == "applied"
    shipment = parcel_of(approved)
    assert _statuses(shipment) == ["created", "dropped_off", "in_transit"]  # skipped step filled
    history = list(reverse.history_of(shipment).values_list("id", "to_status", "note"))
    assert history[1][2] == "implied by a later scan"
    assert reverse.record_scan(tracking_number=number, code="in_transit").outcome == "duplicate"
    stale = reverse.record_scan(tracking_number=number, code="picked_up", at=at + timedelta(1))
    assert stale.outcome == "stale"
    shipment = parcel_of(approved)
    assert (shipment.status, shipment.status_since) == ("in_transit", at)
    assert list(reverse.history_of(shipment).values_list("id", "to_status", "note")) == history
    approved.refresh_from_db()
    assert approved.status == "in_transit"
    assert OutboxEvent.objects.filter(topic="returns.return_in_transit").count() == 1
    with pytest.raises(InvalidInput) as error:
        reverse.record_scan(tracking_number=number, code="created")
    assert error.value.field == "code"


def test_scan_in_checks_the_number_then_receives_once(approved, operator_support, buyer_owner):
    number = parcel_of(approved).tracking_number
    wrong_digit = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
    cases = [
        (wrong_digit, "invalid_check_digit"),
        ("RV12", "invalid_tracking_number"),
        ("", "required"),
    ]
    for typed, code in cases:
        with pytest.raises(InvalidInput) as error:
            reverse.receive(actor=operator_support, tracking_number=typed)
        assert (error.value.field, error.value.code) == ("tracking_number", code)
    with pytest.raises(NotFound):  # a valid number of no reverse parcel
        reverse.receive(actor=operator_support, tracking_number=tracking.tracking_number(
            99_999_998, "US", service="RV"))  # fmt: skip
    with pytest.raises(Forbidden):
        reverse.receive(actor=buyer_owner, tracking_number=number)
    assert parcel_of(approved).status == "created"
    assert not AuditEntry.objects.filter(action="returns.parcel_received").exists()

    spaced = " ".join([number[:2].lower(), number[2:6], number[6:11], number[11:]])
    shipment = reverse.receive(actor=operator_support, tracking_number=spaced)
    assert shipment.status == "arrived"
    assert _statuses(shipment) == ["created", "dropped_off", "in_transit", "arrived"]
    approved.refresh_from_db()
    assert approved.status == "received"
    assert AuditEntry.objects.filter(
        action="returns.parcel_received", target_id=str(approved.pk)
    ).exists()
    with pytest.raises(Conflict) as error:
        reverse.receive(actor=operator_support, tracking_number=number)
    assert error.value.code == "already_received"


def test_beat_task_advances_the_simulated_parcels(approved):
    ReverseShipment.objects.filter(request=approved).update(
        status_since=timezone.now() - timedelta(days=30)
    )
    assert advance_reverse_shipments() == 3
    approved.refresh_from_db()
    assert approved.status == "received"


# --- races (PostgreSQL) -----------------------------------------------------------------------


@postgres_only
@race
def test_concurrent_scans_and_scan_ins_move_the_parcel_and_the_request_once(
    buyer_owner, merchant_owner, operator_support
):
    request = approved_return(buyer_owner, merchant_owner)
    number = parcel_of(request).tracking_number

    def carrier():
        return reverse.record_scan(tracking_number=number, code="arrived").outcome

    def scan_in():
        return reverse.receive(actor=operator_support, tracking_number=number).status

    results = run_together(*[carrier for _ in range(4)], *[scan_in for _ in range(4)])
    applied = [r for r in results if r[1] in ("applied", "arrived")]
    assert len(applied) == 1, results
    others = [r[1] for r in results if r not in applied]
    assert all(
        o == "duplicate" or (isinstance(o, Conflict) and o.code == "already_received")
        for o in others
    ), others
    shipment = parcel_of(request)
    assert _statuses(shipment) == ["created", "dropped_off", "in_transit", "arrived"]
    request.refresh_from_db()
    assert request.status == "received"
    assert [h.to_status for h in request.history.order_by("id")] == [
        "requested",
        "approved",
        "in_transit",
        "received",
    ]
    assert OutboxEvent.objects.filter(topic="returns.return_received").count() == 1
