"""Another tenant's object answers 404 — on every API operation and page that takes an id.

Each operation with a path parameter must be listed here: in TENANT_CASES (a factory that
makes an object belonging to another tenant) or in GLOBAL_RESOURCES (platform data such as
markets, not owned by a tenant). A new endpoint that is in neither fails the first test.
"""

import json

import pytest

from config.api import api as ninja_api
from tradelane.accounts import services as accounts
from tradelane.accounts.models import ApiToken, Invitation, Membership, Notification
from tradelane.accounts.notifications import notify
from tradelane.accounts.testing import make_actor
from tradelane.catalog.models import Price, Product, Sku, StockLevel
from tradelane.catalog.testing import make_product, sku_fields
from tradelane.core import jobs
from tradelane.core.access import declared_rules
from tradelane.core.api import operations
from tradelane.logistics.fulfilment.testing import other_shipment
from tradelane.merchants import services as merchants
from tradelane.merchants.models import Application, Warehouse
from tradelane.merchants.testing import make_edition, make_warehouse
from tradelane.orders.models import CartLine, Order
from tradelane.orders.services import add_to_cart
from tradelane.orders.testing import place_order, selling
from tradelane.payments.models import Payment, Refund
from tradelane.payments.testing import captured_payment
from tradelane.returns.models import ReturnRequest, ReverseShipment
from tradelane.returns.testing import other_delivered_order, other_evidence, other_return


def other_reverse_return(victim, intruder):
    """An approved return of `victim` (as its buyer or merchant) with its reverse parcel."""
    from tradelane.returns.services import request_return
    from tradelane.returns.testing import delivered_order, photo

    if victim.kind == "merchant":
        buyer, merchant = (
            make_actor("buyer", "owner", email=f"rv-{victim.organisation_id}@b.test"),
            victim,
        )
    else:
        buyer, merchant = (
            victim,
            make_actor("merchant", "owner", email=f"rv-{victim.organisation_id}@m.test"),
        )
    sku = selling(merchant, code=f"RV-{merchant.organisation_id}", unit_price="200.00")
    order = delivered_order(buyer, merchant, sku=sku)
    return request_return(
        actor=buyer,
        order_line_id=order.lines.get().pk,
        quantity=1,
        reason="damaged_in_transit",
        photos=[photo()],
    ).pk


def other_token(victim, intruder):
    token, _ = accounts.create_token(actor=victim, name="victim's")
    return token.pk


def other_invitation(victim, intruder):
    return accounts.invite_member(actor=victim, email="invitee@victim.test", role="staff").pk


def other_member(victim, intruder):
    return Membership.objects.get(user=victim.user).pk


def other_application(victim, intruder):
    edition = make_edition(None, name=f"Tenancy edition {victim.organisation_id}")
    return merchants.start_application(actor=victim, edition_id=edition.pk, export_years=3).pk


def other_warehouse(victim, intruder):
    return make_warehouse(victim).pk


def other_notification(victim, intruder):
    return notify(
        organisation_id=victim.organisation_id, kind="test", title="Private", dedupe_key="t"
    ).pk


def _catalog_owner(victim):
    """Products belong to merchants: a buyer victim stands for a third merchant."""
    if victim.kind == "merchant":
        return victim
    return make_actor("merchant", "owner", email=f"third-{victim.organisation_id}@catalog.test")


def other_product(victim, intruder):
    owner = _catalog_owner(victim)
    return make_product(owner, skus=[sku_fields(f"T-{owner.organisation_id}")]).pk


def other_sku(victim, intruder):
    return Sku.objects.get(product_id=other_product(victim, intruder)).pk


def other_sku_in_own_warehouse(victim, intruder):
    """Another tenant's SKU, addressed with the intruder's own warehouse."""
    sku_id = other_sku(victim, intruder)
    return {"sku_id": sku_id, "warehouse_id": make_warehouse(intruder, name="Own").pk}


def own_sku_in_other_warehouse(victim, intruder):
    """The intruder's own SKU, addressed with another tenant's warehouse."""
    sku_id = other_sku(intruder, victim)
    return {"sku_id": sku_id, "warehouse_id": make_warehouse(victim, name="Theirs").pk}


def _order_parties(victim):
    """An order of the victim: as its buyer, or as its merchant with a third buyer."""
    if victim.kind == "merchant":
        buyer = make_actor("buyer", "owner", email=f"third-{victim.organisation_id}@buyer.test")
        return buyer, victim
    return victim, make_actor("merchant", "owner", email=f"third-{victim.organisation_id}@m.test")


def other_order(victim, intruder):
    buyer, merchant = _order_parties(victim)
    return place_order(buyer, merchant).pk


def other_cart_line(victim, intruder):
    buyer, merchant = _order_parties(victim)
    sku = selling(merchant, code=f"CART-{merchant.organisation_id}")
    line = add_to_cart(actor=buyer, market="US", sku_id=sku.pk, quantity=5)
    return {"market": "US", "line_id": line.pk}


def other_payment(victim, intruder):
    """A payment the victim's organisation made (buyer) or receives (merchant)."""
    if victim.kind == "buyer":
        return captured_payment(victim).pk
    payer = make_actor("buyer", "owner", email=f"payer-{victim.organisation_id}@payments.test")
    return captured_payment(payer, victim).pk


def other_import_job(victim, intruder):
    return jobs.create_job(actor=victim, kind="catalog.import_prices", total=1).pk


# Bodies for operations that need a valid one (the 404 must not hide behind a 422).
BODIES = {
    "POST /merchant/products/{product_id}/skus": sku_fields("INTRUDER-1"),
    "POST /merchant/skus/{sku_id}/prices": {
        "market": "US",
        "currency": "USD",
        "unit_price": "1.00",
        "moq": 1,
        "increment": 1,
    },
    "PUT /merchant/skus/{sku_id}/stock/{warehouse_id}": {"on_hand": 5},
    "POST /merchant/skus/{sku_id}/stock/{warehouse_id}/adjust": {"delta": 5},
    "PATCH /cart/{market}/lines/{line_id}": {"quantity": 50},
    "POST /merchant/skus/{sku_id}/supply-price": {
        "market": "US",
        "currency": "USD",
        "supply_price": "1.00",
    },
    "POST /orders/{order_id}/decline": {"reason": "intruder"},
    "POST /orders/{order_id}/cancel": {"reason": "intruder"},
    "POST /returns/{return_id}/approve": {"note": ""},
    "POST /returns/{return_id}/reject": {"reason": "intruder"},
    "POST /returns/{return_id}/dispute": {"note": "intruder"},
    "POST /returns/{return_id}/shipment/method": {"method": "drop_off"},
}
HEADERS = {"PUT /merchant/skus/{sku_id}/stock/{warehouse_id}": {"If-Match": "0"}}

TENANT_CASES = {
    "DELETE /tokens/{token_id}": other_token,
    "DELETE /invitations/{invitation_id}": other_invitation,
    "DELETE /members/{membership_id}": other_member,
    "GET /merchant/applications/{application_id}": other_application,
    "PATCH /merchant/applications/{application_id}": other_application,
    "POST /merchant/applications/{application_id}/submit": other_application,
    "POST /merchant/applications/{application_id}/eligibility": other_application,
    "GET /merchant/warehouses/{warehouse_id}": other_warehouse,
    "PATCH /merchant/warehouses/{warehouse_id}": other_warehouse,
    "POST /notifications/{notification_id}/read": other_notification,
    "GET /merchant/products/{product_id}": other_product,
    "PATCH /merchant/products/{product_id}": other_product,
    "POST /merchant/products/{product_id}/skus": other_product,
    "POST /merchant/products/{product_id}/images": other_product,
    "GET /merchant/skus/{sku_id}": other_sku,
    "PATCH /merchant/skus/{sku_id}": other_sku,
    "GET /merchant/skus/{sku_id}/prices": other_sku,
    "POST /merchant/skus/{sku_id}/prices": other_sku,
    "GET /merchant/skus/{sku_id}/visibility": other_sku,
    "GET /merchant/skus/{sku_id}/stock": other_sku,
    "GET /merchant/skus/{sku_id}/stock-movements": other_sku,
    "GET /merchant/skus/{sku_id}/stock/{warehouse_id}": other_sku_in_own_warehouse,
    "PUT /merchant/skus/{sku_id}/stock/{warehouse_id}": other_sku_in_own_warehouse,
    "POST /merchant/skus/{sku_id}/stock/{warehouse_id}/adjust": other_sku_in_own_warehouse,
    "POST /merchant/skus/{sku_id}/supply-price": other_sku,
    "GET /merchant/skus/{sku_id}/model-comparison": other_sku,
    "GET /orders/{order_id}": other_order,
    "GET /orders/{order_id}/invoice.pdf": other_order,
    "POST /orders/{order_id}/accept": other_order,
    "POST /orders/{order_id}/decline": other_order,
    "POST /orders/{order_id}/ready": other_order,
    "POST /orders/{order_id}/cancel": other_order,
    "PATCH /cart/{market}/lines/{line_id}": other_cart_line,
    "DELETE /cart/{market}/lines/{line_id}": other_cart_line,
    "GET /payments/{payment_id}": other_payment,
    "GET /catalog/imports/{job_id}": other_import_job,
    "GET /shipments/{shipment_id}": other_shipment,
    "GET /shipments/{shipment_id}/label.pdf": other_shipment,
    "GET /shipments/{shipment_id}/customs.pdf": other_shipment,
    "GET /shipments/{shipment_id}/packing-list.pdf": other_shipment,
    "GET /returns/{return_id}": other_return,
    "GET /returns/{return_id}/evidence/{evidence_id}": other_evidence,
    "POST /returns/{return_id}/approve": other_return,
    "POST /returns/{return_id}/reject": other_return,
    "POST /returns/{return_id}/cancel": other_return,
    "POST /returns/{return_id}/dispute": other_return,
    "GET /returns/orders/{order_id}": other_delivered_order,
    "GET /returns/{return_id}/shipment": other_reverse_return,
    "POST /returns/{return_id}/shipment/method": other_reverse_return,
    "GET /returns/{return_id}/label": other_reverse_return,
    "GET /returns/{return_id}/inspection": other_return,
    "GET /returns/{return_id}/settlement": other_return,
}
# Buyer-only operations: the intruder is another buyer (a merchant is refused by the rule).
INTRUDERS = {
    "POST /orders/{order_id}/cancel": "other_buyer",
    "PATCH /cart/{market}/lines/{line_id}": "other_buyer",
    "DELETE /cart/{market}/lines/{line_id}": "other_buyer",
    "POST /returns/{return_id}/cancel": "other_buyer",
    "POST /returns/{return_id}/dispute": "other_buyer",
    "GET /returns/orders/{order_id}": "other_buyer",
    "POST /returns/{return_id}/shipment/method": "other_buyer",
}
# The intruder's own SKU with another tenant's warehouse: also 404.
WAREHOUSE_CASES = {
    "GET /merchant/skus/{sku_id}/stock/{warehouse_id}": own_sku_in_other_warehouse,
    "PUT /merchant/skus/{sku_id}/stock/{warehouse_id}": own_sku_in_other_warehouse,
    "POST /merchant/skus/{sku_id}/stock/{warehouse_id}/adjust": own_sku_in_other_warehouse,
}
PAGE_CASES = {
    "/account/tokens/{id}/revoke/": other_token,
    "/account/invitations/{id}/revoke/": other_invitation,
    "/account/members/{id}/remove/": other_member,
    "/merchant/applications/{id}/": other_application,
    "/merchant/applications/{id}/eligibility/": other_application,
    "/merchant/warehouses/{id}/": other_warehouse,
    "/merchant/products/{id}/": other_product,
    "/merchant/products/{id}/skus/": other_product,
    "/merchant/skus/{id}/": other_sku,
    "/merchant/prices/{id}/US/": other_sku,
    "/merchant/products/{id}/images/": other_product,
    "/account/notifications/{id}/read/": other_notification,
    "/merchant/skus/{id}/models/": other_sku,
    "/merchant/orders/{id}/": other_order,
    "/orders/{id}/accept/": other_order,
    "/orders/{id}/decline/": other_order,
    "/orders/{id}/invoice.pdf": other_order,
    "/merchant/imports/{id}/": other_import_job,
    "/shipments/{id}/label.pdf": other_shipment,
    "/shipments/orders/{id}/tracking/": other_order,
    "/merchant/returns/{id}/": other_return,
    "/returns/{id}/approve/": other_return,
    "/returns/{id}/reject/": other_return,
    "/returns/{id}/label.pdf": other_reverse_return,
    "/returns/{id}/shipment/panel/": other_reverse_return,
    "/returns/{id}/shipment/method/": other_reverse_return,
}
# Operator-only: every application, by design; merchants and buyers are refused (403).
OPERATOR_ONLY = {
    "GET /program/applications/{application_id}": {},
    "POST /program/applications/{application_id}/approve": {},
    "POST /program/applications/{application_id}/reject": {"reasons": "no"},
    "POST /program/applications/{application_id}/request-changes": {"note": "fix"},
    "POST /ops/shipments/{shipment_id}/reattempt": {"note": ""},
    "POST /ops/shipments/{shipment_id}/return": {"note": ""},
    "POST /ops/shipments/{shipment_id}/lost": {"note": ""},
    "POST /ops/returns/{return_id}/resolve": {"decision": "approve", "note": "x"},
    "POST /payments/{payment_id}/refunds": {
        "amount": {"amount": "1.00", "currency": "USD"},
        "reason": "x",
    },
    "POST /returns/{return_id}/inspection": {"grade": "as_new"},
    "POST /returns/{return_id}/disposition": {},
    "POST /returns/{return_id}/refund/retry": {},
}
GLOBAL_RESOURCES = {
    "GET /logistics/rate-cards/{card_id}",
    "POST /logistics/rate-cards/{card_id}/revisions",
    "POST /logistics/duty-rates/{rate_id}/end",
    "GET /markets/{code}",
    "PATCH /markets/{code}",
    "POST /markets/{code}/launch",
    "POST /markets/{code}/status",
    "POST /markets/{code}/tax-regimes",
    "POST /markets/{code}/tax-regimes/{regime_id}/end",
    "POST /markets/{code}/fees",
    "POST /markets/{code}/fees/{fee_id}/end",
    "GET /program/editions/{edition_id}",
    "PATCH /program/editions/{edition_id}",
    "GET /program/editions/{edition_id}/rules",
    "PATCH /program/editions/{edition_id}/rules/{code}",
    "GET /merchants/{organisation_id}/profile",  # public: admitted merchants only
    "GET /store/{market}/products",  # storefront: only what is sold in the market
    "GET /store/{market}/products/{sku_id}",
    "POST /ops/catalog/skus/{sku_id}/retail-price",  # operators price any SKU; others 403
    "GET /track/{number}",  # public, by tracking number, no personal data
    "GET /track/returns/{number}",  # public, by tracking number, no personal data
    "POST /carriers/{carrier}/webhook",  # signed by the carrier
    "POST /carriers/{carrier}/returns/webhook",  # signed by the carrier
    "GET /returns/policies/{market}",  # public terms
    "PUT /ops/return-policies/{market}",  # operator admins edit market defaults; others 403
    "PUT /merchant/return-terms/{market}",  # the caller's own terms, addressed by market
    "PATCH /return-points/{market}",  # operator admins edit a market's return point; others 403
    # the caller's own cart, addressed by market: no other tenant's id in the path
    "GET /cart/{market}",
    "POST /cart/{market}/lines",
    "PUT /cart/{market}/tier",
    "PUT /cart/{market}/postal-code",
    "POST /cart/{market}/accept-prices",
    "POST /consolidations/{consolidation_id}/ship",  # operators ship any merchant's; others 403
}


def test_every_operation_with_an_id_is_covered():
    with_params = {
        f"{method} {path}"
        for method, path, view in operations(ninja_api)
        if "{" in path and declared_rules(view)
    }
    uncovered = with_params - set(TENANT_CASES) - GLOBAL_RESOURCES - set(OPERATOR_ONLY)
    assert uncovered == set(), "add a tenancy case (or mark the resource global)"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(TENANT_CASES))
@pytest.mark.parametrize("victim_fixture", ["merchant_owner", "buyer_owner"])
def test_api_answers_404_for_another_tenants_object(api, request, operation, victim_fixture):
    victim = request.getfixturevalue(victim_fixture)
    intruder = request.getfixturevalue(INTRUDERS.get(operation, "other_merchant"))
    if operation in WAREHOUSE_CASES and victim_fixture == "merchant_owner":
        _assert_404(api, operation, WAREHOUSE_CASES[operation](victim, intruder), intruder)
    _assert_404(api, operation, TENANT_CASES[operation](victim, intruder), intruder)


def _assert_404(api, operation, ids, intruder):
    method, path = operation.split(" ")
    if not isinstance(ids, dict):
        ids = {path[path.index("{") + 1 : path.index("}")]: ids}
    url = path
    for name, value in ids.items():
        url = url.replace(f"{{{name}}}", str(value))
    client = api(intruder)
    before = _state()
    body, headers = BODIES.get(operation), HEADERS.get(operation)
    if method == "PUT":
        response = client.client.put(
            client._url(url),
            json.dumps(body or {}),
            content_type="application/json",
            **client._headers(headers),
        )
    elif method in ("POST", "PATCH"):
        response = getattr(client, method.lower())(url, body, headers=headers)
    else:
        response = getattr(client, method.lower())(url)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("page_url", sorted(PAGE_CASES))
def test_pages_answer_404_for_another_tenants_object(page_client, request, page_url):
    victim = request.getfixturevalue("buyer_owner")
    intruder = request.getfixturevalue("other_merchant")
    object_id = PAGE_CASES[page_url](victim, intruder)
    before = _state()
    response = page_client(intruder).post(page_url.replace("{id}", str(object_id)))
    assert response.status_code == 404
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(OPERATOR_ONLY))
@pytest.mark.parametrize("intruder_fixture", ["other_merchant", "buyer_owner"])
def test_operator_only_operations_refuse_merchants_and_buyers(
    api, request, merchant_owner, operation, intruder_fixture
):
    method, path = operation.split(" ")
    if "{shipment_id}" in path:
        url = path.replace("{shipment_id}", str(other_shipment(merchant_owner, None)))
    elif "{payment_id}" in path:
        url = path.replace("{payment_id}", str(other_payment(merchant_owner, None)))
    elif "{return_id}" in path:
        url = path.replace("{return_id}", str(other_return(merchant_owner, None)))
    else:
        url = path.replace("{application_id}", str(other_application(merchant_owner, None)))
    client = api(request.getfixturevalue(intruder_fixture))
    before = _state()
    response = getattr(client, method.lower())(
        url, *([OPERATOR_ONLY[operation]] if method == "POST" else [])
    )
    assert response.status_code == 403, response.content
    assert _state() == before


def _state():
    return (
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Invitation.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Application.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        list(Warehouse.objects.order_by("pk").values_list("pk", "name", "updated_at")),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(Product.objects.order_by("pk").values_list("pk", "title", "updated_at")),
        list(Sku.objects.order_by("pk").values_list("pk", "code", "updated_at")),
        Price.objects.count(),
        list(StockLevel.objects.order_by("pk").values_list("pk", "on_hand", "version")),
        list(Order.objects.order_by("pk").values_list("pk", "status")),
        list(CartLine.objects.order_by("pk").values_list("pk", "quantity")),
        list(Payment.objects.order_by("pk").values_list("pk", "status", "refunded_amount")),
        Refund.objects.count(),
        list(ReturnRequest.objects.order_by("pk").values_list("pk", "status")),
        list(
            ReverseShipment.objects.order_by("pk").values_list(
                "pk", "status", "method", "cost", "label_printed_at"
            )
        ),
    )
