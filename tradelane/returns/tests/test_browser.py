"""Browser: a buyer returns transit-damaged items with a photo and sees them approved at
once; a defect claim waits for the merchant, who approves it on the returns page. And the
whole return, end to end: label, the simulated network to the return point, the
operator's grade and disposition, the buyer's refund."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tradelane.returns import reverse_simulation
from tradelane.returns.models import ReturnRequest
from tradelane.returns.testing import delivered_order, photo, valuable_sku
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


def test_damaged_item_goes_back_is_graded_and_the_buyer_is_refunded(
    page, live_server, merchant_owner, buyer_owner, operator_support
):
    order = delivered_order(
        buyer_owner, merchant_owner, quantity=4, sku=valuable_sku(merchant_owner)
    )
    base = live_server.url

    # The buyer returns one damaged item with a photo: approved at once, a label is ready.
    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/orders/{order.pk}/return/")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Reason").select_option("damaged_in_transit")
    page.get_by_label("What is wrong?").fill("Corner crushed, screen cracked")
    page.get_by_label("Photos").set_input_files(
        files=[{"name": "crack.png", "mimeType": "image/png", "buffer": photo()}]
    )
    page.get_by_test_id("submit-return").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "approved")
    panel = page.get_by_test_id("reverse-panel")
    expect(panel.get_by_test_id("reverse-status")).to_have_attribute("data-status", "created")
    tracking = panel.get_by_test_id("reverse-tracking-number").inner_text()
    label = page.request.get(base + page.get_by_test_id("reverse-label").get_attribute("href"))
    assert label.ok and label.headers["content-type"] == "application/pdf"
    assert label.body().startswith(b"%PDF")

    # The simulated network carries it to the market's return point (60 simulated hours a
    # real minute); the panel follows by itself.
    start = timezone.now()
    assert reverse_simulation.advance(now=start + timedelta(minutes=5), speed=3600) >= 3
    expect(page.get_by_test_id("reverse-status")).to_have_attribute(
        "data-status", "arrived", timeout=12_000
    )
    page.reload()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "received")

    # The operator grades it from the inspection queue and confirms the proposed disposition.
    page.context.clear_cookies()
    sign_in(page, base, operator_support.user.email)
    page.goto(f"{base}/ops/returns/inspection/")
    request = ReturnRequest.objects.get(order=order)
    page.get_by_test_id("inspection-queue").locator(f"[data-return='{request.number}'] a").click()
    page.get_by_label("Grade").select_option("damaged")
    page.get_by_label("Notes").fill("Cracked screen, casing dented; tracking " + tracking)
    page.get_by_test_id("grade-submit").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "inspected")
    options = page.get_by_test_id("disposition-options")
    expect(options.locator("tr[data-option]")).to_have_count(4)
    expect(options.locator("tr[data-option='resell_locally']")).to_have_attribute(
        "data-allowed", "false"
    )
    proposed = page.get_by_test_id("proposed").get_attribute("data-disposition")
    page.get_by_test_id("confirm-form").get_by_label("Disposition").select_option(proposed)
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("disposition")).to_have_attribute("data-disposition", proposed)
    expect(page.get_by_test_id("bearer-refund")).to_have_text("Carrier (claim)")

    # The buyer sees the refund: the item and its share of shipping, duties and taxes.
    page.context.clear_cookies()
    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/returns/{request.pk}/")
    expect(page.get_by_test_id("return-status")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("refund-status")).to_have_attribute("data-status", "succeeded")
    expect(page.get_by_test_id("refund-goods")).to_contain_text("200.00")
    expect(page.get_by_test_id("disposition-options")).to_have_count(0)
