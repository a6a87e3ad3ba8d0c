"""Pages: the buyer's form, list and detail; the merchant's decisions and terms; the
operator's disputes queue. Lists keep a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tradelane.orders.testing import place_order
from tradelane.returns.models import MerchantReturnTerms, ReturnRequest
from tradelane.returns.testing import delivered_order, make_return, photo

pytestmark = pytest.mark.django_db


def test_buyer_requests_a_return_with_a_photo(page_client, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=8)
    client = page_client(buyer_owner)
    form = client.get(f"/store/orders/{order.pk}/return/")
    assert form.status_code == 200
    assert b'data-testid="return-form"' in form.content
    assert b"changed_mind" not in form.content  # not offered without the merchant's opt-in
    response = client.post(
        f"/store/orders/{order.pk}/return/",
        {
            "order_line_id": order.lines.get().pk,
            "quantity": "3",
            "reason": "damaged_in_transit",
            "description": "Crushed box",
            "evidence": [SimpleUploadedFile("a.png", photo(), content_type="image/png")],
        },
    )
    request = ReturnRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/store/returns/{request.pk}/"
    assert (request.status, request.quantity) == ("approved", 3)
    detail = client.get(response["Location"])
    assert b'data-status="approved"' in detail.content
    assert f"/returns/{request.pk}/evidence/".encode() in detail.content
    evidence = request.evidence.get()
    image = client.get(f"/returns/{request.pk}/evidence/{evidence.pk}")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    listing = client.get("/store/returns/")
    assert request.number.encode() in listing.content


def test_form_shows_errors_next_to_the_field(page_client, buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=2)
    client = page_client(buyer_owner)
    url = f"/store/orders/{order.pk}/return/"
    line = order.lines.get().pk
    too_many = client.post(url, {"order_line_id": line, "quantity": "3", "reason": "defective"})
    assert too_many.status_code == 422
    assert b'data-field="quantity"' in too_many.content and b"At most 2" in too_many.content
    not_image = client.post(
        url,
        {
            "order_line_id": line,
            "quantity": "1",
            "reason": "defective",
            "evidence": [SimpleUploadedFile("a.jpg", b"MZ\x90 exe", content_type="image/jpeg")],
        },
    )
    assert not_image.status_code == 422 and b'data-field="evidence"' in not_image.content
    assert ReturnRequest.objects.count() == 0


def test_form_for_an_undelivered_or_another_buyers_order(
    page_client, buyer_owner, other_buyer, merchant_owner
):
    order = place_order(buyer_owner, merchant_owner)
    page = page_client(buyer_owner).get(f"/store/orders/{order.pk}/return/")
    assert page.status_code == 200 and b'data-testid="not-delivered"' in page.content
    assert page_client(other_buyer).get(f"/store/orders/{order.pk}/return/").status_code == 404
    assert page_client(merchant_owner).get(f"/store/orders/{order.pk}/return/").status_code == 403


def test_merchant_rejects_buyer_disputes_operator_decides(
    page_client, buyer_owner, merchant_owner, operator_admin
):
    request = make_return(buyer_owner, merchant_owner)
    merchant = page_client(merchant_owner)
    assert request.number.encode() in merchant.get("/merchant/returns/").content
    assert b'data-testid="decide"' in merchant.get(f"/merchant/returns/{request.pk}/").content
    merchant.post(f"/returns/{request.pk}/reject/", {"note": "Works here"})
    request.refresh_from_db()
    assert request.status == "rejected"
    buyer = page_client(buyer_owner)
    assert b'data-testid="dispute"' in buyer.get(f"/store/returns/{request.pk}/").content
    buyer.post(f"/returns/{request.pk}/dispute/", {"note": "Still broken"})
    ops = page_client(operator_admin)
    row = f'data-return="{request.number}"'.encode()
    assert row in ops.get("/ops/returns/").content
    ops.post(f"/returns/{request.pk}/approve/", {"note": "Photo is clear"})
    request.refresh_from_db()
    assert (request.status, request.resolution_note) == ("approved", "Photo is clear")
    assert row not in ops.get("/ops/returns/").content


def test_other_tenants_get_404_on_pages(
    page_client, buyer_owner, merchant_owner, other_buyer, other_merchant
):
    request = make_return(buyer_owner, merchant_owner, photos=[photo()])
    evidence = request.evidence.get()
    assert page_client(other_merchant).get(f"/merchant/returns/{request.pk}/").status_code == 404
    assert page_client(other_buyer).get(f"/store/returns/{request.pk}/").status_code == 404
    assert page_client(other_merchant).post(f"/returns/{request.pk}/approve/").status_code == 404
    assert page_client(other_buyer).post(f"/returns/{request.pk}/cancel/").status_code == 404
    url = f"/returns/{request.pk}/evidence/{evidence.pk}"
    assert page_client(other_buyer).get(url).status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"


def test_merchant_sets_terms(page_client, merchant_owner, merchant_staff):
    page = page_client(merchant_owner).get("/merchant/return-terms/")
    assert page.status_code == 200 and b'data-market="DE"' in page.content
    bad = page_client(merchant_owner).post(
        "/merchant/return-terms/", {"market": "DE", "window_days": "5"}
    )
    assert bad.status_code == 422 and b'data-field="window_days"' in bad.content
    ok = page_client(merchant_owner).post(
        "/merchant/return-terms/",
        {"market": "DE", "window_days": "40", "accepts_changed_mind": "on"},
    )
    assert ok.status_code == 302
    terms = MerchantReturnTerms.objects.get()
    assert (terms.market_id, terms.window_days, terms.accepts_changed_mind) == ("DE", 40, True)
    staff = page_client(merchant_staff).post(
        "/merchant/return-terms/", {"market": "DE", "window_days": "60"}
    )
    assert staff.status_code == 403
    assert MerchantReturnTerms.objects.get().window_days == 40


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("buyer_owner", "/store/returns/"),
        ("merchant_owner", "/merchant/returns/"),
        ("operator_admin", "/ops/returns/all/"),
        ("operator_admin", "/ops/returns/"),
    ],
)
def test_list_pages_do_not_grow_queries_with_rows(
    request, page_client, buyer_owner, merchant_owner, operator_admin, who, path
):
    order = delivered_order(buyer_owner, merchant_owner, quantity=50)
    client = page_client(request.getfixturevalue(who))

    def add(n):
        for _ in range(n):
            r = make_return(buyer_owner, merchant_owner, order=order, photos=[photo()])
            ReturnRequest.objects.filter(pk=r.pk).update(
                status="disputed", updated_at=timezone.now() - timedelta(minutes=1)
            )

    add(1)
    baseline = _queries(client, path)
    add(6)
    after = _queries(client, path)
    assert after == baseline
    assert client.get(path).content.count(b"data-return=") == 7


def _panel(actor, order) -> str:
    from django.template import Context, Template
    from django.test import RequestFactory

    req = RequestFactory().get("/")
    req.actor = actor
    template = Template("{% load returns_panel %}{% order_returns order %}")
    return template.render(Context({"request": req, "order": order}))


def test_order_page_panel_links_to_the_form_and_lists_returns(
    buyer_owner, merchant_owner, other_buyer
):
    order = delivered_order(buyer_owner, merchant_owner, quantity=3)
    html = _panel(buyer_owner, order)
    assert f"/store/orders/{order.pk}/return/" in html
    request = make_return(buyer_owner, merchant_owner, order=order)
    assert f"/store/returns/{request.pk}/" in _panel(buyer_owner, order)
    assert f"/merchant/returns/{request.pk}/" in _panel(merchant_owner, order)
    assert _panel(other_buyer, order).strip() == ""
    undelivered = place_order(buyer_owner, merchant_owner, sku=order.lines.get().sku)
    assert "return/" not in _panel(buyer_owner, undelivered)
