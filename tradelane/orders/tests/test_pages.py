"""Pages: cart, checkout with field errors, confirmation, order lists and detail, actions."""

import pytest

from tradelane.orders.models import Order
from tradelane.orders.testing import ADDRESSES, selling

pytestmark = pytest.mark.django_db


@pytest.fixture
def sku(merchant_owner):
    return selling(merchant_owner)


def _checkout_form(**overrides):
    form = {**ADDRESSES["US"], "incoterm": "DDP", "payment_method": "test_ok", "po_number": "PO-7"}
    form.update(overrides)
    return form


def test_buyer_adds_to_cart_checks_out_and_sees_the_order(page_client, buyer_owner, sku):
    client = page_client(buyer_owner)
    product = client.get(f"/store/US/products/{sku.pk}/")
    assert b'data-testid="add-to-cart"' in product.content
    response = client.post("/store/US/cart/add/", {"sku_id": sku.pk, "quantity": 10})
    assert response.status_code == 302
    cart = client.get("/store/US/cart/")
    assert cart.status_code == 200
    assert b"VOLT-65W-EU" in cart.content and b'data-testid="cart-total"' in cart.content
    response = client.post("/store/US/checkout/", _checkout_form(postal_code=""))
    assert response.status_code == 422 and not Order.objects.exists()
    response = client.post("/store/US/checkout/", _checkout_form())
    assert response.status_code == 302, response.content[:2000]
    confirmation = client.get(response["Location"])
    order = Order.objects.get()
    assert order.number.encode() in confirmation.content
    assert client.get("/store/orders/").content.count(order.number.encode()) >= 1
    detail = client.get(f"/store/orders/{order.pk}/")
    assert b'data-testid="timeline"' in detail.content and b"PO-7" in detail.content


def test_empty_cart_and_empty_order_list_say_so(page_client, buyer_owner, sku):
    client = page_client(buyer_owner)
    assert b'data-testid="empty-cart"' in client.get("/store/US/cart/").content
    assert b"No order yet." in client.get("/store/orders/").content
    assert client.get("/store/US/checkout/").status_code == 302


def test_bad_cart_input_is_shown_not_a_500(page_client, buyer_owner, sku):
    client = page_client(buyer_owner)
    response = client.post("/store/US/cart/add/", {"sku_id": sku.pk, "quantity": "x"}, follow=True)
    assert response.status_code == 200
    assert client.post("/store/US/cart/nonsense/", {}).status_code in (302, 422)


def test_merchant_accepts_from_the_order_page(
    page_client, api, buyer_owner, merchant_owner, other_merchant, sku
):
    from tradelane.orders.testing import checkout_body

    api(buyer_owner).post("/checkout", checkout_body(lines=[(sku.pk, 10)]))
    order = Order.objects.get()
    merchant = page_client(merchant_owner)
    assert order.number.encode() in merchant.get("/merchant/orders/").content
    page = merchant.get(f"/merchant/orders/{order.pk}/")
    assert b'data-testid="accept"' in page.content
    merchant.post(f"/orders/{order.pk}/accept/")
    order.refresh_from_db()
    assert order.status == "accepted"
    assert page_client(other_merchant).get(f"/merchant/orders/{order.pk}/").status_code == 404
    assert page_client(buyer_owner).post(f"/orders/{order.pk}/accept/").status_code == 404
    pdf = merchant.get(f"/orders/{order.pk}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_operators_see_every_order_and_others_do_not(
    page_client, api, buyer_owner, operator_admin, merchant_owner, sku
):
    from tradelane.orders.testing import checkout_body

    api(buyer_owner).post("/checkout", checkout_body(lines=[(sku.pk, 10)]))
    order = Order.objects.get()
    ops = page_client(operator_admin)
    assert order.number.encode() in ops.get("/ops/orders/").content
    assert ops.get(f"/ops/orders/{order.pk}/").status_code == 200
    assert page_client(merchant_owner).get("/ops/orders/").status_code in (403, 404)
