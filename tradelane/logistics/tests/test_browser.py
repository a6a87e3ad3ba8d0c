"""Browser: a merchant prices a bag to Germany in three tiers."""

import pytest
from playwright.sync_api import expect

from tradelane.catalog.testing import admit, listed
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merchant_sees_what_a_german_buyer_pays_in_three_tiers(
    page, live_server, merchant_owner, fx
):
    sign_in(page, live_server.url, merchant_owner.user.email)
    page.goto(f"{live_server.url}/merchant/landed-cost/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What my buyer pays")
    calculator = page.locator("#calculator")  # (the SKU picker above has its own fields)
    calculator.get_by_label("Destination market").select_option("DE")
    calculator.get_by_label("Postal code").fill("10115")
    calculator.get_by_label("Date").fill("2026-07-01")
    calculator.get_by_label("HS code").fill("420292")
    calculator.get_by_label("Unit value").fill("25")
    calculator.get_by_label("Currency").fill("EUR")
    calculator.get_by_label("Quantity").fill("4")
    calculator.get_by_label("Unit gross kg").fill("0.5")
    calculator.get_by_label("Carton length cm").fill("30")
    calculator.get_by_label("Carton width cm").fill("20")
    calculator.get_by_label("Carton height cm").fill("10")
    calculator.get_by_label("Units per carton").fill("4")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_test_id("total-standard")).to_have_text("€140.09")
    expect(page.get_by_test_id("window-standard")).to_contain_text("2026-07-08 – 2026-07-13")
    expect(page.locator("[data-tier=premium]")).to_contain_text("Fuel surcharge 24.5%")
    expect(page).to_have_url(f"{live_server.url}/merchant/landed-cost/")  # htmx swap, no reload


def test_merchant_prices_one_of_its_skus_in_one_tier(page, live_server, merchant_owner, fx):
    admit(merchant_owner, ["DE"])
    sku = listed(merchant_owner, code="VOLT-DE", markets=("DE",), unit_price="10.00")
    sign_in(page, live_server.url, merchant_owner.user.email)
    page.goto(f"{live_server.url}/merchant/landed-cost/")
    picker = page.locator("#sku-picker")
    picker.get_by_label("SKU").select_option(str(sku.pk))
    picker.get_by_label("Destination market").select_option("DE")
    picker.get_by_label("Quantity").fill("100")
    picker.get_by_label("Show").select_option("standard")
    picker.get_by_role("button", name="Price this SKU").click()
    expect(page.get_by_test_id("picked-sku")).to_contain_text("VOLT-DE")
    expect(page.get_by_test_id("picked-sku")).to_contain_text("100 units")
    expect(page.get_by_test_id("total-standard")).to_be_visible()
    expect(page.locator("[data-tier=premium]")).to_have_count(0)
    # the calculator below is filled with the SKU's trade data, ready to adjust
    expect(page.locator("#calculator").get_by_label("HS code")).to_have_value("85044095")
