"""Shipments: created on acceptance, handed over by scan, moved by carrier events that can
neither skip a step nor go backwards, operator actions, the delivery promise."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tradelane.catalog.models import StockLevel
from tradelane.core.errors import InvalidInput, InvalidTransition, NotFound
from tradelane.core.models import OutboxEvent
from tradelane.core.outbox import relay_pending
from tradelane.logistics.fulfilment import services
from tradelane.logistics.fulfilment.carriers import CarrierEvent
from tradelane.logistics.fulfilment.models import Pickup, Shipment, ShipmentEvent
from tradelane.logistics.fulfilment.services import movement
from tradelane.logistics.fulfilment.testing import shipped_order
from tradelane.orders.models import Order
from tradelane.orders.services import accept_order
from tradelane.orders.testing import place_order
from tradelane.payments.selectors import payment_for_reference

pytestmark = pytest.mark.django_db

MILESTONES = [
    "at_origin_hub",
    "export_cleared",
    "departed",
    "arrived_destination",
    "import_cleared",
    "out_for_delivery",
    "delivered",
]


def _events(shipment, codes, *, start=None, prefix="E"):
    start = start or timezone.now()
    return [
        CarrierEvent(f"{prefix}{i}", shipment.tracking_number, code, start + timedelta(minutes=i))
        for i, code in enumerate(codes, 1)
    ]


def _order(shipment):
    return Order.objects.get(pk=shipment.order_id)


def test_accepting_an_order_creates_one_shipment_through_the_outbox(
    buyer_owner, merchant_owner, django_capture_on_commit_callbacks
):
    order = place_order(buyer_owner, merchant_owner, quantity=10)
    with django_capture_on_commit_callbacks(execute=True):
        accept_order(actor=merchant_owner, order_id=order.pk)
    shipment = Shipment.objects.get()
    assert shipment.order_id == order.pk and shipment.status == "created"
    assert shipment.tracking_number.startswith("LT") and shipment.tracking_number.endswith("CN")
    assert shipment.carton_count == len(shipment.cartons) >= 1
    assert shipment.pickup is not None and shipment.pickup.planned_parcels == shipment.carton_count
    assert _order(shipment).status == "awaiting_handover"
    assert services.create_for_order(order_id=order.pk) == shipment  # idempotent
    assert Shipment.objects.count() == 1
    assert Pickup.objects.get().planned_parcels == shipment.carton_count


def test_scan_hands_over_ships_stock_and_is_idempotent(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner, quantity=10)
    scanned = services.record_scan(
        actor=merchant_owner, tracking_number=shipment.tracking_number.lower()
    )
    assert scanned.status == "picked_up" and not scanned.late_handover
    order = _order(shipment)
    assert order.status == "handed_over" and order.handed_over_at == scanned.handed_over_at
    level = StockLevel.objects.get(sku__organisation=merchant_owner.organisation)
    assert (level.on_hand, level.reserved) == (90, 0)
    again = services.record_scan(actor=merchant_owner, tracking_number=shipment.tracking_number)
    assert again.handed_over_at == scanned.handed_over_at
    assert scanned.history.count() == 2  # created, picked_up
    assert Pickup.objects.get().status == "collected"


def test_late_scan_is_flagged_against_the_handover_deadline(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    late = shipment.handover_deadline + timedelta(hours=2)
    scanned = services.record_scan(
        actor=merchant_owner, tracking_number=shipment.tracking_number, at=late
    )
    assert scanned.late_handover is True


def test_scan_refuses_a_bad_number_and_another_merchants_parcel(
    buyer_owner, merchant_owner, other_merchant
):
    shipment = shipped_order(buyer_owner, merchant_owner)
    with pytest.raises(InvalidInput):
        services.record_scan(actor=merchant_owner, tracking_number="LT000000000XX")
    with pytest.raises(NotFound):
        services.record_scan(actor=other_merchant, tracking_number=shipment.tracking_number)
    shipment.refresh_from_db()
    assert shipment.status == "created" and _order(shipment).status == "awaiting_handover"


def test_cannot_skip_from_created_to_delivered(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    locked = Shipment.objects.get(pk=shipment.pk)
    with pytest.raises(InvalidTransition):
        movement.move(locked, "delivered")
    [outcome] = services.ingest_events(carrier="simulated", events=_events(shipment, ["delivered"]))
    assert outcome.outcome == "pending" and outcome.status == "created"
    shipment.refresh_from_db()
    assert shipment.status == "created" and shipment.delivered_at is None
    assert _order(shipment).status == "awaiting_handover"


def test_events_in_order_deliver_once_and_the_order_follows(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    services.record_scan(actor=merchant_owner, tracking_number=shipment.tracking_number)
    outcomes = services.ingest_events(carrier="simulated", events=_events(shipment, MILESTONES))
    assert [o.outcome for o in outcomes] == ["applied"] * 7
    again = services.ingest_events(
        carrier="simulated", events=_events(shipment, ["delivered"], prefix="X")
    )
    assert again[0].outcome == "ignored"
    shipment.refresh_from_db()
    assert shipment.status == "delivered" and shipment.history.count() == 9
    order = _order(shipment)
    assert order.status == "delivered"
    assert list(order.history.values_list("to_status", flat=True)).count("delivered") == 1


def test_duplicate_and_out_of_order_events_end_in_the_right_state(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    events = _events(shipment, ["picked_up", *MILESTONES[:4]])
    shuffled = [events[0], events[2], events[2], events[4], events[1], events[1], events[3]]
    outcomes = services.ingest_events(carrier="simulated", events=shuffled)
    assert [o.outcome for o in outcomes] == [
        "applied",
        "pending",
        "duplicate",
        "pending",
        "applied",
        "duplicate",
        "applied",
    ]
    shipment.refresh_from_db()
    assert shipment.status == "arrived_destination" and shipment.position == 5
    history = list(shipment.history.values_list("to_status", flat=True))
    assert history == ["created", "picked_up", *MILESTONES[:4]]
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == 5
    assert _order(shipment).status == "in_transit"
    # a late milestone never moves it back
    late = CarrierEvent("OLD", shipment.tracking_number, "export_cleared", timezone.now())
    assert services.ingest_events(carrier="simulated", events=[late])[0].outcome == "ignored"
    shipment.refresh_from_db()
    assert shipment.status == "arrived_destination"


def _through(shipment, merchant, codes):
    services.record_scan(actor=merchant, tracking_number=shipment.tracking_number)
    return services.ingest_events(carrier="simulated", events=_events(shipment, codes))


def test_address_problem_reattempt_then_delivered(buyer_owner, merchant_owner, operator_admin):
    shipment = shipped_order(buyer_owner, merchant_owner)
    _through(shipment, merchant_owner, [*MILESTONES[:6], "address_problem"])
    shipment.refresh_from_db()
    assert shipment.status == "address_problem" and shipment.in_exception
    shipment = services.reattempt(actor=operator_admin, shipment_id=shipment.pk)
    assert shipment.status == "out_for_delivery"
    with pytest.raises(InvalidTransition):
        services.reattempt(actor=operator_admin, shipment_id=shipment.pk)
    services.ingest_events(carrier="simulated", events=_events(shipment, ["delivered"], prefix="R"))
    shipment.refresh_from_db()
    assert shipment.status == "delivered"


def test_declare_lost_refunds_the_buyer(buyer_owner, merchant_owner, operator_admin):
    shipment = shipped_order(buyer_owner, merchant_owner)
    relay_pending()  # captures the payment (order accepted)
    _through(shipment, merchant_owner, MILESTONES[:3])
    services.declare_lost(actor=operator_admin, shipment_id=shipment.pk, note="no scan for 10 days")
    assert OutboxEvent.objects.filter(topic="fulfilment.shipment_lost").count() == 1
    relay_pending()
    payment = payment_for_reference(f"order:{shipment.order_number}")
    assert payment.status == "refunded" and payment.refunded_amount == payment.captured_amount
    relay_pending()  # delivered again: refunds once
    payment.refresh_from_db()
    assert payment.refunded_amount == payment.captured_amount
    with pytest.raises(InvalidTransition):
        services.reattempt(actor=operator_admin, shipment_id=shipment.pk)


def test_late_delivery_credits_a_share_of_shipping(buyer_owner, merchant_owner, operator_admin):
    from decimal import Decimal

    services.set_credit_rule(actor=operator_admin, share_percent=Decimal("25"))
    shipment = shipped_order(buyer_owner, merchant_owner)
    relay_pending()
    late = timezone.now() + timedelta(days=60)
    services.record_scan(actor=merchant_owner, tracking_number=shipment.tracking_number)
    services.ingest_events(carrier="simulated", events=_events(shipment, MILESTONES, start=late))
    shipment.refresh_from_db()
    assert shipment.late is True
    expected = (shipment.shipping_paid * Decimal("0.25")).quantize(Decimal("0.01"))
    assert shipment.credit_amount == expected > 0
    relay_pending()
    payment = payment_for_reference(f"order:{shipment.order_number}")
    assert payment.refunded_amount == expected


def test_on_time_delivery_credits_nothing(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    _through(shipment, merchant_owner, MILESTONES)
    shipment.refresh_from_db()
    assert shipment.late is False and shipment.credit_amount is None


def test_monitor_flags_at_risk_and_late(buyer_owner, merchant_owner):
    shipment = shipped_order(buyer_owner, merchant_owner)
    assert services.monitor(now=timezone.now()) == 0
    services.monitor(now=shipment.handover_deadline + timedelta(minutes=1))
    shipment.refresh_from_db()
    assert shipment.at_risk is True and shipment.late is False
    services.monitor(now=timezone.now() + timedelta(days=90))
    shipment.refresh_from_db()
    assert shipment.late is True


def test_cancelling_the_order_cancels_the_shipment_and_frees_the_slot(buyer_owner, merchant_owner):
    from tradelane.orders.services import cancel_order

    shipment = shipped_order(buyer_owner, merchant_owner)
    cancel_order(actor=buyer_owner, order_id=shipment.order_id, reason="changed plans")
    services.cancel_for_order(order_id=shipment.order_id)
    shipment.refresh_from_db()
    assert shipment.status == "cancelled" and shipment.pickup is None
    assert Pickup.objects.get().planned_parcels == 0
