"""After placement: accept (captures), decline and cancel (release stock, void), documents,
notifications, lists and tenancy."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tradelane.accounts.models import Notification
from tradelane.catalog.models import StockLevel
from tradelane.orders.models import Order
from tradelane.orders.testing import checkout_body, selling
from tradelane.payments import selectors as payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(api, buyer_owner, merchant_owner, django_capture_on_commit_callbacks):
    sku = selling(merchant_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(buyer_owner).post(
            "/checkout", checkout_body(lines=[(sku.pk, 10)], buyer_tax_id="")
        )
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    order.sku = sku
    return order


def _payment(order):
    return payments.payment_for_reference(f"order:{order.number}")


def _reserved(order):
    return StockLevel.objects.get(sku=order.sku).reserved


def test_placement_notifies_buyer_and_merchant_in_app_and_by_email(order):
    kinds = set(Notification.objects.values_list("organisation_id", "kind"))
    assert kinds == {
        (order.buyer_id, "orders.order_placed"),
        (order.merchant_id, "orders.order_placed"),
    }
    assert any(order.number in m.subject for m in mail.outbox)


def test_accepting_captures_the_payment(
    api, merchant_owner, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(merchant_owner).post(f"/orders/{order.pk}/accept")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert _payment(order).status == "captured"
    response = api(merchant_owner).post(f"/orders/{order.pk}/ready")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "awaiting_handover"
    assert [h["to_status"] for h in response.json()["history"]] == [
        "placed",
        "paid",
        "accepted",
        "awaiting_handover",
    ]


def test_declining_needs_a_reason_releases_stock_and_voids(
    api, merchant_owner, order, django_capture_on_commit_callbacks
):
    client = api(merchant_owner)
    response = client.post(f"/orders/{order.pk}/decline", {"reason": ""})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    assert _reserved(order) == 10
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/orders/{order.pk}/decline", {"reason": "Out of production"})
    assert response.json()["status"] == "declined"
    assert _reserved(order) == 0
    assert _payment(order).status == "voided"
    assert Notification.objects.filter(kind="orders.order_declined").count() == 2


def test_buyer_cancels_after_capture_and_is_refunded(
    api, buyer_owner, merchant_owner, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api(merchant_owner).post(f"/orders/{order.pk}/accept")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(buyer_owner).post(f"/orders/{order.pk}/cancel", {"reason": "PO withdrawn"})
    assert response.json()["status"] == "cancelled"
    assert _reserved(order) == 0
    payment = _payment(order)
    assert payment.status == "refunded"
    assert payment.refunded_amount == payment.captured_amount


def test_transitions_are_checked(api, buyer_owner, merchant_owner, order):
    client = api(merchant_owner)
    assert client.post(f"/orders/{order.pk}/ready").status_code == 409
    client.post(f"/orders/{order.pk}/accept")
    assert client.post(f"/orders/{order.pk}/accept").status_code == 409
    assert client.post(f"/orders/{order.pk}/decline", {"reason": "late"}).status_code == 409
    Order.objects.filter(pk=order.pk).update(status="handed_over")
    response = api(buyer_owner).post(f"/orders/{order.pk}/cancel", {"reason": ""})
    assert response.status_code == 409
    assert _reserved(order) == 10


def test_other_tenants_see_404(api, other_buyer, other_merchant, order):
    assert api(other_buyer).get(f"/orders/{order.pk}").status_code == 404
    assert api(other_merchant).get(f"/orders/{order.pk}").status_code == 404
    assert api(other_merchant).post(f"/orders/{order.pk}/accept").status_code == 404
    assert api(other_buyer).post(f"/orders/{order.pk}/cancel", {}).status_code == 404
    assert api(other_buyer).get(f"/orders/{order.pk}/invoice.pdf").status_code == 404
    assert Order.objects.get().status == "paid"


def test_buyer_and_merchant_lists_and_filters(api, buyer_owner, merchant_owner, other_buyer, order):
    assert [o["number"] for o in api(buyer_owner).get("/orders").json()["items"]] == [order.number]
    assert [o["number"] for o in api(merchant_owner).get("/orders").json()["items"]] == [
        order.number
    ]
    assert api(other_buyer).get("/orders").json()["items"] == []
    assert api(buyer_owner).get("/orders", {"status": "accepted"}).json()["items"] == []
    assert api(buyer_owner).get("/orders", {"status": "nonsense"}).status_code == 422


def test_order_list_queries_do_not_grow_with_the_page(api, buyer_owner, merchant_owner, order):
    clients = [api(buyer_owner), api(merchant_owner)]
    for client in clients:
        client.get("/orders")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as one:
        clients[0].get("/orders")
    for _ in range(4):
        clients[0].post("/checkout", checkout_body(lines=[(order.sku.pk, 5)]))
    for client in clients:
        with CaptureQueriesContext(connection) as five:
            response = client.get("/orders")
        assert len(response.json()["items"]) == 5
        assert len(five.captured_queries) <= len(one.captured_queries)


def test_commercial_invoice_pdf_carries_trade_data(api, buyer_owner, order):
    response = api(buyer_owner).get(f"/orders/{order.pk}/invoice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    hs_code = order.lines.get().hs_code.encode()
    assert hs_code in pdf and order.number.encode() in pdf and b"DDP" in pdf
    assert b"Seller / exporter" in pdf and b"(<)" not in pdf
    again = api(buyer_owner).get(f"/orders/{order.pk}/invoice.pdf").content
    assert again == pdf
