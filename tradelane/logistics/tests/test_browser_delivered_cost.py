"""Browser: a buyer sees the delivered cost of a SKU in three tiers on its product page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tradelane.catalog.testing import admit, listed
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_sees_delivered_cost_per_tier_on_the_product_page(
    page, live_server, fx, api, merchant_owner, other_buyer
):
    admit(merchant_owner, ["DE"])
    sku = listed(merchant_owner, code="VOLT-DE", markets=("DE",), unit_price="10.00")
    expected = (
        api(other_buyer)
        .post(
            "/quotes",
            {
                "lines": [{"sku_id": sku.pk, "quantity": 120}],
                "destination": {"market": "DE", "postal_code": "80331"},
            },
        )
        .json()
    )

    sign_in(page, live_server.url, other_buyer.user.email)
    page.goto(f"{live_server.url}/store/DE/products/{sku.pk}/")
    panel = page.locator("#delivered-cost")
    expect(panel.get_by_label("Quantity")).to_be_visible()  # loaded by HTMX after the page
    panel.get_by_label("Quantity").fill("120")
    panel.get_by_label("Postal code").fill("80331")
    panel.get_by_role("button", name="Show delivered cost").click()
    for tier in expected["tiers"]:
        if tier["available"]:
            amount = Decimal(tier["total"]["amount"])
            expect(page.get_by_test_id(f"delivered-total-{tier['tier']}")).to_have_text(
                f"€{amount:,.2f}"
            )
            expect(page.get_by_test_id(f"delivered-window-{tier['tier']}")).to_contain_text(
                tier["delivery"]["earliest"]
            )
        else:
            expect(page.get_by_test_id(f"delivered-unavailable-{tier['tier']}")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/store/DE/products/{sku.pk}/")  # no reload
