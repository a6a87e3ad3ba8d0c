"""Browser tests in Debian's chromium: what a person sees and clicks."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, email, password="correct-horse-battery"):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    "fixture, home, heading",
    [
        ("operator_admin", "/ops/", "Operations"),
        ("merchant_owner", "/merchant/", "Welcome, Shenzhen Volt"),
        ("buyer_owner", "/store/", "Welcome, Acme Supply"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_portal_home(
    page, live_server, request, fixture, home, heading
):
    actor = request.getfixturevalue(fixture)
    sign_in(page, live_server.url, actor.user.email)
    expect(page).to_have_url(f"{live_server.url}{home}")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_test_id("who")).to_contain_text(actor.user.email)


def test_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server, buyer_owner):
    sign_in(page, live_server.url, buyer_owner.user.email, password="wrong-password")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_text("Please enter a correct")).to_be_visible()


def test_buyer_signs_up_creates_a_token_and_switches_language(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("a business buying goods (buyer)").check()
    page.get_by_label("Company name").fill("Maple Parts Inc.")
    page.get_by_label("Country (ISO code, e.g. US, DE, CN)").fill("CA")
    page.get_by_label("E-mail").fill("maple@parts.test")
    page.get_by_label("Password").fill("maple-parts-2026")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{live_server.url}/store/")
    page.goto(f"{live_server.url}/account/")
    page.get_by_label("Token name").fill("ERP")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("tl_")
    page.get_by_label("Language").select_option("de")
    expect(page.locator("html")).to_have_attribute("lang", "de")
