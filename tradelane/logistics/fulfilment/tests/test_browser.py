"""Browser: the merchant prints the label and scans the handover on the pickup page; the
buyer's tracking timeline follows the parcel live to delivered."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tradelane.logistics.fulfilment import simulation
from tradelane.logistics.fulfilment.testing import shipped_order
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merchant_prints_and_scans_and_buyer_follows_to_delivered(
    page, live_server, merchant_owner, buyer_owner, settings
):
    settings.FULFILMENT_AUTO_PICKUP = False
    shipment = shipped_order(buyer_owner, merchant_owner)
    base = live_server.url

    sign_in(page, base, merchant_owner.user.email)
    page.goto(f"{base}/merchant/pickups/?day={shipment.pickup.day.isoformat()}")
    expect(page.get_by_test_id("manifest-row")).to_contain_text(shipment.tracking_number)
    label = page.get_by_role("link", name="label").first.get_attribute("href")
    response = page.request.get(f"{base}{label}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    scan = page.get_by_test_id("scan-input")
    expect(scan).to_be_focused()
    scan.type(shipment.tracking_number)  # what a barcode scanner does: types, then Enter
    scan.press("Enter")
    expect(page.get_by_test_id("scan-ok")).to_contain_text(shipment.tracking_number)
    expect(scan).to_have_value("")

    page.context.clear_cookies()
    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/shipments/orders/{shipment.order_id}/tracking/")
    status = page.get_by_test_id("shipment-status")
    expect(status).to_have_attribute("data-status", "picked_up")
    start = timezone.now()
    simulation.advance(now=start + timedelta(seconds=60), speed=3600)  # 60 simulated hours
    expect(status).not_to_have_attribute("data-status", "picked_up", timeout=12_000)
    simulation.advance(now=start + timedelta(minutes=10), speed=3600)
    expect(status).to_have_attribute("data-status", "delivered", timeout=12_000)
    expect(page.locator("[data-code='delivered']")).to_have_class(re.compile(r"\bdone\b"))
