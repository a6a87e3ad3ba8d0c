"""Browser test of the catalog's "done when": a merchant creates a product with two SKUs,
prices them in three markets with breaks, sets stock and sees the visibility checklist
turn green; a buyer in one of those markets finds it by search and sees the right price
at each break."""

import re

import pytest
from playwright.sync_api import expect

from tradelane.catalog.testing import admit
from tradelane.merchants.testing import make_warehouse
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRICES = {  # market: (unit price, breaks, shown at 1+, 100+, 500+)
    "US": ("12.50", "100=11.00\n500=9.75", ("$12.50", "$11.00", "$9.75")),
    "DE": ("11.90", "100=10.40\n500=9.20", ("€11.90", "€10.40", "€9.20")),
    "GB": ("10.20", "100=9.10\n500=8.00", ("£10.20", "£9.10", "£8.00")),
}


def add_sku(page, code, plug):
    page.get_by_label("SKU code").fill(code)
    page.get_by_label("Variant attributes").fill(f"plug={plug}")
    page.get_by_label("HS code").fill("8504.40.95")
    page.get_by_label("Country of origin").fill("CN")
    page.get_by_label("Net weight (kg)").fill("0.18")
    page.get_by_label("Gross weight (kg)").fill("0.24")
    page.get_by_label("Packed length (cm)").fill("12")
    page.get_by_label("Packed width (cm)").fill("8")
    page.get_by_label("Packed height (cm)").fill("5")
    page.get_by_label("Units per carton").fill("50")
    page.get_by_label("CE (EU)").check()
    page.get_by_role("button", name="Add SKU").click()
    expect(page.get_by_text(f"SKU {code} added.")).to_be_visible()


def test_merchant_lists_a_product_and_a_buyer_finds_it_at_the_right_prices(
    page, browser, live_server, merchant_owner, buyer_owner
):
    admit(merchant_owner, ["US", "DE", "GB"])
    make_warehouse(merchant_owner, name="Nanshan")
    base = live_server.url

    # The merchant creates a product with two SKUs.
    sign_in(page, base, merchant_owner.user.email)
    page.goto(f"{base}/merchant/products/")
    page.get_by_role("link", name="New product").click()
    page.get_by_label("Title (English)").fill("Zentrix 65W GaN charger")
    page.get_by_label("Description (English)").fill("Fast USB-C charger for laptops.")
    page.get_by_role("button", name="Create product").click()
    add_sku(page, "ZX-65-EU", "EU")
    page.get_by_text("Add a SKU").click()
    add_sku(page, "ZX-65-UK", "UK")

    # Nothing is sold yet: the checklist says why.
    page.goto(f"{base}/merchant/visibility/")
    expect(page.locator("td.missing")).to_have_count(6)
    expect(page.get_by_text("no price").first).to_be_visible()

    # Prices in three markets with breaks.
    for code in ("ZX-65-EU", "ZX-65-UK"):
        for market, (unit, breaks, _shown) in PRICES.items():
            page.goto(f"{base}/merchant/prices/")
            row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(code)))
            row.locator(f"td[data-price$='-{market}'] a").click()
            page.get_by_label("Unit price").fill(unit)
            page.get_by_label("Minimum order quantity").fill("10")
            page.get_by_label("Order increment").fill("10")
            page.get_by_label("Price breaks").fill(breaks)
            page.get_by_role("button", name="Save price").click()
            expect(page.get_by_text(f"Price of {code} in {market} saved.")).to_be_visible()
    expect(page.locator("td[data-price]")).to_have_count(6)

    # Stock in the merchant's own warehouse (HTMX cell update).
    page.goto(f"{base}/merchant/stock/")
    for code in ("ZX-65-EU", "ZX-65-UK"):
        field = page.get_by_label(f"On hand of {code} at Nanshan")
        field.fill("240")
        cell = page.locator("td[data-stock]", has=field)
        cell.get_by_role("button", name="Set").click()
        # The filled field already reads 240; wait for the server's answer.
        expect(cell.get_by_role("status")).to_have_text("Saved")
        expect(page.get_by_label(f"On hand of {code} at Nanshan")).to_have_value("240")

    # The checklist turns green.
    page.goto(f"{base}/merchant/visibility/")
    expect(page.locator("td.ok")).to_have_count(6)
    expect(page.locator("td.missing")).to_have_count(0)

    # A US buyer finds it by search and sees each break's price.
    page.context.clear_cookies()
    sign_in(page, base, buyer_owner.user.email)
    page.get_by_role("link", name="Catalog").first.click()
    expect(page).to_have_url(f"{base}/store/US/")
    page.get_by_label("Search", exact=True).fill("zentrix charger")
    page.get_by_role("button", name="Search").click()
    results = page.locator("[data-listing]")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("$12.50")
    results.filter(has_text="plug: UK").get_by_role("link", name="Zentrix 65W GaN charger").click()
    breaks = page.get_by_test_id("price-breaks")
    for quantity, shown in zip(("10", "100", "500"), PRICES["US"][2], strict=True):
        expect(breaks.locator(f"tr[data-break='{quantity}']")).to_contain_text(shown)
    expect(page.get_by_text("Minimum order 10, in steps of 10.")).to_be_visible()
    expect(page.get_by_test_id("readiness")).to_contain_text("Ready to ship: 240 available")
    expect(page.get_by_role("link", name="Shenzhen Volt")).to_have_attribute(
        "href", f"/merchants/{merchant_owner.organisation_id}/"
    )
