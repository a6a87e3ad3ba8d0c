"""Inspection pages: the operators' queue, grade and confirm forms with inline errors,
failed refunds with a retry for admins, consolidations with a ship action; the merchant
sees the decision and its numbers, the buyer the refund."""

import pytest

from tradelane.core.outbox import relay_pending
from tradelane.payments.models import SimulatedCharge
from tradelane.returns import inspection
from tradelane.returns.models import Consolidation, ReturnRequest, ReturnSettlement

from ._inspection import at_point

pytestmark = pytest.mark.django_db


def test_operators_grade_and_confirm_from_the_return_page(
    page_client, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    client = page_client(operator_support)
    queue = client.get("/ops/returns/inspection/")
    assert queue.status_code == 200 and request.number in queue.content.decode()
    page = client.get(f"/ops/returns/{request.pk}/").content.decode()
    assert 'data-testid="grade-form"' in page and 'data-testid="confirm-form"' not in page

    bad = client.post(f"/ops/returns/{request.pk}/inspection/grade/", {"grade": "shiny"})
    assert bad.status_code == 422
    assert "Select a valid choice" in bad.content.decode()
    assert ReturnRequest.objects.get(pk=request.pk).status == "received"

    graded = client.post(
        f"/ops/returns/{request.pk}/inspection/grade/", {"grade": "defective", "notes": "dead"}
    )
    assert graded.status_code == 302 and graded["Location"] == f"/ops/returns/{request.pk}/"
    page = client.get(f"/ops/returns/{request.pk}/").content.decode()
    assert 'data-testid="disposition-options"' in page and 'data-testid="confirm-form"' in page
    assert 'data-option="resell_locally" data-allowed="false"' in page

    refused = client.post(
        f"/ops/returns/{request.pk}/inspection/confirm/", {"disposition": "resell_locally"}
    )
    assert refused.status_code == 422
    assert "Only items graded as new or opened are resold" in refused.content.decode()
    assert ReturnRequest.objects.get(pk=request.pk).status == "inspected"

    done = client.post(
        f"/ops/returns/{request.pk}/inspection/confirm/", {"disposition": "return_to_merchant"}
    )
    assert done.status_code == 302
    assert ReturnRequest.objects.get(pk=request.pk).status == "completed"
    assert Consolidation.objects.get().items == 3


def test_the_merchant_sees_the_numbers_and_the_buyer_the_refund(
    page_client, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    inspection.inspect_return(actor=operator_support, return_id=request.pk, grade="as_new")
    row = inspection.confirm_disposition(actor=operator_support, return_id=request.pk)
    relay_pending()
    merchant = page_client(merchant_owner).get(f"/merchant/returns/{request.pk}/").content.decode()
    for part in (
        'data-testid="disposition-options"',
        'data-testid="bearers"',
        'data-testid="settlement-rule"',
        "$27.00",  # resale recovery
        'data-disposition="resell_locally"',
    ):
        assert part in merchant, part
    assert 'data-testid="grade-form"' not in merchant
    buyer = page_client(buyer_owner).get(f"/store/returns/{request.pk}/").content.decode()
    assert 'data-testid="refund-status" data-status="succeeded"' in buyer
    assert f"${row.total:.2f}" in buyer and 'data-testid="refund-goods">$30.00' in buyer
    assert 'data-testid="disposition-options"' not in buyer and "bearers" not in buyer


def test_failed_refunds_are_shown_to_operators_and_admins_retry_them(
    page_client, buyer_owner, merchant_owner, operator_support, operator_admin
):
    request = at_point(buyer_owner, merchant_owner, method="test_refund_decline")
    inspection.inspect_return(actor=operator_support, return_id=request.pk, grade="as_new")
    inspection.confirm_disposition(actor=operator_support, return_id=request.pk)
    relay_pending()
    support = page_client(operator_support)
    queue = support.get("/ops/returns/inspection/").content.decode()
    assert "The provider declined the refund." in queue
    page = support.get(f"/ops/returns/{request.pk}/").content.decode()
    assert 'data-testid="refund-message"' in page and 'data-testid="retry-refund"' not in page
    assert support.post(f"/ops/returns/{request.pk}/refund/retry/").status_code == 403
    admin = page_client(operator_admin)
    assert 'data-testid="retry-refund"' in admin.get(f"/ops/returns/{request.pk}/").content.decode()
    SimulatedCharge.objects.update(method="test_ok")
    retried = admin.post(f"/ops/returns/{request.pk}/refund/retry/")
    assert retried.status_code == 302
    assert ReturnSettlement.objects.get(request=request).refund_status == "succeeded"


def test_consolidations_page_ships_an_open_parcel(
    page_client, buyer_owner, merchant_owner, operator_support
):
    request = at_point(buyer_owner, merchant_owner)
    inspection.inspect_return(actor=operator_support, return_id=request.pk, grade="opened")
    inspection.confirm_disposition(
        actor=operator_support, return_id=request.pk, disposition="return_to_merchant"
    )
    client = page_client(operator_support)
    consolidation = Consolidation.objects.get()
    listing = client.get("/ops/returns/consolidations/?status=open").content.decode()
    assert f'data-consolidation="{consolidation.pk}" data-status="open"' in listing
    shipped = client.post(f"/ops/returns/consolidations/{consolidation.pk}/ship/")
    assert shipped.status_code == 302
    consolidation.refresh_from_db()
    assert consolidation.status == "shipped" and consolidation.tracking_number
    listing = client.get("/ops/returns/consolidations/?status=open").content.decode()
    assert f'data-consolidation="{consolidation.pk}"' not in listing


def test_merchants_and_buyers_cannot_open_the_inspection_pages(
    page_client, buyer_owner, merchant_owner
):
    request = at_point(buyer_owner, merchant_owner)
    for actor in (merchant_owner, buyer_owner):
        client = page_client(actor)
        assert client.get("/ops/returns/inspection/").status_code in (403, 404)
        assert client.get("/ops/returns/consolidations/").status_code in (403, 404)
        response = client.post(f"/ops/returns/{request.pk}/inspection/grade/", {"grade": "as_new"})
        assert response.status_code in (403, 404)
    assert ReturnRequest.objects.get(pk=request.pk).status == "received"
