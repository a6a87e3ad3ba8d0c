"""Return policies, return requests, their evidence and history.

A request belongs to one order line of a delivered order. `ReturnableLine` is the line's
guarded counter: `held` (quantity in open or approved requests) never exceeds
`delivered` — a CHECK constraint says so and every request takes its quantity with one
guarded UPDATE, so concurrent requests cannot over-return a line.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tradelane.core.models import TransitionHistory
from tradelane.markets.models import amount_field

from .states import Disposition, Grade, Party, Reason, ReturnStatus, ReverseStatus


class MarketReturnPolicy(models.Model):
    """The platform's default terms in a market (operators edit them; seeded from
    `seed.py`). `covered_reasons` never includes "changed_mind": merchants opt in."""

    market = models.OneToOneField(
        "markets.Market", on_delete=models.CASCADE, related_name="return_policy"
    )
    window_days = models.PositiveSmallIntegerField(help_text="from delivery, covered reasons")
    covered_reasons = models.JSONField(default=list)
    changed_mind_days = models.PositiveSmallIntegerField(help_text="when a merchant opts in")
    changed_mind_business_days = models.BooleanField(default=False)
    decision_days = models.PositiveSmallIntegerField(help_text="the merchant decides within")
    auto_approve_days = models.PositiveSmallIntegerField(help_text="from delivery")
    auto_approve_reasons = models.JSONField(default=list)
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["market_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_days__gte=1, window_days__lte=365),
                name="return_policy_window_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision_days__gte=1), name="return_policy_decision_positive"
            ),
        ]

    def __str__(self):
        return f"returns in {self.market_id}: {self.window_days} days"


class MerchantReturnTerms(models.Model):
    """A merchant's own terms in a market: a longer window, and "changed mind" opt-in."""

    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="return_terms"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    window_days = models.PositiveSmallIntegerField()
    accepts_changed_mind = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["merchant_id", "market_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "market"], name="return_terms_once_per_market"
            ),
            models.CheckConstraint(
                condition=Q(window_days__gte=1, window_days__lte=365),
                name="return_terms_window_valid",
            ),
        ]

    def __str__(self):
        return f"{self.merchant_id} in {self.market_id}"


class ReturnableLine(models.Model):
    """The guarded counter of one delivered order line."""

    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="+"
    )
    delivered = models.PositiveIntegerField()
    held = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(held__lte=F("delivered")), name="returnable_held_within_delivered"
            ),
        ]

    def __str__(self):
        return f"line {self.order_line_id}: {self.held}/{self.delivered}"


class ReturnRequest(models.Model):
    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="+")
    order_line = models.ForeignKey("orders.OrderLine", on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    reason = models.CharField(max_length=30, choices=Reason.choices)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    # the terms it was judged by, kept so later policy edits never rewrite it
    delivered_at = models.DateTimeField()
    window_ends_at = models.DateTimeField()
    decision_due_at = models.DateTimeField()
    auto_approved = models.BooleanField(default=False)
    decision_note = models.CharField(max_length=500, blank=True)
    dispute_note = models.CharField(max_length=500, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="return_buyer_idx"),
            models.Index(fields=["merchant", "status", "-created_at"], name="return_merchant_idx"),
            models.Index(fields=["status", "decision_due_at"], name="return_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values), name="return_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="return_reason_valid"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="return_quantity_positive"),
        ]

    def __str__(self):
        return self.number


class ReturnEvidence(models.Model):
    """A photo, sniffed by content and re-encoded; served only to the parties."""

    request = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="evidence")
    image = models.FileField(upload_to="returns/evidence/", max_length=200)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request_id", "id"]

    def __str__(self):
        return f"evidence {self.pk} of {self.request_id}"


class ReturnStatusChange(TransitionHistory):
    subject = models.ForeignKey(ReturnRequest, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionHistory.Meta):
        pass


# --- reverse logistics ----------------------------------------------------------------------


class ReturnPoint(models.Model):
    """The platform's return point in a market: a processing point, not a stock warehouse.
    Its tariff (market currency) prices every disposition option; operators edit it."""

    market = models.OneToOneField(
        "markets.Market", on_delete=models.CASCADE, related_name="return_point"
    )
    name = models.CharField(max_length=120)
    address = models.JSONField(default=list, help_text="address lines, as printed")
    city = models.CharField(max_length=80)
    postal_code = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    reverse_label_cost = amount_field(help_text="one domestic reverse economy parcel")
    pickup_surcharge = amount_field(help_text="added when the carrier collects")
    handling_fee = amount_field(help_text="receiving and grading one return")
    consolidation_parcel_cost = amount_field(help_text="one consolidated parcel to a merchant")
    consolidation_per_kg = amount_field(help_text="per kg in a consolidated parcel")
    liquidation_share = models.DecimalField(
        max_digits=5, decimal_places=4, help_text="of the item value recovered by liquidation"
    )
    disposal_fee = amount_field(help_text="per item disposed")
    returnless_share = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        help_text="returnless refund when returning costs more than this share of the value",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["market_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(liquidation_share__gte=0, liquidation_share__lte=1),
                name="return_point_liquidation_share_valid",
            ),
            models.CheckConstraint(
                condition=Q(returnless_share__gt=0, returnless_share__lte=5),
                name="return_point_returnless_share_valid",
            ),
        ]

    def __str__(self):
        return self.name


class ReverseShipment(models.Model):
    """The parcel a buyer sends back: a domestic reverse economy label from the buyer's
    address to the market's return point, collected (pickup) or dropped off."""

    class Method(models.TextChoices):
        DROP_OFF = "drop_off", "Drop-off"
        PICKUP = "pickup", "Pickup"

    request = models.OneToOneField(
        ReturnRequest, on_delete=models.CASCADE, related_name="reverse_shipment"
    )
    return_point = models.ForeignKey(ReturnPoint, on_delete=models.PROTECT, related_name="+")
    tracking_number = models.CharField(max_length=13, unique=True)
    carrier = models.CharField(max_length=30, default="simulated")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.DROP_OFF)
    pickup_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ReverseStatus.choices, default=ReverseStatus.CREATED
    )
    status_since = models.DateTimeField(default=timezone.now)
    sender = models.JSONField(default=dict, help_text="the buyer's address, from the order")
    gross_kg = models.DecimalField(max_digits=12, decimal_places=3)
    currency = models.CharField(max_length=3)
    cost = amount_field(help_text="what the platform pays the carrier")
    label_printed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["carrier", "status"], name="reverse_carrier_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReverseStatus.values), name="reverse_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=("drop_off", "pickup")), name="reverse_method_valid"
            ),
        ]

    def __str__(self):
        return self.tracking_number


class ReverseShipmentStatusChange(TransitionHistory):
    """The reverse parcel's tracking history."""

    subject = models.ForeignKey(ReverseShipment, on_delete=models.CASCADE, related_name="history")
    location = models.CharField(max_length=120, blank=True)

    class Meta(TransitionHistory.Meta):
        pass


# --- inspection, disposition, settlement ----------------------------------------------------


class Consolidation(models.Model):
    """Items a return point sends back to one merchant together, in one parcel."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SHIPPED = "shipped", "Shipped"

    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    return_point = models.ForeignKey(ReturnPoint, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    items = models.PositiveIntegerField(default=0)
    gross_kg = models.DecimalField(max_digits=12, decimal_places=3, default=0)
    tracking_number = models.CharField(max_length=13, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    shipped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "return_point"],
                condition=Q(status="open"),
                name="consolidation_one_open_per_merchant",
            ),
        ]

    def __str__(self):
        return f"consolidation {self.pk} for {self.merchant_id}"


class Inspection(models.Model):
    """The operator's grade of a returned item, the options costed by rule, the proposed
    disposition (with its explanation) and the one the operator confirmed."""

    request = models.OneToOneField(
        ReturnRequest, on_delete=models.CASCADE, related_name="inspection"
    )
    grade = models.CharField(max_length=20, choices=Grade.choices, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    options = models.JSONField(
        default=list,
        help_text="[{disposition, cost, recovery, net, allowed, explanation}], market currency",
    )
    proposed = models.CharField(max_length=20, choices=Disposition.choices)
    rule = models.CharField(max_length=500, help_text="why the proposal")
    chosen = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    derogation = models.CharField(max_length=200, blank=True)
    consolidation = models.ForeignKey(
        Consolidation, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed__in=Disposition.values), name="inspection_proposed_valid"
            ),
            models.CheckConstraint(
                condition=Q(chosen="") | Q(chosen__in=Disposition.values),
                name="inspection_chosen_valid",
            ),
        ]

    def __str__(self):
        return f"inspection of {self.request_id}"


class ReturnSettlement(models.Model):
    """What a completed return refunds (per component, by rule) and who bears each cost,
    for the merchant's settlement. The refund itself goes through the payments context
    (`payments.Refund`, idempotency key `return:<id>`), never above what was captured."""

    request = models.OneToOneField(
        ReturnRequest, on_delete=models.CASCADE, related_name="settlement"
    )
    currency = models.CharField(max_length=3)
    goods = amount_field()
    shipping = amount_field()
    duties = amount_field()
    taxes = amount_field()
    total = amount_field()
    rule = models.CharField(max_length=500, help_text="why these components")
    refund_bearer = models.CharField(max_length=10, choices=Party.choices)
    reverse_shipping_cost = amount_field()
    reverse_shipping_bearer = models.CharField(max_length=10, choices=Party.choices)
    disposition_cost = amount_field(help_text="handling and the disposition's own cost")
    disposition_recovery = amount_field(help_text="what resale or liquidation brings back")
    disposition_bearer = models.CharField(max_length=10, choices=Party.choices)
    refund = models.ForeignKey(
        "payments.Refund", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refund_status = models.CharField(max_length=20, default="pending")
    refund_message = models.CharField(
        max_length=300, blank=True, help_text="why a refund failed or is pending, for operators"
    )
    created_at = models.DateTimeField(default=timezone.now)
    refunded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="settlement_total_not_negative"),
        ]

    def __str__(self):
        return f"settlement of {self.request_id}"
