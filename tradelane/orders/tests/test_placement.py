"""What one placement costs and what it answers: the statements of a one-line order, a 201
built from the rows written that equals reading them back, and the outcome recorded once
when the provider was out or another call decided the payment first."""

from datetime import timedelta

import pytest

from tradelane.core.models import OutboxEvent
from tradelane.orders.models import Order, OrderStatusChange
from tradelane.orders.services import checkout as placement
from tradelane.orders.testing import checkout_body, place_order, selling
from tradelane.payments import services as payments

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(merchant_owner):
    return selling(merchant_owner)


def _history(order):
    return list(
        OrderStatusChange.objects.filter(subject=order).values_list("from_status", "to_status")
    )


def test_a_one_line_placement_costs_28_statements(
    api, buyer_owner, sku, settings, django_assert_num_queries
):
    settings.AUTH_TOKEN_CACHE_SECONDS = 0  # the bearer token is read on every request
    client = api(buyer_owner)
    first = client.post("/checkout", checkout_body(lines=[(sku.pk, 1)]))  # loads the quote data
    assert first.status_code == 201, first.json()
    # token 1; reads 5: market, SKUs with their prices, stock, pickup warehouses, reference
    #   version;
    # write 10: BEGIN, checkout, payment, order, line, stock UPDATE, movement, stock event,
    #   history, COMMIT;
    # simulated provider 4: BEGIN, charge, request, COMMIT;
    # outcome 8: BEGIN, payment UPDATE, its history, provider operation, order UPDATE
    #   (guarded on placed), its history, order event, COMMIT.
    # The 201 is built from what was written: nothing is read back.
    with django_assert_num_queries(28):
        response = client.post("/checkout", checkout_body(lines=[(sku.pk, 1)]))
    assert response.status_code == 201, response.json()
    assert response.json()["orders"][0]["status"] == "paid"


@pytest.mark.parametrize(
    ("method", "status", "payment_status"),
    [("test_ok", "paid", "authorised"), ("test_error", "placed", "pending")],
)
def test_the_201_answer_equals_the_orders_read_back(
    api, buyer_owner, sku, other_merchant, method, status, payment_status
):
    other = selling(other_merchant, code="YIWU-MUG", unit_price="3.35")
    client = api(buyer_owner)
    response = client.post(
        "/checkout", checkout_body(lines=[(sku.pk, 20), (other.pk, 7)], method=method)
    )
    assert response.status_code == 201, response.json()
    orders = response.json()["orders"]
    assert [(o["status"], o["payment_status"]) for o in orders] == [(status, payment_status)] * 2
    assert orders == [client.get(f"/orders/{o['id']}").json() for o in orders]


def test_the_order_placed_event_carries_the_order_as_stored(api, buyer_owner, sku):
    response = api(buyer_owner).post("/checkout", checkout_body(lines=[(sku.pk, 20)]))
    assert response.status_code == 201, response.json()
    order = Order.objects.get()
    [event] = OutboxEvent.objects.filter(topic="orders.order_placed")
    assert event.payload == {
        "order_id": order.pk,
        "number": order.number,
        "buyer_id": buyer_owner.organisation_id,
        "merchant_id": order.merchant_id,
        "total": str(order.total),
        "currency": "USD",
        "status": "paid",
    }
    assert event.payload["total"] == response.json()["orders"][0]["total"] + "00"


def test_an_outage_leaves_the_order_placed_and_the_sweep_settles_it_once(
    buyer_owner, merchant_owner, sku
):
    order = place_order(buyer_owner, merchant_owner, sku=sku, method="test_error_once")
    assert (order.status, order.payment.status) == ("placed", "pending")
    assert placement.settle_stale_placements(older_than=timedelta(0)) == 1
    order.refresh_from_db()
    assert (order.status, order.payment.status) == ("paid", "authorised")
    assert _history(order) == [("", "placed"), ("placed", "paid")]
    assert placement.settle_stale_placements(older_than=timedelta(0)) == 0
    assert OutboxEvent.objects.filter(topic="orders.order_placed").count() == 1


def test_a_payment_another_call_decided_is_settled_from_a_fresh_read(
    buyer_owner, merchant_owner, sku
):
    order = place_order(buyer_owner, merchant_owner, sku=sku, method="test_error_once")
    payments.authorise_payment(payment_id=order.payment_id)  # another worker, without `then`
    assert order.payment.status == "pending"  # this copy does not know
    assert placement.authorise(order) is False
    order.refresh_from_db()
    assert order.status == "paid"
    assert _history(order) == [("", "placed"), ("placed", "paid")]
    assert placement.authorise(order) is False  # settled already: nothing more is written
    assert _history(order) == [("", "placed"), ("placed", "paid")]
    assert OutboxEvent.objects.filter(topic="orders.order_placed").count() == 1
