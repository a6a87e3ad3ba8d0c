"""Browser: a buyer adds to the cart, picks a tier, checks out and sees the order; the
merchant accepts it; the buyer sees it accepted."""

import re

import pytest
from playwright.sync_api import expect

from tradelane.orders.testing import ADDRESSES, selling
from tradelane.web.tests.test_browser import sign_in

ACCEPTED = re.compile("Accepted|Awaiting handover")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, reset_sequences=True)]


def test_buyer_orders_and_merchant_accepts(page, live_server, merchant_owner, buyer_owner):
    sku = selling(merchant_owner, title="Zentrix charger")
    base = live_server.url
    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/US/products/{sku.pk}/")
    page.get_by_test_id("add-to-cart").get_by_label("Quantity").fill("20")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_text("Added to your cart.")).to_be_visible()
    expect(page.get_by_test_id("cart-lines")).to_contain_text("VOLT-65W-EU")
    page.get_by_label("Premium").check()
    page.get_by_role("button", name="Choose this tier").click()
    expect(page.get_by_label("Premium")).to_be_checked()
    total = page.get_by_test_id("cart-total").inner_text()
    page.get_by_test_id("to-checkout").click()
    address = ADDRESSES["US"]
    for label, key in (
        ("Recipient", "recipient"),
        ("Street address", "street_address"),
        ("City", "city"),
        ("State / province", "country_area"),
        ("Postal code", "postal_code"),
    ):
        page.get_by_label(label).fill(address[key])
    page.get_by_label("PO number").fill("PO-BROWSER-1")
    page.get_by_test_id("place-order").click()
    expect(page.get_by_role("heading", name="Thank you: your order is placed")).to_be_visible()
    amount = total.split(":")[1].strip().split(" ")[0]
    expect(page.get_by_test_id("confirmation-total")).to_contain_text(amount)
    page.get_by_role("link", name="000001-1").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Paid")

    page.context.clear_cookies()
    sign_in(page, base, merchant_owner.user.email)
    page.goto(f"{base}/merchant/orders/")
    page.get_by_role("link", name="000001-1").click()
    expect(page.get_by_test_id("handover-deadline")).to_be_visible()
    page.get_by_test_id("accept").click()
    # accepted, then awaiting handover as soon as the shipment and its label exist
    expect(page.get_by_test_id("order-status")).to_have_text(ACCEPTED)
    expect(page.get_by_test_id("payment-status")).to_contain_text("aptured")

    page.context.clear_cookies()
    sign_in(page, base, buyer_owner.user.email)
    page.goto(f"{base}/store/orders/")
    expect(page.locator("tr[data-order='000001-1']")).to_contain_text(ACCEPTED)
