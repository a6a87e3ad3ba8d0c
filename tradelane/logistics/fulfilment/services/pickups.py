"""Pickups: each shipment is booked on a warehouse's pickup day, never over capacity.

The day comes from `planning.plan` (cut-off, opening days, load already booked); the
booking itself is one guarded UPDATE `planned_parcels + n <= capacity` (with a CHECK
constraint behind it), so two shipments racing for the last slot cannot both win: the
loser moves on to the next opening day.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from .. import planning
from ..carriers import PickupRequest, get_carrier
from ..models import Pickup, Shipment

ATTEMPTS = 10


def site_of(warehouse) -> planning.Site:
    return planning.Site(
        time_zone=warehouse.time_zone,
        opening_days=frozenset(int(d) for d in warehouse.opening_days),
        cutoff=warehouse.pickup_cutoff,
        capacity=warehouse.daily_parcel_capacity,
    )


def _pickup_row(warehouse, site: planning.Site, day) -> Pickup:
    existing = Pickup.objects.filter(warehouse=warehouse, day=day).first()
    if existing is not None:
        return existing
    booking = get_carrier("simulated").book_pickup(
        PickupRequest(warehouse.pk, day, 0, planning.pickup_at(site, day))
    )
    try:
        with transaction.atomic():
            return Pickup.objects.create(
                warehouse=warehouse,
                merchant_id=warehouse.organisation_id,
                day=day,
                pickup_at=planning.pickup_at(site, day),
                capacity=site.capacity,
                booking_reference=booking.reference,
            )
    except IntegrityError:  # a concurrent booking created the day first
        return Pickup.objects.get(warehouse=warehouse, day=day)


def book(shipment: Shipment, warehouse, *, ready_at: datetime) -> Pickup | None:
    """Book `shipment` on the earliest pickup day with room; None if it cannot fit a day."""
    site = site_of(warehouse)
    parcel = planning.Parcel(
        shipment.pk, shipment.carton_count, ready_at, shipment.handover_deadline
    )
    start = planning.first_day(site, ready_at)
    for _ in range(ATTEMPTS):
        booked = dict(
            Pickup.objects.filter(warehouse=warehouse, day__gte=start).values_list(
                "day", "planned_parcels"
            )
        )
        full = {
            day
            for day, cap in Pickup.objects.filter(warehouse=warehouse, day__gte=start).values_list(
                "day", "capacity"
            )
            if booked.get(day, 0) + parcel.cartons > cap
        }
        booked.update({day: site.capacity for day in full})
        result = planning.plan(site, [parcel], booked)
        if not result.days:
            return None
        pickup = _pickup_row(warehouse, site, result.days[parcel.id])
        claimed = Pickup.objects.filter(
            pk=pickup.pk, planned_parcels__lte=F("capacity") - parcel.cartons
        ).update(planned_parcels=F("planned_parcels") + parcel.cartons)
        if claimed:
            shipment.pickup = pickup
            shipment.save(update_fields=["pickup"])
            return pickup
    return None


def release(shipment: Shipment) -> None:
    """Give a shipment's slot back (cancelled before pickup)."""
    if shipment.pickup_id is None:
        return
    Pickup.objects.filter(pk=shipment.pickup_id, planned_parcels__gte=shipment.carton_count).update(
        planned_parcels=F("planned_parcels") - shipment.carton_count
    )
    shipment.pickup = None
    shipment.save(update_fields=["pickup"])
