"""Reverse logistics: the return label on approval, pickup or drop-off, the label PDF, the
simulated carrier to the return point, scans (duplicates, older events, the return
point's scan-in), tenancy, the API and the pages."""

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
from tradelane.returns.models import ReturnPoint, ReturnRequest, ReverseShipment
from tradelane.returns.tasks import advance_reverse_shipments
from tradelane.returns.testing import delivered_order, photo, valuable_sku

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 11, 26)


def _approved(buyer, merchant, *, quantity=2):
    """Transit damage with a photo, within 7 days of delivery: approved at once."""
    order = delivered_order(buyer, merchant, sku=valuable_sku(merchant), at=timezone.now())
    return services.request_return(
        actor=buyer,
        order_line_id=order.lines.get().pk,
        quantity=quantity,
        reason="damaged_in_transit",
        photos=[photo()],
    )


@pytest.fixture
def approved(buyer_owner, merchant_owner):
    return _approved(buyer_owner, merchant_owner)


def _shipment(request) -> ReverseShipment:
    return ReverseShipment.objects.select_related("return_point").get(request=request)


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
    shipment = _shipment(approved)
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
    second = _shipment(requested)
    first = _shipment(approved)
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
    shipment = _shipment(approved)
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
    number = _shipment(approved).tracking_number
    reverse.record_scan(tracking_number=number, code="dropped_off")
    with pytest.raises(Conflict) as error:
        reverse.choose_method(
            actor=buyer_owner, return_id=approved.pk, method="pickup", pickup_on="2026-11-27",
            today=THURSDAY,
        )  # fmt: skip
    assert error.value.code == "already_scanned"
    assert _shipment(approved).method == "drop_off"


def test_only_the_buyer_chooses_and_another_buyer_gets_404(approved, merchant_owner, other_buyer):
    for actor in (merchant_owner, other_buyer):
        with pytest.raises(NotFound):
            reverse.choose_method(actor=actor, return_id=approved.pk, method="drop_off")


# --- the label --------------------------------------------------------------------------------


def test_label_pdf_is_4x6_and_its_barcodes_decode_to_the_tracking_number(
    api, approved, buyer_owner, merchant_owner, operator_support
):
    number = _shipment(approved).tracking_number
    merchant_copy = api(merchant_owner).get(f"/returns/{approved.pk}/label")
    assert merchant_copy.status_code == 200 and merchant_copy["Content-Type"] == "application/pdf"
    assert _shipment(approved).label_printed_at is None  # only the buyer's print counts
    response = api(buyer_owner).get(f"/returns/{approved.pk}/label")
    assert response.status_code == 200
    decoded = _barcodes(response.content)
    assert decoded["size"] == (288, 432)
    assert (decoded["Code128"], decoded["QRCode"]) == (number, number)
    for text in ("REVERSE ECONOMY", approved.number, "Tradelane Returns US", "Jane Buyer"):
        assert text in decoded["text"]
    printed = _shipment(approved).label_printed_at
    assert printed is not None
    again = api(operator_support).get(f"/returns/{approved.pk}/label")
    assert again.content == response.content  # reprints are identical
    api(buyer_owner).get(f"/returns/{approved.pk}/label")
    assert _shipment(approved).label_printed_at == printed


def test_other_tenants_get_404_on_the_label_and_the_shipment(
    api, page_client, approved, other_buyer, other_merchant
):
    for intruder in (other_buyer, other_merchant):
        for path in (f"/returns/{approved.pk}/label", f"/returns/{approved.pk}/shipment"):
            response = api(intruder).get(path)
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        page = page_client(intruder).get(f"/returns/{approved.pk}/label.pdf")
        assert page.status_code == 404
    assert _shipment(approved).label_printed_at is None


def test_a_return_without_a_label_has_no_shipment(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, sku=valuable_sku(merchant_owner))
    requested = services.request_return(
        actor=buyer_owner, order_line_id=order.lines.get().pk, quantity=1, reason="defective"
    )
    response = api(buyer_owner).get(f"/returns/{requested.pk}/shipment")
    assert response.status_code == 404 and response.json()["field"] == "return_id"


# --- the simulated carrier and scans ----------------------------------------------------------


def test_simulated_carrier_carries_a_dropped_off_parcel_to_the_return_point(approved):
    shipment = _shipment(approved)
    since = shipment.status_since
    assert reverse_simulation.advance(now=since + timedelta(hours=23), speed=1) == 0
    assert reverse_simulation.advance(now=since + timedelta(hours=24), speed=1) == 1
    assert _shipment(approved).status == "dropped_off"
    approved.refresh_from_db()
    assert approved.status == "in_transit"
    assert reverse_simulation.advance(now=since + timedelta(hours=100), speed=1) == 2
    shipment = _shipment(approved)
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
    since = _shipment(approved).status_since
    gap = datetime.combine(day, time(10), tzinfo=UTC) - since
    assert reverse_simulation.advance(now=since + gap - timedelta(minutes=1), speed=1) == 0
    assert reverse_simulation.advance(now=since + gap, speed=1) == 1
    assert _statuses(_shipment(approved)) == ["created", "picked_up"]
    # at 3600× the 6 simulated hours to the sorting centre take 6 seconds
    picked = _shipment(approved).status_since
    settings.FULFILMENT_CLOCK_SPEED = 3600
    assert reverse_simulation.advance(now=picked + timedelta(seconds=5)) == 0
    assert reverse_simulation.advance(now=picked + timedelta(seconds=6)) == 1
    assert _shipment(approved).status == "in_transit"


def test_duplicate_and_older_scans_are_ignored_and_never_move_back(approved):
    number = _shipment(approved).tracking_number
    at = timezone.now()
    applied = reverse.record_scan(tracking_number=number, code="in_transit", at=at)
    assert applied.outcome == "applied"
    shipment = _shipment(approved)
    assert _statuses(shipment) == ["created", "dropped_off", "in_transit"]  # skipped step filled
    history = list(reverse.history_of(shipment).values_list("id", "to_status", "note"))
    assert history[1][2] == "implied by a later scan"
    assert reverse.record_scan(tracking_number=number, code="in_transit").outcome == "duplicate"
    stale = reverse.record_scan(tracking_number=number, code="picked_up", at=at + timedelta(1))
    assert stale.outcome == "stale"
    shipment = _shipment(approved)
    assert (shipment.status, shipment.status_since) == ("in_transit", at)
    assert list(reverse.history_of(shipment).values_list("id", "to_status", "note")) == history
    approved.refresh_from_db()
    assert approved.status == "in_transit"
    assert OutboxEvent.objects.filter(topic="returns.return_in_transit").count() == 1
    with pytest.raises(InvalidInput) as error:
        reverse.record_scan(tracking_number=number, code="created")
    assert error.value.field == "code"


def test_scan_in_checks_the_number_then_receives_once(approved, operator_support, buyer_owner):
    number = _shipment(approved).tracking_number
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
    assert _shipment(approved).status == "created"
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


# --- API --------------------------------------------------------------------------------------


def test_api_shipment_shows_the_cost_to_merchants_not_to_buyers(
    api, approved, buyer_owner, merchant_owner, operator_support
):
    buyer = api(buyer_owner).get(f"/returns/{approved.pk}/shipment")
    assert buyer.status_code == 200, buyer.content
    body = buyer.json()
    number = _shipment(approved).tracking_number
    assert (body["tracking_number"], body["status"], body["method"]) == (
        number,
        "created",
        "drop_off",
    )
    assert body["cost"] is None and body["can_change_method"] is True
    assert body["return_point"]["name"] == "Tradelane Returns US"
    assert body["label_url"] == f"/api/v1/returns/{approved.pk}/label"
    assert [h["to_status"] for h in body["history"]] == ["created"]
    for actor in (merchant_owner, operator_support):
        cost = api(actor).get(f"/returns/{approved.pk}/shipment").json()["cost"]
        assert cost == {"amount": "7.50", "currency": "USD"}


def test_api_method_validates_and_reprices(api, approved, buyer_owner, merchant_owner):
    client = api(buyer_owner)
    path = f"/returns/{approved.pk}/shipment/method"
    bad = client.post(path, {"method": "pickup", "pickup_on": "2000-01-03"})
    assert bad.status_code == 422 and bad.json()["field"] == "pickup_on"
    missing = client.post(path, {"method": "pickup"})
    assert missing.status_code == 422 and missing.json()["code"] == "required"
    unknown = client.post(path, {"method": "courier"})
    assert unknown.status_code == 422
    assert api(merchant_owner).post(path, {"method": "drop_off"}).status_code == 403
    day = reverse.pickup_days()[0]
    ok = client.post(path, {"method": "pickup", "pickup_on": day.isoformat()})
    assert ok.status_code == 200, ok.content
    assert (ok.json()["method"], ok.json()["pickup_on"]) == ("pickup", day.isoformat())
    assert _shipment(approved).cost == Decimal("10.5")
    reverse.record_scan(tracking_number=_shipment(approved).tracking_number, code="picked_up")
    late = client.post(path, {"method": "drop_off"})
    assert late.status_code == 409 and late.json()["code"] == "already_scanned"


def test_api_receive_refuses_a_bad_check_digit_then_receives(
    api, approved, operator_support, merchant_owner
):
    number = _shipment(approved).tracking_number
    wrong = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
    client = api(operator_support)
    bad = client.post("/return-points/receive", {"tracking_number": wrong})
    assert bad.status_code == 422
    assert (bad.json()["code"], bad.json()["field"]) == ("invalid_check_digit", "tracking_number")
    assert _shipment(approved).status == "created"
    assert (
        api(merchant_owner).post("/return-points/receive", {"tracking_number": number}).status_code
        == 403
    )
    ok = client.post("/return-points/receive", {"tracking_number": number})
    assert ok.status_code == 200, ok.content
    assert (ok.json()["status"], ok.json()["return_status"]) == ("arrived", "received")
    again = client.post("/return-points/receive", {"tracking_number": number})
    assert again.status_code == 409 and again.json()["code"] == "already_received"


def test_api_return_points_list_and_tariff_edit(
    api, operator_admin, operator_support, merchant_owner, buyer_owner
):
    points = api(merchant_owner).get("/return-points")
    assert points.status_code == 200
    us = next(p for p in points.json() if p["market"] == "US")
    assert us["reverse_label_cost"] == {"amount": "7.50", "currency": "USD"}
    assert us["returnless_share"] == "1"
    assert api(buyer_owner).get("/return-points").status_code == 403
    client = api(operator_admin)
    for body, field in [
        ({"reverse_label_cost": "-1"}, "reverse_label_cost"),
        ({"handling_fee": "1.234"}, "handling_fee"),
        ({"returnless_share": "0"}, "returnless_share"),
        ({"liquidation_share": "1.5"}, "liquidation_share"),
        ({"name": "  "}, "name"),
        ({"reverse_label_cost": 7}, "reverse_label_cost"),
    ]:
        response = client.patch("/return-points/DE", body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["field"] == field
    assert (
        api(operator_support).patch("/return-points/DE", {"reverse_label_cost": "6.00"}).status_code
        == 403
    )
    assert client.patch("/return-points/ZZ", {"reverse_label_cost": "6.00"}).status_code == 404
    assert ReturnPoint.objects.get(market_id="DE").reverse_label_cost == Decimal("5.5")
    ok = client.patch(
        "/return-points/de", {"reverse_label_cost": "6.20", "returnless_share": "0.75"}
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["reverse_label_cost"] == {"amount": "6.20", "currency": "EUR"}
    audit = AuditEntry.objects.get(action="returns.return_point_changed")
    assert audit.changes == {
        "reverse_label_cost": ["5.5000", "6.20"],
        "returnless_share": ["1.0000", "0.75"],
    }


# --- pages ------------------------------------------------------------------------------------


def test_buyer_page_shows_the_panel_label_link_and_the_method_form(
    page_client, approved, buyer_owner, merchant_owner
):
    number = _shipment(approved).tracking_number
    page = page_client(buyer_owner).get(f"/store/returns/{approved.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="reverse-panel"' in html and number in html
    assert f"/returns/{approved.pk}/label.pdf" in html
    assert 'data-testid="reverse-method-form"' in html
    assert 'data-testid="reverse-cost"' not in html
    merchant = page_client(merchant_owner).get(f"/merchant/returns/{approved.pk}/")
    assert 'data-testid="reverse-cost"' in merchant.content.decode()
    assert "reverse-method-form" not in merchant.content.decode()
    label = page_client(buyer_owner).get(f"/returns/{approved.pk}/label.pdf")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    partial = page_client(buyer_owner).get(
        f"/returns/{approved.pk}/shipment/panel/", HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 200 and number in partial.content.decode()


def test_method_page_shows_errors_next_to_the_field_and_saves(
    page_client, approved, buyer_owner, merchant_owner
):
    client = page_client(buyer_owner)
    path = f"/returns/{approved.pk}/shipment/method/"
    assert client.get(path).status_code == 200
    bad = client.post(path, {"method": "pickup", "pickup_on": "2000-01-03"})
    assert bad.status_code == 422
    assert 'data-field="pickup_on"' in bad.content.decode()
    assert _shipment(approved).method == "drop_off"
    day = reverse.pickup_days()[0]
    ok = client.post(path, {"method": "pickup", "pickup_on": day.isoformat()})
    assert ok.status_code == 302 and ok["Location"] == f"/store/returns/{approved.pk}/"
    assert (_shipment(approved).method, _shipment(approved).pickup_on) == ("pickup", day)
    assert page_client(merchant_owner).post(path, {"method": "drop_off"}).status_code == 404


def test_receive_page_refuses_a_bad_check_digit_and_receives(
    page_client, approved, operator_support, merchant_owner
):
    number = _shipment(approved).tracking_number
    wrong = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
    client = page_client(operator_support)
    page = client.get("/ops/returns/receive/")
    assert page.status_code == 200 and 'data-testid="receive-input"' in page.content.decode()
    bad = client.post("/ops/returns/receive/scan/", {"tracking_number": wrong})
    assert bad.status_code == 422
    assert "check digit" in bad.content.decode()
    assert _shipment(approved).status == "created"
    ok = client.post(
        "/ops/returns/receive/scan/", {"tracking_number": number}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200 and 'data-testid="receive-ok"' in ok.content.decode()
    assert _shipment(approved).status == "arrived"
    again = client.post(
        "/ops/returns/receive/scan/", {"tracking_number": number}, HTTP_HX_REQUEST="true"
    )
    assert 'data-testid="receive-error"' in again.content.decode()
    assert page_client(merchant_owner).get("/ops/returns/receive/").status_code == 403


def test_return_points_pages_list_and_edit_with_field_errors(
    page_client, operator_admin, operator_support
):
    listing = page_client(operator_support).get("/ops/returns/points/")
    assert listing.status_code == 200 and 'data-market="FR"' in listing.content.decode()
    form = page_client(operator_support).get("/ops/returns/points/FR/")
    assert form.status_code == 200 and "return-point-form" not in form.content.decode()
    assert (
        page_client(operator_support)
        .post("/ops/returns/points/FR/", {"reverse_label_cost": "1"})
        .status_code
        == 403
    )
    client = page_client(operator_admin)
    initial = client.get("/ops/returns/points/FR/").context["form"].initial
    bad = client.post("/ops/returns/points/FR/", {**initial, "handling_fee": "abc"})
    assert bad.status_code == 422 and 'data-field="handling_fee"' in bad.content.decode()
    ok = client.post("/ops/returns/points/FR/", {**initial, "handling_fee": "3.10"})
    assert ok.status_code == 302
    assert ReturnPoint.objects.get(market_id="FR").handling_fee == Decimal("3.1")


def test_public_track_page_finds_a_reverse_parcel_without_personal_data(client, approved):
    number = _shipment(approved).tracking_number
    page = client.get(f"/track/{number}/")
    html = page.content.decode()
    assert page.status_code == 200 and number in html
    assert 'data-status="created"' in html and "Tradelane Returns US" in html
    assert "Jane Buyer" not in html and "Amphitheatre" not in html
    search = client.get("/track/", {"number": number.lower()})
    assert search.status_code == 200 and number in search.content.decode()
    assert client.get("/track/RV000000000US/").status_code == 404
    assert ReturnRequest.objects.filter(pk=approved.pk, status="approved").exists()


# --- browser ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_buyer_books_a_pickup_the_parcel_moves_and_the_return_point_receives_it(
    page, live_server, buyer_owner, merchant_owner, operator_support
):
    from playwright.sync_api import expect

    from tradelane.web.tests.test_browser import sign_in

    request = _approved(buyer_owner, merchant_owner)
    number = _shipment(request).tracking_number
    base = live_server.url
    day = reverse.pickup_days()[0]

    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/returns/{request.pk}/")
    panel = page.get_by_test_id("reverse-panel")
    expect(panel.get_by_test_id("reverse-tracking-number")).to_have_text(number)
    label = page.request.get(f"{base}/returns/{request.pk}/label.pdf")
    assert label.ok and label.headers["content-type"] == "application/pdf"
    page.get_by_label("The carrier picks it up").check()
    page.get_by_test_id("pickup-on").fill(day.isoformat())
    page.get_by_test_id("reverse-method-save").click()
    expect(page.get_by_test_id("reverse-method")).to_have_attribute("data-method", "pickup")

    # the simulated driver collects it: the panel, polling, shows it on its way
    assert reverse_simulation.advance(now=datetime.combine(day, time(10), tzinfo=UTC), speed=1) == 1
    expect(page.get_by_test_id("reverse-status")).to_have_attribute(
        "data-status", "picked_up", timeout=10_000
    )
    page.reload()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "in_transit")

    page.context.clear_cookies()
    sign_in(page, base, operator_support.user.email)
    page.goto(f"{base}/ops/returns/receive/")
    scan = page.get_by_test_id("receive-input")
    scan.fill(f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}")  # a mistyped digit
    scan.press("Enter")
    expect(page.get_by_test_id("receive-error")).to_contain_text("check digit")
    scan.fill(number)
    scan.press("Enter")
    expect(page.get_by_test_id("receive-ok")).to_contain_text(request.number)
    request.refresh_from_db()
    assert request.status == "received"


# --- races (PostgreSQL) -----------------------------------------------------------------------


@postgres_only
@race
def test_concurrent_scans_and_scan_ins_move_the_parcel_and_the_request_once(
    buyer_owner, merchant_owner, operator_support
):
    request = _approved(buyer_owner, merchant_owner)
    number = _shipment(request).tracking_number

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
    shipment = _shipment(request)
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
