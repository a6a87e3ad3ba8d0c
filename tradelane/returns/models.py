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

from .states import Reason, ReturnStatus


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
