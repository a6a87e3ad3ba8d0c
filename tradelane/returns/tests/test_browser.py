"""Browser: a buyer returns transit-damaged items with a photo and sees them approved at
once; a defect claim waits for the merchant, who approves it on the returns page."""

import pytest
from playwright.sync_api import expect

from tradelane.returns.models import ReturnRequest
from tradelane.returns.testing import delivered_order, photo
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_returns_damaged_items_and_merchant_decides_a_defect(
    page, live_server, merchant_owner, buyer_owner
):
    order = delivered_order(buyer_owner, merchant_owner, quantity=6)
    base = live_server.url

    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/orders/{order.pk}/return/")
    expect(page.get_by_test_id("policy")).to_contain_text("30 days")
    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Reason").select_option("damaged_in_transit")
    page.get_by_label("What is wrong?").fill("Box crushed, casing cracked")
    page.get_by_label("Photos").set_input_files(
        files=[{"name": "box.png", "mimeType": "image/png", "buffer": photo()}]
    )
    page.get_by_test_id("submit-return").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("decision-note")).to_contain_text("within 7 days")
    expect(page.get_by_test_id("evidence").locator("img")).to_have_count(1)

    page.goto(f"{base}/store/orders/{order.pk}/return/")
    page.get_by_label("Quantity").fill("5")
    page.get_by_label("Reason").select_option("defective")
    page.get_by_test_id("submit-return").click()
    expect(page.locator("[data-field='quantity']")).to_contain_text("At most 4")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Reason").select_option("defective")
    page.get_by_test_id("submit-return").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "requested")
    defect = ReturnRequest.objects.get(reason="defective")

    page.context.clear_cookies()
    sign_in(page, base, merchant_owner.user.email)
    page.goto(f"{base}/merchant/returns/?status=requested")
    page.locator(f"[data-return='{defect.number}'] a").click()
    page.get_by_label("Note").fill("Replacement unit on its way")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "approved")
