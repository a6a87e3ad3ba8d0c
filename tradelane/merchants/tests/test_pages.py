"""Pages: merchant program, application with live eligibility, warehouses, operator review."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.accounts.testing import make_actor
from tradelane.merchants import services
from tradelane.merchants.models import Application, MerchantMarket, Warehouse
from tradelane.merchants.testing import answers, make_edition, make_warehouse

pytestmark = pytest.mark.django_db

WAREHOUSE_FORM = {
    "name": "Yiwu Futian",
    "country": "CN",
    "country_area": "Zhejiang Sheng",
    "city": "Jinhua Shi",
    "city_area": "Yiwu Shi",
    "street_address": "66 Chengzhong North Road",
    "postal_code": "322000",
    "contact_name": "Chen Jing",
    "contact_phone": "+86 579 8520 1234",
    "opening_days": ["1", "2", "3", "4", "5"],
    "opens_at": "08:30",
    "closes_at": "18:00",
    "pickup_cutoff": "16:00",
    "time_zone": "Asia/Shanghai",
    "daily_parcel_capacity": "250",
    "is_active": "on",
}


def test_merchant_registers_a_warehouse_on_the_page(page_client, merchant_owner):
    client = page_client(merchant_owner)
    response = client.post("/merchant/warehouses/new/", WAREHOUSE_FORM)
    assert response.status_code == 302
    warehouse = Warehouse.objects.get()
    assert (warehouse.city, warehouse.normalized_address["city"]) == ("Jinhua Shi", "金华市")
    assert warehouse.contact_phone == "+8657985201234"
    assert "Yiwu Futian" in client.get("/merchant/warehouses/").content.decode()


def test_warehouse_form_shows_address_errors_inline(page_client, merchant_owner):
    response = page_client(merchant_owner).post(
        "/merchant/warehouses/new/", {**WAREHOUSE_FORM, "city": "Atlantis", "postal_code": "1"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_city-error">City: Not valid for CN.' in html
    assert 'id="id_postal_code-error">Postal code: Not valid for CN.' in html
    assert Warehouse.objects.count() == 0


def test_application_page_saves_a_draft_and_submits(page_client, operator_admin, merchant_owner):
    edition = make_edition(operator_admin)
    warehouse = make_warehouse(merchant_owner)
    client = page_client(merchant_owner)
    assert "Apply to Test edition" in client.get("/merchant/program/").content.decode()
    response = client.post(f"/merchant/program/editions/{edition.pk}/apply/")
    application = Application.objects.get()
    assert response.url == f"/merchant/applications/{application.pk}/"
    form = answers([warehouse.pk])
    data = {
        **form,
        "categories": ", ".join(form["categories"]),
        "other_marketplaces": "Amazon",
        "action": "save",
    }
    assert client.post(response.url, data).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.export_years) == ("draft", 6)
    page = client.get(response.url).content.decode()
    assert f'hx-post="/merchant/applications/{application.pk}/eligibility/"' in page
    assert 'hx-trigger="change' in page
    assert client.post(response.url, {**data, "action": "submit"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_invalid_registration_number_is_shown_next_to_the_field(
    page_client, operator_admin, merchant_owner
):
    edition = make_edition(operator_admin)
    application = services.start_application(actor=merchant_owner, edition_id=edition.pk)
    response = page_client(merchant_owner).post(
        f"/merchant/applications/{application.pk}/",
        {"registration_country": "CN", "registration_number": "1234", "action": "save"},
    )
    assert response.status_code == 422
    assert (
        'id="id_registration_number-error">This is not a valid CN unified social credit code'
        in (response.content.decode())
    )
    application.refresh_from_db()
    assert application.registration_number == ""


def test_eligibility_partial_follows_the_answers_on_screen(
    page_client, operator_admin, merchant_owner
):
    edition = make_edition(operator_admin)
    application = services.start_application(actor=merchant_owner, edition_id=edition.pk)
    client = page_client(merchant_owner)
    url = f"/merchant/applications/{application.pk}/eligibility/"
    low = client.post(url, {"ready_share_percent": "30"}, HTTP_HX_REQUEST="true")
    assert 'data-rule="ready_stock" data-outcome="fail"' in low.content.decode()
    high = client.post(url, {"ready_share_percent": "90"}, HTTP_HX_REQUEST="true")
    html = high.content.decode()
    assert 'data-rule="ready_stock" data-outcome="pass"' in html
    assert "No own warehouse: the semi-managed program does not provide warehousing." in html
    application.refresh_from_db()
    assert application.ready_share_percent is None


def test_operator_reviews_and_approves_on_the_page(
    page_client, operator_support, operator_admin, merchant_owner
):
    edition = make_edition(operator_admin)
    warehouse = make_warehouse(merchant_owner)
    application = services.start_application(
        actor=merchant_owner, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
    )
    client = page_client(operator_support)
    queue = client.get("/ops/applications/").content.decode()
    assert f'data-application="{application.pk}"' in queue
    detail = client.get(f"/ops/applications/{application.pk}/").content.decode()
    assert "Score 100 / 100" in detail
    refused = client.post(
        f"/ops/applications/{application.pk}/decide/", {"decision": "rejected", "note": ""}
    )
    assert refused.status_code == 422
    assert "Tell the merchant why it is rejected." in refused.content.decode()
    approved = client.post(f"/ops/applications/{application.pk}/decide/", {"decision": "approved"})
    assert approved.status_code == 302
    assert MerchantMarket.objects.filter(organisation=merchant_owner.organisation).count() == 2


def test_operator_admin_tunes_a_rule_on_the_edition_page(page_client, operator_admin):
    edition = make_edition(operator_admin)
    client = page_client(operator_admin)
    assert "Own warehouse" in client.get(f"/ops/program/editions/{edition.pk}/").content.decode()
    bad = client.post(
        f"/ops/program/editions/{edition.pk}/rules/ready_stock/",
        {"ready_stock-enabled": "on", "ready_stock-weight": "20",
         "ready_stock-pass_at": "50", "ready_stock-warn_at": "60"},
    )  # fmt: skip
    assert bad.status_code == 422
    ok = client.post(
        f"/ops/program/editions/{edition.pk}/rules/ready_stock/",
        {"ready_stock-weight": "25", "ready_stock-pass_at": "70", "ready_stock-warn_at": "40"},
    )
    assert ok.status_code == 302
    rule = edition.rules.get(code="ready_stock")
    assert (rule.enabled, rule.weight, rule.pass_at, rule.warn_at) == (False, 25, 70, 40)


def test_public_profile_page_says_when_there_is_not_enough_data(
    page_client, operator_admin, merchant_owner
):
    edition = make_edition(operator_admin, opens_in=-30, closes_in=5, starts_in=-1)
    warehouse = make_warehouse(merchant_owner)
    application = services.start_application(
        actor=merchant_owner, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
    )
    services.approve_application(actor=operator_admin, application_id=application.pk)
    html = page_client().get(f"/merchants/{merchant_owner.organisation_id}/").content.decode()
    assert 'data-testid="markets-served">DE, US<' in html
    assert html.count("Not enough data yet") == 2


def test_merchant_pages_need_a_merchant(page_client, buyer_owner):
    assert page_client(buyer_owner).get("/merchant/program/").status_code == 403
    assert page_client(buyer_owner).get("/ops/applications/").status_code == 403


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _many_applications(operator_admin, n):
    edition = make_edition(operator_admin, name=f"Bulk {n}")
    for i in range(n):
        merchant = make_actor("merchant", "owner", org_name=f"Merchant {n}-{i}", country="CN")
        warehouse = make_warehouse(merchant)
        services.start_application(
            actor=merchant, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
        )


def test_review_queue_page_and_api_do_not_grow_with_applications(
    page_client, api, operator_admin, django_assert_max_num_queries
):
    _many_applications(operator_admin, 2)
    client = page_client(operator_admin)
    client.get("/ops/applications/")
    page_baseline = _count(client, "/ops/applications/")
    api_client = api(operator_admin)
    with CaptureQueriesContext(connection) as ctx:
        api_client.get("/program/applications")
    api_baseline = len(ctx.captured_queries)
    _many_applications(operator_admin, 8)
    with django_assert_max_num_queries(page_baseline):
        html = client.get("/ops/applications/").content.decode()
    assert html.count("data-application=") == 10
    with django_assert_max_num_queries(api_baseline):
        assert api_client.get("/program/applications").json()["count"] == 10


def test_merchant_lists_do_not_grow(
    page_client, api, merchant_owner, django_assert_max_num_queries
):
    make_warehouse(merchant_owner)
    client = page_client(merchant_owner)
    client.get("/merchant/warehouses/")
    baseline = _count(client, "/merchant/warehouses/")
    api_client = api(merchant_owner)
    with CaptureQueriesContext(connection) as ctx:
        api_client.get("/merchant/warehouses")
    api_baseline = len(ctx.captured_queries)
    for i in range(6):
        make_warehouse(merchant_owner, name=f"Extra {i}")
    with django_assert_max_num_queries(baseline):
        client.get("/merchant/warehouses/")
    with django_assert_max_num_queries(api_baseline):
        assert api_client.get("/merchant/warehouses").json()["count"] == 7
