"""Browser tests in Debian's chromium: an operator runs a market, a visitor reads the rules."""

import re

import pytest
from playwright.sync_api import expect

from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_edits_singapore_and_takes_it_live(page, live_server, operator_admin):
    sign_in(page, live_server.url, operator_admin.user.email)
    page.goto(f"{live_server.url}/ops/markets/SG/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Singapore")
    expect(page.get_by_test_id("status")).to_have_text("Planned")

    page.get_by_role("textbox", name="Name", exact=True).fill("Republic of Singapore")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Market SG saved.")
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value(
        "Republic of Singapore"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Republic of Singapore")

    page.get_by_label("New status").select_option(label="Recruiting merchants")
    page.get_by_role("textbox", name="Note", exact=True).fill("first merchants signed")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("status")).to_have_text("Recruiting merchants")

    page.get_by_label("New status").select_option(label="Live")
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("status")).to_have_text("Live")
    expect(page.get_by_role("status")).to_contain_text("Market SG is now Live.")

    history = page.locator("ol.timeline li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text(
        re.compile(r"planned → recruiting · ops-admin@test\.example · first merchants signed")
    )
    expect(history.nth(1)).to_contain_text("recruiting → live")
    expect(page.get_by_text("This market is live; no further status change.")).to_be_visible()


def test_visitor_reads_the_eu_low_value_rules_for_germany(page, live_server):
    page.goto(f"{live_server.url}/markets/DE/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Germany")
    expect(
        page.get_by_text(
            "For consumer sales up to €150.00 the tax is charged at the time of sale, "
            "not at the border."
        )
    ).to_be_visible()
    expect(
        page.get_by_text("There is no duty de minimis: customs duty can be due on any consignment.")
    ).to_be_visible()
    fee = page.get_by_role("row", name=re.compile("EU flat customs duty on low-value consignments"))
    expect(fee).to_contain_text("€3.00")
    expect(fee).to_contain_text("per distinct tariff line")
    expect(fee).to_contain_text("consignments up to €150.00")
    expect(fee).to_contain_text("2028-07-01")
    # the rule before 1 July 2026: duty-free up to €150, shown in the dated history
    earlier = page.get_by_role("row", name=re.compile("2021-07-01"))
    expect(earlier).to_contain_text("€150.00")


def test_operator_adds_a_fee_and_sees_it_in_force(page, live_server, operator_admin):
    sign_in(page, live_server.url, operator_admin.user.email)
    page.goto(f"{live_server.url}/ops/markets/NL/")
    page.get_by_text("Add a fee").click()
    form = page.get_by_role("form", name="Add a fee")
    form.get_by_role("spinbutton", name="Amount").fill("2.50")
    form.get_by_role("combobox", name="Charged").select_option(label="per parcel")
    form.get_by_label("In force from").fill("2026-01-01")
    form.get_by_role("button", name="Add fee").click()  # no name: refused, shown inline
    expect(page.locator("#id_fee-name-error")).to_have_text("This field is required.")
    form = page.get_by_role("form", name="Add a fee")
    form.get_by_label("Fee name").fill("Dutch parcel fee")
    form.get_by_role("button", name="Add fee").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Fee Dutch parcel fee from 2026-01-01 added."
    )
    row = page.locator("#fees").get_by_role("row", name=re.compile("Dutch parcel fee"))
    expect(row).to_contain_text("in force today")
    expect(row).to_contain_text("€2.50")


def test_fx_filter_updates_the_table_in_place(page, live_server, operator_support):
    from tradelane.markets.models import FxRate

    FxRate.objects.bulk_create(
        [
            FxRate(base="EUR", quote=q, rate="1.1", as_of=f"2026-01-{d:02d}", source="ECB")
            for d in range(1, 31)
            for q in ("USD", "GBP")
        ]
    )
    sign_in(page, live_server.url, operator_support.user.email)
    page.goto(f"{live_server.url}/ops/fx/")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Quote").fill("USD")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/ops/fx/\?.*quote=USD"))
    expect(page.locator("#fx-table tr[data-fx]")).to_have_count(30)
    expect(page.locator("#fx-table")).not_to_contain_text("EUR/GBP")
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx, not a new page
    page.goto(f"{live_server.url}/ops/fx/")
    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(re.compile(r"/ops/fx/\?page=2"))
    expect(page.locator("#fx-table tr[data-fx]")).to_have_count(10)
