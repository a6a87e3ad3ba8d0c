"""Browser test in Debian's chromium: an operator finds a payment and refunds part of it."""

import pytest
from playwright.sync_api import expect

from tradelane.payments.models import Payment
from tradelane.payments.testing import captured_payment
from tradelane.web.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_refunds_part_of_a_captured_payment(
    page, live_server, operator_admin, buyer_owner, merchant_owner
):
    payment = captured_payment(buyer_owner, merchant_owner, amount="120.00", reference="order:B-7")
    sign_in(page, live_server.url, operator_admin.user.email)
    page.goto(f"{live_server.url}/ops/payments/?status=captured")
    page.get_by_role("link", name=str(payment.pk), exact=True).click()
    expect(page.get_by_test_id("status")).to_have_text("Captured")
    expect(page.get_by_test_id("refundable")).to_have_text("$120.00")

    page.get_by_label("Amount (USD)").fill("45.50")
    page.get_by_label("Reason").fill("two units arrived damaged")
    page.get_by_role("button", name="Refund", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Refunded $45.50.")
    expect(page.get_by_test_id("status")).to_have_text("Partially refunded")
    expect(page.get_by_test_id("refundable")).to_have_text("$74.50")
    expect(page.get_by_test_id("refunds")).to_contain_text("two units arrived damaged")
    expect(page.locator("ol.timeline li").last).to_contain_text("captured → partially_refunded")

    page.get_by_label("Amount (USD)").fill("80.00")
    page.get_by_label("Reason").fill("too much")
    page.get_by_role("button", name="Refund", exact=True).click()
    expect(page.get_by_text("At most 74.50 USD can still be refunded.")).to_be_visible()
    assert Payment.objects.get(pk=payment.pk).refunded_amount == 45.5
