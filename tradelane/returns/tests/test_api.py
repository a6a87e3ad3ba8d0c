"""Returns over the API: multipart requests with photos, clear 4xx, tenancy, decisions,
the operator queue, merchant terms, pagination with constant queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tradelane.accounts.testing import make_actor
from tradelane.orders.testing import place_order
from tradelane.returns.models import ReturnRequest
from tradelane.returns.testing import delivered_order, make_return, photo

pytestmark = pytest.mark.django_db


def _post(api, actor, data, files=(), headers=None):
    client = api(actor)
    body = dict(data)
    if files:
        body["evidence"] = [
            SimpleUploadedFile(name, content, content_type=ctype) for name, content, ctype in files
        ]
    return client.client.post("/api/v1/returns", body, **client._headers(headers))


def _body(order, **extra):
    return {
        "order_line_id": order.lines.get().pk,
        "quantity": 2,
        "reason": "damaged_in_transit",
        **extra,
    }


def test_damaged_with_a_photo_is_approved_at_once(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=2))
    response = _post(
        api, buyer_owner, _body(order), files=[("box.jpg", photo("JPEG"), "image/jpeg")]
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["auto_approved"], body["quantity"]) == ("approved", True, 2)
    assert body["order_number"] == order.number and body["evidence_count"] == 1
    assert [h["to_status"] for h in body["history"]] == ["requested", "approved"]
    image = api(buyer_owner).client.get(
        f"/api/v1/returns/{body['id']}/evidence/{body['evidence'][0]['id']}",
        **api(buyer_owner)._headers(None),
    )
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    page = api(merchant_owner).get(f"/returns/{body['id']}")
    assert page.status_code == 200 and page.json()["buyer"] == "Acme Supply"


def test_idempotency_key_replays_the_first_answer(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner)
    headers = {"Idempotency-Key": "ret-1"}
    first = _post(api, buyer_owner, _body(order, reason="defective"), headers=headers)
    again = _post(api, buyer_owner, _body(order, reason="defective"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert ReturnRequest.objects.count() == 1
    other = _post(api, buyer_owner, _body(order, quantity=1, reason="defective"), headers=headers)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_bad_requests_name_the_field(api, buyer_owner, merchant_owner, other_buyer):
    order = delivered_order(buyer_owner, merchant_owner, quantity=3)
    late = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=40))
    undelivered = place_order(buyer_owner, merchant_owner, quantity=1, sku=order.lines.get().sku)
    cases = [
        (buyer_owner, _body(order, quantity=4), [], 422, "exceeds_returnable", "quantity"),
        (buyer_owner, _body(order, quantity=0), [], 422, "invalid", "quantity"),
        (buyer_owner, _body(order, reason="bored"), [], 422, "invalid", "reason"),
        (buyer_owner, _body(order, reason="changed_mind"), [], 422, "reason_not_covered", "reason"),
        (buyer_owner, _body(late), [], 422, "outside_return_window", "order_line_id"),
        (buyer_owner, _body(undelivered), [], 409, "not_delivered", "order_line_id"),
        (other_buyer, _body(order), [], 404, "not_found", "order_line_id"),
        (
            buyer_owner,
            _body(order),
            [("photo.jpg", b"%PDF-1.4 fake", "image/jpeg")],
            422,
            "not_an_image",
            "evidence[0]",
        ),
    ]
    for actor, data, files, status, code, field in cases:
        response = _post(api, actor, data, files=files)
        assert response.status_code == status, (data, response.content)
        assert (response.json()["code"], response.json()["field"]) == (code, field), data
    assert ReturnRequest.objects.count() == 0


def test_merchants_cannot_request_and_buyers_cannot_decide(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner)
    assert _post(api, merchant_owner, _body(order)).status_code == 403
    request = make_return(buyer_owner, merchant_owner)
    response = api(buyer_owner).post(f"/returns/{request.pk}/approve", {"note": ""})
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == "requested"


def test_another_tenant_sees_404(api, buyer_owner, merchant_owner, other_buyer, other_merchant):
    request = make_return(buyer_owner, merchant_owner, photos=[photo()])
    evidence = request.evidence.get()
    for intruder in (other_buyer, other_merchant):
        client = api(intruder)
        assert client.get(f"/returns/{request.pk}").status_code == 404
        assert client.get(f"/returns/{request.pk}/evidence/{evidence.pk}").status_code == 404
    assert (
        api(other_merchant).post(f"/returns/{request.pk}/reject", {"reason": "x"}).json()["code"]
        == "not_found"
    )
    assert api(other_buyer).post(f"/returns/{request.pk}/cancel").status_code == 404
    assert api(other_buyer).get(f"/returns/orders/{request.order_id}").status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_reject_dispute_and_operator_queue(api, buyer_owner, merchant_owner, operator_admin):
    request = make_return(buyer_owner, merchant_owner)
    merchant = api(merchant_owner)
    assert merchant.post(f"/returns/{request.pk}/reject", {"reason": ""}).status_code == 422
    rejected = merchant.post(f"/returns/{request.pk}/reject", {"reason": "Not defective"})
    assert rejected.json()["status"] == "rejected"
    disputed = api(buyer_owner).post(f"/returns/{request.pk}/dispute", {"note": "It is."})
    assert disputed.json()["status"] == "disputed"
    queue = api(operator_admin).get("/ops/returns/queue").json()
    assert [r["number"] for r in queue["items"]] == [request.number]
    assert api(merchant_owner).get("/ops/returns/queue").status_code == 403
    resolved = api(operator_admin).post(
        f"/ops/returns/{request.pk}/resolve", {"decision": "approve", "note": "photo clear"}
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "approved"
    assert api(operator_admin).get("/ops/returns/queue").json()["items"] == []


def test_returnable_view_and_merchant_terms(api, buyer_owner, merchant_owner, merchant_staff):
    order = delivered_order(buyer_owner, merchant_owner, quantity=6)
    make_return(buyer_owner, merchant_owner, quantity=2, order=order)
    view = api(buyer_owner).get(f"/returns/orders/{order.pk}").json()
    assert [(x["delivered"], x["held"], x["returnable"]) for x in view["lines"]] == [(6, 2, 4)]
    assert "changed_mind" not in view["policy"]["reasons"]
    staff = api(merchant_staff).client.put(
        "/api/v1/merchant/return-terms/US",
        '{"window_days": 45, "accepts_changed_mind": true}',
        content_type="application/json",
        **api(merchant_staff)._headers(None),
    )
    assert staff.status_code == 403
    owner = api(merchant_owner)
    response = owner.client.put(
        "/api/v1/merchant/return-terms/us",
        '{"window_days": 45, "accepts_changed_mind": true}',
        content_type="application/json",
        **owner._headers(None),
    )
    assert response.status_code == 200, response.content
    assert response.json()["window_days"] == 45 and response.json()["accepts_changed_mind"]
    view = api(buyer_owner).get(f"/returns/orders/{order.pk}").json()
    assert view["policy"]["window_days"] == 45 and "changed_mind" in view["policy"]["reasons"]
    short = owner.client.put(
        "/api/v1/merchant/return-terms/US",
        '{"window_days": 7, "accepts_changed_mind": true}',
        content_type="application/json",
        **owner._headers(None),
    )
    assert short.status_code == 422 and short.json()["field"] == "window_days"


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_lists_use_a_constant_number_of_queries(api, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=50)
    make_return(buyer_owner, merchant_owner, order=order, photos=[photo()])
    client = api(buyer_owner)
    _queries(client, "/returns")  # warm: the token's first use is recorded once
    baseline = _queries(client, "/returns")
    for _ in range(5):
        make_return(buyer_owner, merchant_owner, order=order, photos=[photo()])
    other = make_actor("merchant", "owner", email="m2@returns.test")
    make_return(buyer_owner, other)
    assert _queries(client, "/returns") == baseline
    assert len(client.get("/returns").json()["items"]) == 7
    merchant = api(merchant_owner)
    _queries(merchant, "/returns")
    assert _queries(merchant, "/returns") == baseline
