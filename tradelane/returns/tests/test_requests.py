"""Return requests: what a buyer may return, when, and how it is decided."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from tradelane.core.errors import Conflict, InvalidInput, NotFound
from tradelane.core.models import OutboxEvent
from tradelane.orders.testing import place_order
from tradelane.returns import services
from tradelane.returns.models import ReturnableLine, ReturnEvidence, ReturnRequest
from tradelane.returns.testing import delivered_order, make_return, photo

pytestmark = pytest.mark.django_db


def _line(order):
    return order.lines.get()


def _held(order):
    counter = ReturnableLine.objects.filter(order_line=_line(order)).first()
    return counter.held if counter else 0


def _files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_request_waits_for_the_merchant_with_a_deadline(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=10)
    before = timezone.now()
    request = services.request_return(
        actor=buyer_owner,
        order_line_id=_line(order).pk,
        quantity=3,
        reason="defective",
        description="  Screen flickers  ",
    )
    assert request.status == "requested"
    assert (request.quantity, request.description, request.auto_approved) == (
        3,
        "Screen flickers",
        False,
    )
    assert request.buyer_id == buyer_owner.organisation_id
    assert request.merchant_id == merchant_owner.organisation_id
    assert before + timedelta(days=3) <= request.decision_due_at
    assert request.decision_due_at <= timezone.now() + timedelta(days=3)
    assert request.window_ends_at == order.delivered_at + timedelta(days=30)
    assert _held(order) == 3
    assert list(request.history.values_list("from_status", "to_status")) == [("", "requested")]
    assert OutboxEvent.objects.filter(topic="returns.return_requested").count() == 1


def test_transit_damage_with_a_photo_within_seven_days_is_approved(buyer_owner, merchant_owner):
    order = delivered_order(
        buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=6, hours=23)
    )
    request = services.request_return(
        actor=buyer_owner,
        order_line_id=_line(order).pk,
        quantity=2,
        reason="damaged_in_transit",
        photos=[photo("JPEG"), photo("PNG")],
    )
    assert request.status == "approved" and request.auto_approved
    assert "within 7 days" in request.decision_note
    assert list(request.history.values_list("to_status", "actor")) == [
        ("requested", buyer_owner.user.pk),
        ("approved", None),
    ]
    stored = list(ReturnEvidence.objects.filter(request=request).order_by("id"))
    assert [e.content_type for e in stored] == ["image/jpeg", "image/png"]
    assert (stored[0].width, stored[0].height) == (40, 30)
    assert len(_files()) == 2
    assert OutboxEvent.objects.filter(topic="returns.return_approved").count() == 1


@pytest.mark.parametrize(
    ("reason", "photos", "days"),
    [
        ("damaged_in_transit", 0, 1),  # no photo
        ("damaged_in_transit", 1, 8),  # too late for the rule (still inside the window)
        ("defective", 1, 1),  # not a reason the rule approves
    ],
)
def test_otherwise_the_merchant_decides(buyer_owner, merchant_owner, reason, photos, days):
    order = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=days))
    request = services.request_return(
        actor=buyer_owner,
        order_line_id=_line(order).pk,
        quantity=1,
        reason=reason,
        photos=[photo()] * photos,
    )
    assert request.status == "requested" and not request.auto_approved


def test_outside_the_window_is_refused(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=31))
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner,
            order_line_id=_line(order).pk,
            quantity=1,
            reason="defective",
            photos=[photo()],
        )
    assert (caught.value.code, caught.value.field) == ("outside_return_window", "order_line_id")
    assert ReturnRequest.objects.count() == 0 and _held(order) == 0
    assert _files() == []


def test_a_longer_merchant_window_applies(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=31))
    services.set_merchant_terms(
        actor=merchant_owner, market="US", window_days=60, accepts_changed_mind=False
    )
    request = services.request_return(
        actor=buyer_owner, order_line_id=_line(order).pk, quantity=1, reason="wrong_item"
    )
    assert request.window_ends_at == order.delivered_at + timedelta(days=60)


def test_merchant_window_cannot_be_shorter_than_the_market(merchant_owner):
    with pytest.raises(InvalidInput) as caught:
        services.set_merchant_terms(
            actor=merchant_owner, market="US", window_days=10, accepts_changed_mind=True
        )
    assert caught.value.field == "window_days"


def test_changed_mind_needs_the_merchant_opt_in(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, at=timezone.now() - timedelta(days=2))
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner, order_line_id=_line(order).pk, quantity=1, reason="changed_mind"
        )
    assert (caught.value.code, caught.value.field) == ("reason_not_covered", "reason")
    services.set_merchant_terms(
        actor=merchant_owner, market="US", window_days=30, accepts_changed_mind=True
    )
    request = services.request_return(
        actor=buyer_owner, order_line_id=_line(order).pk, quantity=1, reason="changed_mind"
    )
    # the US consumer-style window: 30 days
    assert request.window_ends_at == order.delivered_at + timedelta(days=30)


def test_undelivered_line_is_refused(buyer_owner, merchant_owner):
    order = place_order(buyer_owner, merchant_owner)
    with pytest.raises(Conflict) as caught:
        services.request_return(
            actor=buyer_owner, order_line_id=_line(order).pk, quantity=1, reason="defective"
        )
    assert (caught.value.code, caught.value.field) == ("not_delivered", "order_line_id")
    assert ReturnRequest.objects.count() == 0


def test_another_buyers_line_is_not_found(buyer_owner, other_buyer, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner)
    with pytest.raises(NotFound) as caught:
        services.request_return(
            actor=other_buyer, order_line_id=_line(order).pk, quantity=1, reason="defective"
        )
    assert caught.value.field == "order_line_id"
    with pytest.raises(NotFound):
        services.request_return(
            actor=merchant_owner, order_line_id=_line(order).pk, quantity=1, reason="defective"
        )
    assert ReturnRequest.objects.count() == 0


def test_quantity_above_returnable_is_refused(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=10)
    line = _line(order)
    services.request_return(
        actor=buyer_owner, order_line_id=line.pk, quantity=7, reason="defective"
    )
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner, order_line_id=line.pk, quantity=4, reason="defective"
        )
    assert (caught.value.code, caught.value.field) == ("exceeds_returnable", "quantity")
    assert "At most 3" in caught.value.message
    assert ReturnRequest.objects.count() == 1 and _held(order) == 7
    services.request_return(
        actor=buyer_owner, order_line_id=line.pk, quantity=3, reason="defective"
    )
    assert _held(order) == 10


@pytest.mark.parametrize("quantity", [0, -1, "2", True])
def test_quantity_must_be_a_positive_whole_number(buyer_owner, merchant_owner, quantity):
    order = delivered_order(buyer_owner, merchant_owner)
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner, order_line_id=_line(order).pk, quantity=quantity, reason="defective"
        )
    assert caught.value.field == "quantity"


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a not really", b"%PDF-1.4 not an image", photo("GIF"), photo("BMP")],
)
def test_evidence_that_is_not_an_image_is_refused(buyer_owner, merchant_owner, data):
    order = delivered_order(buyer_owner, merchant_owner)
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner,
            order_line_id=_line(order).pk,
            quantity=1,
            reason="damaged_in_transit",
            photos=[photo(), data],
        )
    assert (caught.value.code, caught.value.field) == ("not_an_image", "evidence[1]")
    assert ReturnRequest.objects.count() == 0 and _held(order) == 0
    assert _files() == []


def test_too_many_or_too_large_photos_are_refused(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner)
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner,
            order_line_id=_line(order).pk,
            quantity=1,
            reason="defective",
            photos=[photo()] * 6,
        )
    assert (caught.value.code, caught.value.field) == ("too_many_files", "evidence")
    with pytest.raises(InvalidInput) as caught:
        services.request_return(
            actor=buyer_owner,
            order_line_id=_line(order).pk,
            quantity=1,
            reason="defective",
            photos=[b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1)],
        )
    assert (caught.value.code, caught.value.field) == ("file_too_large", "evidence[0]")
    assert ReturnRequest.objects.count() == 0


def test_cancel_gives_the_quantity_back(buyer_owner, merchant_owner):
    order = delivered_order(buyer_owner, merchant_owner, quantity=5)
    request = make_return(buyer_owner, merchant_owner, quantity=5, order=order)
    assert _held(order) == 5
    services.cancel_return(actor=buyer_owner, return_id=request.pk)
    assert _held(order) == 0
    with pytest.raises(Conflict):
        services.cancel_return(actor=buyer_owner, return_id=request.pk)
    assert _held(order) == 0


def test_merchant_approves(buyer_owner, merchant_owner):
    request = make_return(buyer_owner, merchant_owner)
    request = services.approve_return(actor=merchant_owner, return_id=request.pk, note="ok")
    assert request.status == "approved"
    with pytest.raises(Conflict):
        services.reject_return(actor=merchant_owner, return_id=request.pk, reason="late")


def test_rejection_dispute_and_operator_denial(
    buyer_owner, merchant_owner, operator_admin, other_merchant
):
    order = delivered_order(buyer_owner, merchant_owner, quantity=4)
    request = make_return(buyer_owner, merchant_owner, quantity=4, order=order)
    with pytest.raises(NotFound):
        services.reject_return(actor=other_merchant, return_id=request.pk, reason="no")
    with pytest.raises(InvalidInput) as caught:
        services.reject_return(actor=merchant_owner, return_id=request.pk, reason=" ")
    assert caught.value.field == "reason"
    services.reject_return(actor=merchant_owner, return_id=request.pk, reason="Works on test")
    assert _held(order) == 4  # held while it may be disputed
    services.dispute_return(actor=buyer_owner, return_id=request.pk, note="Video attached")
    denied = services.resolve_return(
        actor=operator_admin, return_id=request.pk, decision="deny", note="No defect shown"
    )
    assert denied.status == "denied" and _held(order) == 0
    assert list(denied.history.values_list("to_status", flat=True)) == [
        "requested",
        "rejected",
        "disputed",
        "denied",
    ]


def test_operator_may_approve_a_dispute(buyer_owner, merchant_owner, operator_admin):
    request = make_return(buyer_owner, merchant_owner)
    services.reject_return(actor=merchant_owner, return_id=request.pk, reason="no")
    with pytest.raises(Conflict):
        services.resolve_return(
            actor=operator_admin, return_id=request.pk, decision="approve", note="x"
        )
    services.dispute_return(actor=buyer_owner, return_id=request.pk, note="it is broken")
    approved = services.resolve_return(
        actor=operator_admin, return_id=request.pk, decision="approve", note="photo is clear"
    )
    assert approved.status == "approved" and approved.resolution_note == "photo is clear"


def test_undecided_requests_escalate_after_the_deadline(buyer_owner, merchant_owner):
    request = make_return(buyer_owner, merchant_owner)
    assert services.escalate_overdue(now=timezone.now()) == 0
    later = request.decision_due_at + timedelta(seconds=1)
    assert services.escalate_overdue(now=later) == 1
    assert services.escalate_overdue(now=later) == 0
    request.refresh_from_db()
    assert request.status == "escalated"
