"""Reverse logistics over HTTP: the API (parcel, method, label, scan-in, return points), the
pages (return panel, method form, scan-in, return points, public tracking) and the browser."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from tradelane.core.models import AuditEntry
from tradelane.returns import reverse, reverse_simulation
from tradelane.returns.models import ReturnPoint, ReturnRequest
from tradelane.returns.testing import (
    approved_return,
    parcel_of,
)

pytestmark = pytest.mark.django_db


# --- API --------------------------------------------------------------------------------------


def test_api_shipment_shows_the_cost_to_merchants_not_to_buyers(
    api, approved, buyer_owner, merchant_owner, operator_support
):
    buyer = api(buyer_owner).get(f"/returns/{approved.pk}/shipment")
    assert buyer.status_code == 200, buyer.content
    body = buyer.json()
    number = parcel_of(approved).tracking_number
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
    assert parcel_of(approved).cost == Decimal("10.5")
    reverse.record_scan(tracking_number=parcel_of(approved).tracking_number, code="picked_up")
    late = client.post(path, {"method": "drop_off"})
    assert late.status_code == 409 and late.json()["code"] == "already_scanned"


def test_api_receive_refuses_a_bad_check_digit_then_receives(
    api, approved, operator_support, merchant_owner
):
    number = parcel_of(approved).tracking_number
    wrong = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
    client = api(operator_support)
    bad = client.post("/return-points/receive", {"tracking_number": wrong})
    assert bad.status_code == 422
    assert (bad.json()["code"], bad.json()["field"]) == ("invalid_check_digit", "tracking_number")
    assert parcel_of(approved).status == "created"
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
    number = parcel_of(approved).tracking_number
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
    assert parcel_of(approved).method == "drop_off"
    day = reverse.pickup_days()[0]
    ok = client.post(path, {"method": "pickup", "pickup_on": day.isoformat()})
    assert ok.status_code == 302 and ok["Location"] == f"/store/returns/{approved.pk}/"
    assert (parcel_of(approved).method, parcel_of(approved).pickup_on) == ("pickup", day)
    assert page_client(merchant_owner).post(path, {"method": "drop_off"}).status_code == 404


def test_receive_page_refuses_a_bad_check_digit_and_receives(
    page_client, approved, operator_support, merchant_owner
):
    number = parcel_of(approved).tracking_number
    wrong = f"{number[:10]}{(int(number[10]) + 1) % 10}{number[11:]}"
    client = page_client(operator_support)
    page = client.get("/ops/returns/receive/")
    assert page.status_code == 200 and 'data-testid="receive-input"' in page.content.decode()
    bad = client.post("/ops/returns/receive/scan/", {"tracking_number": wrong})
    assert bad.status_code == 422
    assert "check digit" in bad.content.decode()
    assert parcel_of(approved).status == "created"
    ok = client.post(
        "/ops/returns/receive/scan/", {"tracking_number": number}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200 and 'data-testid="receive-ok"' in ok.content.decode()
    assert parcel_of(approved).status == "arrived"
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
    number = parcel_of(approved).tracking_number
    page = client.get(f"/track/{number}/")
    html = page.content.decode()
    assert page.status_code == 200 and number in html
    assert 'data-status="created"' in html and "Tradelane Returns US" in html
    assert "Jane Buyer" not in html and "Amphitheatre" not in html
    search = client.get("/track/", {"number": number.lower()})
    assert search.status_code == 200 and number in search.content.decode()
    assert client.get("/track/RV000000000US/").status_code == 404
    assert ReturnRequest.objects.filter(pk=approved.pk, status="approved").exists()


def test_public_tracking_api_finds_a_reverse_parcel_without_personal_data(api, approved):
    number = parcel_of(approved).tracking_number
    response = api().get(f"/track/returns/{number.lower()}")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["tracking_number"], body["status"]) == (number, "created")
    assert [s["status"] for s in body["steps"]][0] == "created" and body["steps"][0]["reached"]
    assert "Jane Buyer" not in response.content.decode()
    assert api().get("/track/returns/RV000000000US").status_code == 404
    assert api().get("/track/returns/not-a-number").status_code == 404


# --- browser ----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_buyer_books_a_pickup_the_parcel_moves_and_the_return_point_receives_it(
    page, live_server, buyer_owner, merchant_owner, operator_support
):
    from playwright.sync_api import expect

    from tradelane.web.tests.test_browser import sign_in

    request = approved_return(buyer_owner, merchant_owner)
    number = parcel_of(request).tracking_number
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
