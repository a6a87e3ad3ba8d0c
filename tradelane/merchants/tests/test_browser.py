"""Browser test: a merchant signs up, registers a warehouse, applies with live eligibility;
an operator approves; the merchant sees itself active from the operations start date."""

import pytest
from playwright.sync_api import expect

from tradelane.merchants.testing import make_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, email, password="correct-horse-battery"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_merchant_applies_and_is_approved(page, browser, live_server, operator_admin):
    edition = make_edition(operator_admin, name="Expansion edition", markets=("JP", "AU"))
    base = live_server.url

    # Sign up as a merchant.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("a merchant selling goods").check()
    page.get_by_label("Company name").fill("Dongguan Bright Lamps Co., Ltd.")
    page.get_by_label("Country (ISO code, e.g. US, DE, CN)").fill("CN")
    page.get_by_label("E-mail").fill("owner@bright-lamps.test")
    page.get_by_label("Password").fill("bright-lamps-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{base}/merchant/")

    # Register a warehouse.
    page.goto(f"{base}/merchant/warehouses/new/")
    page.get_by_label("Warehouse name").fill("Dongguan Humen")
    page.get_by_label("Province / state").fill("Guangdong Sheng")
    page.locator("#id_city").fill("Dongguan Shi")
    page.get_by_label("Street address").fill("9 Humen Avenue")
    page.get_by_label("Postal code").fill("523900")
    page.get_by_label("Contact name").fill("Zhao Lei")
    page.get_by_label("Contact phone").fill("+86 769 8512 3456")
    page.get_by_label("Opens at").fill("09:00")
    page.get_by_label("Closes at").fill("18:00")
    page.get_by_label("Daily pickup cut-off").fill("16:00")
    page.get_by_label("Daily parcel capacity").fill("200")
    page.get_by_role("button", name="Register warehouse").click()
    expect(page.get_by_text("Warehouse Dongguan Humen registered.")).to_be_visible()

    # Start an application and watch eligibility follow the answers.
    page.goto(f"{base}/merchant/program/")
    page.get_by_role("button", name="Apply to Expansion edition").click()
    ready = page.locator('[data-rule="ready_stock"]')
    warehouse_rule = page.locator('[data-rule="own_warehouse"]')
    expect(warehouse_rule).to_have_attribute("data-outcome", "fail")
    expect(warehouse_rule).to_contain_text("No own warehouse")
    page.get_by_label("Share of SKUs ready to hand over within 48 h (%)").fill("30")
    page.get_by_label("Years exporting").focus()
    expect(ready).to_have_attribute("data-outcome", "fail")
    page.get_by_label("Share of SKUs ready to hand over within 48 h (%)").fill("90")
    page.get_by_label("Years exporting").focus()
    expect(ready).to_have_attribute("data-outcome", "pass")
    page.get_by_label("Dongguan Humen (Dongguan Shi)").check()
    expect(warehouse_rule).to_have_attribute("data-outcome", "pass")

    page.get_by_label("Registration number").fill("91440300708461136T")
    page.get_by_label("Contact person").fill("Zhao Lei")
    page.get_by_label("Contact phone").fill("+86 769 8512 3456")
    page.get_by_label("Years exporting").fill("5")
    page.get_by_label("Product categories").fill("Lighting, LED lamps")
    page.get_by_label("JP Japan").check()
    page.get_by_label("Lead time for near-ready stock (days)").fill("6")
    page.get_by_label("Parcels you can hand over a day").fill("120")
    page.get_by_label("Other marketplaces you sell on").fill("Amazon")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_test_id("eligibility-score")).to_have_text("Score 100 / 100")
    page.get_by_role("button", name="Submit application").click()
    expect(page.get_by_test_id("application-status")).to_have_text("Submitted")

    # An operator approves.
    ops = browser.new_context().new_page()
    sign_in(ops, base, operator_admin.user.email)
    ops.goto(f"{base}/ops/applications/")
    ops.locator("tr[data-application] a").first.click()
    expect(ops.get_by_test_id("eligibility-score")).to_have_text("Score 100 / 100")
    ops.get_by_label("Reasons or note to the merchant").fill("Welcome to the program.")
    ops.get_by_role("button", name="Approve").click()
    expect(ops.get_by_test_id("application-status")).to_have_text("Approved")

    # The merchant is admitted from the operations start date, not before.
    page.goto(f"{base}/merchant/program/")
    start = edition.operations_start_on.isoformat()
    expect(page.get_by_test_id("application-status")).to_have_text("Approved")
    expect(page.locator('[data-testid="admissions"] tr[data-market="JP"]')).to_contain_text(
        f"Active from {start}"
    )
    expect(page.get_by_test_id("active-markets")).to_have_text("Not active in any market today.")
    page.goto(f"{base}/account/notifications/")
    expect(page.get_by_text("Your application to Expansion edition is approved")).to_be_visible()
