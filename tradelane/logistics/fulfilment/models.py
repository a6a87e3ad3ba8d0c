"""Shipments, their carrier events and status history, and pickups at merchant warehouses.

One shipment per order (unique). A shipment's `status` moves by `states.TRANSITIONS` with a
history row per change; `position` is the rank of the last canonical milestone reached.
Carrier events are unique per (carrier, event id): a duplicate is ignored. A pickup is one
warehouse's collection on one day and never plans more parcels than its capacity (CHECK).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tradelane.core.models import TransitionHistory
from tradelane.core.money import Money

from .states import ACTIVE, NEEDS_ATTENTION, ShipmentStatus


def amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=4, **kwargs)


class Pickup(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "planned"
        COLLECTED = "collected", "collected"

    warehouse = models.ForeignKey("merchants.Warehouse", on_delete=models.CASCADE, related_name="+")
    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    pickup_at = models.DateTimeField(help_text="the day's cut-off, local time")
    planned_parcels = models.PositiveIntegerField(default=0)
    capacity = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    carrier = models.CharField(max_length=30, default="simulated")
    booking_reference = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "day"], name="pickup_once_per_day"),
            models.CheckConstraint(
                condition=Q(planned_parcels__lte=F("capacity")), name="pickup_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["merchant", "day"], name="pickup_merchant_day_idx")]

    def __str__(self):
        return f"pickup {self.warehouse_id} {self.day}"


class Shipment(models.Model):
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="+")
    order_number = models.CharField(max_length=20)
    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey("merchants.Warehouse", on_delete=models.PROTECT, related_name="+")
    origin_country = models.CharField(max_length=2)
    destination = models.CharField(max_length=2, help_text="the market code")
    tier = models.CharField(max_length=10)
    incoterm = models.CharField(max_length=3)
    carrier = models.CharField(max_length=30, default="simulated")
    scenario = models.CharField(max_length=20, default="normal", help_text="simulated network")
    tracking_number = models.CharField(max_length=13, unique=True)
    status = models.CharField(
        max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.CREATED
    )
    position = models.PositiveSmallIntegerField(default=0)
    status_since = models.DateTimeField(default=timezone.now)
    cartons = models.JSONField(default=list)
    carton_count = models.PositiveIntegerField()
    gross_kg = models.DecimalField(max_digits=12, decimal_places=3)
    pickup = models.ForeignKey(
        Pickup, null=True, blank=True, on_delete=models.SET_NULL, related_name="shipments"
    )
    handover_deadline = models.DateTimeField()
    promised_earliest = models.DateField()
    promised_latest = models.DateField()
    handed_over_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    late_handover = models.BooleanField(default=False)
    at_risk = models.BooleanField(default=False)
    late = models.BooleanField(default=False)
    # the late-delivery credit (operator rule × shipping paid), refunded through payments
    currency = models.CharField(max_length=3)
    shipping_paid = amount_field()
    credit_amount = amount_field(null=True, blank=True)
    credit_rule = models.CharField(max_length=120, blank=True)
    label_printed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["merchant", "-created_at"], name="ship_merchant_idx"),
            models.Index(fields=["buyer", "-created_at"], name="ship_buyer_idx"),
            models.Index(fields=["status", "-created_at"], name="ship_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ShipmentStatus.values), name="shipment_status_valid"
            ),
            models.CheckConstraint(condition=Q(position__lte=8), name="shipment_position_valid"),
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def lane(self) -> str:
        return f"{self.origin_country}→{self.destination}"

    @property
    def is_moving(self) -> bool:
        return self.status in ACTIVE

    @property
    def in_exception(self) -> bool:
        return self.status in NEEDS_ATTENTION or self.status == ShipmentStatus.LOST

    @property
    def credit(self) -> Money | None:
        return Money(self.credit_amount, self.currency) if self.credit_amount else None


class ShipmentStatusChange(TransitionHistory):
    subject = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionHistory.Meta):
        pass


class ShipmentEvent(models.Model):
    """A milestone as the carrier (or a scan, or an operator) reported it."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    carrier = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    code = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    location = models.CharField(max_length=120, blank=True)
    note = models.CharField(max_length=300, blank=True)
    # applied: moved the shipment; pending: waits for the steps before it; ignored: history
    # only (a late or duplicate milestone, or one the shipment's state does not allow)
    outcome = models.CharField(max_length=10, default="pending")

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "event_id"], name="carrier_event_once")
        ]

    def __str__(self):
        return f"{self.code} {self.event_id}"


class CreditRule(models.Model):
    """The operator's rule for a late delivery: credit this share of the shipping paid.
    The newest row is in force."""

    share_of_shipping = models.DecimalField(max_digits=5, decimal_places=4)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_of_shipping__gte=0) & Q(share_of_shipping__lte=1),
                name="credit_share_range",
            )
        ]

    def __str__(self):
        return f"{self.share_of_shipping} of shipping"
