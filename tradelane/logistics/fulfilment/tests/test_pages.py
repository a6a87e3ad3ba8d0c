"""Pages: pickup manifest and scan (HTMX), the order pages' tracking partial, public
tracking, operator lists, exceptions with actions, SLA charts."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from tradelane.accounts.testing import make_actor
from tradelane.logistics.fulfilment import services
from tradelane.logistics.fulfilment.carriers import CarrierEvent
from tradelane.logistics.fulfilment.testing import shipped_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipment(buyer_owner, merchant_owner):
    return shipped_order(buyer_owner, merchant_owner)


def test_manifest_lists_todays_parcels_and_the_scan_hands_over(
    page_client, merchant_owner, shipment
):
    client = page_client(merchant_owner)
    page = client.get("/merchant/pickups/", {"day": shipment.pickup.day.isoformat()})
    assert page.status_code == 200
    assert shipment.tracking_number in page.content.decode()
    assert b"autofocus" in page.content and b'data-testid="scan-input"' in page.content
    response = client.post(
        "/merchant/pickups/scan/",
        {"tracking_number": f" {shipment.tracking_number.lower()} "},
        HTTP_HX_REQUEST="true",
    )
    assert b'data-testid="scan-ok"' in response.content
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"
    response = client.post(
        "/merchant/pickups/scan/", {"tracking_number": "LT000000000CN"}, HTTP_HX_REQUEST="true"
    )
    assert b'data-testid="scan-error"' in response.content


def test_another_merchant_cannot_see_or_scan(page_client, other_merchant, shipment):
    client = page_client(other_merchant)
    assert client.get(f"/shipments/{shipment.pk}/label.pdf").status_code == 404
    assert client.post(f"/shipments/{shipment.pk}/label.pdf").status_code == 404
    assert client.get(f"/shipments/orders/{shipment.order_id}/tracking/").status_code == 404
    client.post("/merchant/pickups/scan/", {"tracking_number": shipment.tracking_number})
    shipment.refresh_from_db()
    assert shipment.status == "created"
    assert shipment.tracking_number not in client.get("/merchant/shipments/").content.decode()


def test_order_tracking_partial_and_template_tag_for_the_order_pages(
    page_client, buyer_owner, merchant_owner, other_buyer, shipment
):
    response = page_client(buyer_owner).get(f"/shipments/orders/{shipment.order_id}/tracking/")
    text = response.content.decode()
    assert shipment.tracking_number in text and 'hx-trigger="every 5s"' in text
    assert "print-label" not in text  # labels are the merchant's
    assert (
        "print-label"
        in page_client(merchant_owner)
        .get(f"/shipments/orders/{shipment.order_id}/tracking/")
        .content.decode()
    )
    other = page_client(other_buyer).get(f"/shipments/orders/{shipment.order_id}/tracking/")
    assert other.status_code == 404 and shipment.tracking_number not in other.content.decode()
    request = RequestFactory().get("/")
    request.actor = buyer_owner
    html = Template("{% load fulfilment_tracking %}{% order_tracking order %}").render(
        Context({"order": shipment.order, "request": request})
    )
    assert shipment.tracking_number in html and 'data-code="delivered"' in html


def test_public_tracking_page_has_no_personal_data(client, shipment):
    page = client.get(f"/track/{shipment.tracking_number}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="public-timeline"' in text
    for private in ("Jane", "Acme", "Amphitheatre", shipment.order_number):
        assert private not in text
    assert client.get("/track/LT000000000CN/").status_code == 404


def test_exceptions_queue_and_operator_actions(
    page_client, operator_admin, merchant_owner, shipment
):
    services.record_scan(actor=merchant_owner, tracking_number=shipment.tracking_number)
    services.ingest_events(
        carrier="simulated",
        events=[
            CarrierEvent("D1", shipment.tracking_number, "damaged", timezone.now()),
        ],
    )
    client = page_client(operator_admin)
    queue = client.get("/ops/shipments/exceptions/").content.decode()
    assert shipment.tracking_number in queue
    detail = client.get(f"/ops/shipments/{shipment.pk}/").content.decode()
    assert 'data-testid="reattempt"' in detail
    client.post(f"/ops/shipments/{shipment.pk}/return/", {"note": "damaged badly"})
    shipment.refresh_from_db()
    assert shipment.status == "returning"
    assert (
        client.get("/ops/shipments/", {"status": "returning"})
        .content.decode()
        .count('data-testid="shipment-row"')
        == 1
    )


def test_merchants_are_refused_operator_pages(page_client, merchant_owner, shipment):
    client = page_client(merchant_owner)
    for url in ("/ops/shipments/", "/ops/shipments/sla/", f"/ops/shipments/{shipment.pk}/"):
        assert client.get(url).status_code in (403, 404)
    client.post(f"/ops/shipments/{shipment.pk}/lost/")
    shipment.refresh_from_db()
    assert shipment.status == "created"


def test_sla_dashboard_draws_charts_and_sets_the_credit_rule(
    page_client, operator_admin, merchant_owner, shipment
):
    services.record_scan(actor=merchant_owner, tracking_number=shipment.tracking_number)
    client = page_client(operator_admin)
    page = client.get("/ops/shipments/sla/").content.decode()
    assert page.count("<svg") == 6 and "CN→US" in page and "100%" in page
    client.post("/ops/shipments/credit-rule/", {"share_percent": "30"})
    assert 'value="30.00"' in client.get("/ops/shipments/sla/").content.decode()
    client.post("/ops/shipments/credit-rule/", {"share_percent": "130"})
    assert 'value="30.00"' in client.get("/ops/shipments/sla/").content.decode()


def test_ops_list_queries_do_not_grow_with_rows(
    page_client, operator_admin, buyer_owner, merchant_owner, django_assert_max_num_queries
):
    shipped_order(buyer_owner, merchant_owner)
    client = page_client(operator_admin)
    client.get("/ops/shipments/")
    with django_assert_max_num_queries(30) as few:
        client.get("/ops/shipments/")
    for n in range(4):
        shipped_order(make_actor("buyer", "owner", email=f"p{n}@many.test"), merchant_owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/ops/shipments/")
    assert page.content.decode().count('data-testid="shipment-row"') == 5
