"""Merchants' own warehouses: pickup address, contact, hours, cut-off and capacity."""

from __future__ import annotations

from datetime import time

from django.db import IntegrityError, transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.errors import Conflict, InvalidInput
from tradelane.core.outbox import record_event

from ..addresses import (
    ADDRESS_FIELDS,
    check_country,
    check_time_zone,
    normalise_address,
    normalise_phone,
)
from ..models import Warehouse
from ..selectors import get_warehouse

WAREHOUSE_FIELDS = (
    "name",
    "country",
    *ADDRESS_FIELDS,
    "contact_name",
    "contact_phone",
    "opening_days",
    "opens_at",
    "closes_at",
    "time_zone",
    "pickup_cutoff",
    "daily_parcel_capacity",
    "is_active",
)
MAX_CAPACITY = 1_000_000


def _check(warehouse: Warehouse) -> None:
    """Validate and normalise every field in place; raises InvalidInput naming the field."""
    warehouse.name = (warehouse.name or "").strip()
    if not warehouse.name or len(warehouse.name) > 120:
        raise InvalidInput("Name the warehouse (1 to 120 characters).", field="name")
    warehouse.country = check_country(warehouse.country)
    lines = {key: (getattr(warehouse, key) or "").strip() for key in ADDRESS_FIELDS}
    for key, value in lines.items():
        limit = Warehouse._meta.get_field(key).max_length
        if len(value) > limit:
            raise InvalidInput(f"At most {limit} characters.", field=key)
        setattr(warehouse, key, value)
    warehouse.normalized_address = normalise_address(warehouse.country, lines)
    warehouse.contact_name = (warehouse.contact_name or "").strip()
    if not warehouse.contact_name or len(warehouse.contact_name) > 120:
        raise InvalidInput("Name the person at the warehouse.", field="contact_name")
    warehouse.contact_phone = normalise_phone(warehouse.contact_phone, country=warehouse.country)
    days = warehouse.opening_days
    if (
        not isinstance(days, list | tuple)
        or not days
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in days)
    ):
        raise InvalidInput(
            "Choose the days the warehouse is open (1 = Monday … 7 = Sunday).",
            field="opening_days",
        )
    warehouse.opening_days = sorted(set(days))
    for key in ("opens_at", "closes_at", "pickup_cutoff"):
        if not isinstance(getattr(warehouse, key), time):
            raise InvalidInput("Give a time as HH:MM.", field=key)
    if warehouse.closes_at <= warehouse.opens_at:
        raise InvalidInput(
            "The warehouse must close after it opens.", field="closes_at", code="invalid_hours"
        )
    if not warehouse.opens_at <= warehouse.pickup_cutoff <= warehouse.closes_at:
        raise InvalidInput(
            "The pickup cut-off is within opening hours.",
            field="pickup_cutoff",
            code="invalid_hours",
        )
    warehouse.time_zone = check_time_zone(warehouse.time_zone)
    capacity = warehouse.daily_parcel_capacity
    if (
        not isinstance(capacity, int)
        or isinstance(capacity, bool)
        or not 1 <= capacity <= MAX_CAPACITY
    ):
        raise InvalidInput(
            f"Daily parcel capacity is from 1 to {MAX_CAPACITY}.", field="daily_parcel_capacity"
        )
    if not isinstance(warehouse.is_active, bool):
        raise InvalidInput("Active is true or false.", field="is_active")


def _save(warehouse: Warehouse) -> None:
    try:
        with transaction.atomic():
            warehouse.save()
    except IntegrityError:
        raise Conflict(
            "You already have a warehouse with this name.", field="name", code="name_taken"
        ) from None


def create_warehouse(*, actor: Actor, **fields) -> Warehouse:
    """Register one of the merchant's own warehouses. Emits `merchants.warehouse_saved`."""
    unknown = sorted(set(fields) - set(WAREHOUSE_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown field {unknown[0]!r}.", field=unknown[0])
    warehouse = Warehouse(organisation_id=actor.organisation_id, is_active=True)
    for key, value in fields.items():
        setattr(warehouse, key, value)
    _check(warehouse)
    with transaction.atomic():
        _save(warehouse)
        record_event(
            "merchants.warehouse_saved",
            {"warehouse_id": warehouse.pk, "organisation_id": warehouse.organisation_id},
        )
    return warehouse


def update_warehouse(*, actor: Actor, warehouse_id: int, **fields) -> Warehouse:
    """Edit a warehouse of the actor's organisation (404 for anyone else's). Locks it."""
    unknown = sorted(set(fields) - set(WAREHOUSE_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown field {unknown[0]!r}.", field=unknown[0])
    get_warehouse(actor=actor, warehouse_id=warehouse_id)
    with transaction.atomic():
        warehouse = Warehouse.objects.select_for_update().get(pk=warehouse_id)
        for key, value in fields.items():
            setattr(warehouse, key, value)
        _check(warehouse)
        warehouse.updated_at = timezone.now()
        _save(warehouse)
        record_event(
            "merchants.warehouse_saved",
            {"warehouse_id": warehouse.pk, "organisation_id": warehouse.organisation_id},
        )
    return warehouse
