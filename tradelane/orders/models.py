"""Carts, checkouts and orders.

A buyer organisation has one cart per market. Checkout turns the cart (or explicit lines)
into one order per merchant warehouse group, all under one `Checkout`. An order keeps a
copy of everything the buyer agreed to (lines, landed cost with its breakdown, promised
window, address, tax id, incoterm) so later price or rule changes never rewrite it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tradelane.core.models import TransitionHistory
from tradelane.core.money import Money

from .states import OrderStatus

TIERS = ("economy", "standard", "premium")


def amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=4, **kwargs)


class Cart(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="carts"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    postal_code = models.CharField(max_length=20, blank=True)
    # {"<merchant id>:<warehouse id>": "economy" | "standard" | "premium"}
    tiers = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0, help_text="bumped by every change")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "market"], name="cart_once_per_market")
        ]

    def __str__(self):
        return f"cart of {self.organisation_id} in {self.market_id}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    # The unit price the buyer was last shown for this quantity: checkout refuses to charge
    # a different one until the buyer has seen it.
    seen_unit_price = amount_field()
    seen_currency = models.CharField(max_length=3)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cart_id", "added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "sku"], name="cart_line_once_per_sku"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="cart_line_quantity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.sku_id}"


class Checkout(models.Model):
    """One placement: the orders it created and what the buyer agreed to."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="checkouts"
    )
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    total = amount_field(help_text="charged at checkout, all orders")
    shipping_address = models.JSONField(default=dict)
    buyer_tax_id = models.CharField(max_length=40, blank=True)
    po_number = models.CharField(max_length=64, blank=True)
    incoterm = models.CharField(max_length=3)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"checkout {self.pk}"


class Order(models.Model):
    number = models.CharField(max_length=20, unique=True)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    merchant = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey("merchants.Warehouse", on_delete=models.PROTECT, related_name="+")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
    currency = models.CharField(max_length=3)
    tier = models.CharField(max_length=10)
    incoterm = models.CharField(max_length=3)
    buyer_kind = models.CharField(max_length=3)
    buyer_tax_id = models.CharField(max_length=40, blank=True)
    reverse_charge = models.BooleanField(default=False)
    invoice_wording = models.TextField(blank=True)
    po_number = models.CharField(max_length=64, blank=True)
    shipping_address = models.JSONField(default=dict)
    # landed cost as agreed, in the market currency
    goods_total = amount_field()
    shipping_total = amount_field()
    duties_total = amount_field()
    taxes_total = amount_field()
    fees_total = amount_field()
    total = amount_field(help_text="charged at checkout")
    due_on_delivery = amount_field(help_text="DAP estimate, paid to the carrier on delivery")
    breakdown = models.JSONField(default=list)
    # the promise
    promised_pickup = models.DateField()
    promised_earliest = models.DateField()
    promised_latest = models.DateField()
    handover_deadline = models.DateTimeField()
    payment = models.ForeignKey(
        "payments.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_reason = models.CharField(max_length=500, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["buyer", "-created_at"], name="order_buyer_idx"),
            models.Index(fields=["merchant", "-created_at"], name="order_merchant_idx"),
            models.Index(
                fields=["merchant", "status", "-created_at"], name="order_merchant_st_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_valid"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(promised_latest__gte=models.F("promised_earliest")),
                name="order_window_valid",
            ),
        ]

    def __str__(self):
        return self.number

    def money(self, field: str) -> Money:
        return Money(getattr(self, field), self.currency)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("catalog.Sku", on_delete=models.PROTECT, related_name="+")
    sku_code = models.CharField(max_length=64)
    title = models.CharField(max_length=200)
    attributes = models.JSONField(default=dict, blank=True)
    hs_code = models.CharField(max_length=10)
    origin_country = models.CharField(max_length=2)
    quantity = models.PositiveIntegerField()
    unit_price = amount_field()
    line_total = amount_field()

    class Meta:
        ordering = ["order_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="order_line_price_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.sku_code}"


class OrderStatusChange(TransitionHistory):
    subject = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionHistory.Meta):
        pass
