"""Payments through a provider adapter: payments, their status history, refunds, the log of
every provider call, and the state of the built-in test provider (its "remote" side).

Amounts are stored rounded to the currency's minor unit. CHECK constraints keep
`0 <= refunded + refund pending <= captured <= authorised <= amount`, so no code path can
refund more than was captured, however the rows are written.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone

from tradelane.core.models import TransitionHistory
from tradelane.core.money import Money

from .states import Operation, Outcome, PaymentStatus, RefundStatus


def amount_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=4, **kwargs)


ZERO = Decimal(0)
# Amounts have at most 4 decimals. Refund counters change by SQL arithmetic; SQLite keeps
# decimals as binary floats, so comparisons that add them allow a tenth of the smallest
# stored unit. On PostgreSQL (exact numerics) `x <= c + EPSILON` is exactly `x <= c`.
EPSILON = Decimal("0.00001")


class Payment(models.Model):
    payer_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    payee_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=100, help_text='what it pays for, e.g. "order:42"')
    currency = models.CharField(max_length=3)
    amount = amount_field()
    authorised_amount = amount_field(default=ZERO)
    captured_amount = amount_field(default=ZERO)
    refunded_amount = amount_field(default=ZERO, help_text="refunds that succeeded")
    refund_pending_amount = amount_field(
        default=ZERO, help_text="claimed by refunds waiting for the provider"
    )
    status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    provider = models.CharField(max_length=30)
    method = models.CharField(max_length=64, help_text="the provider's payment-method token")
    provider_ref = models.CharField(max_length=100, blank=True)
    failure_code = models.CharField(max_length=50, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    authorised_at = models.DateTimeField(null=True, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["payer_organisation", "-created_at"], name="payment_payer_idx"),
            models.Index(fields=["payee_organisation", "-created_at"], name="payment_payee_idx"),
            models.Index(fields=["reference", "-created_at"], name="payment_reference_idx"),
            models.Index(fields=["status", "-created_at"], name="payment_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=PaymentStatus.values), name="payment_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(authorised_amount__gte=0, authorised_amount__lte=F("amount")),
                name="payment_authorised_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(captured_amount__gte=0, captured_amount__lte=F("authorised_amount")),
                name="payment_captured_within_authorised",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=-EPSILON, refund_pending_amount__gte=-EPSILON),
                name="payment_refunds_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    captured_amount__gte=F("refunded_amount")
                    + F("refund_pending_amount")
                    - Value(EPSILON)
                ),
                name="payment_refunds_within_captured",
            ),
        ]

    def __str__(self):
        return f"payment {self.pk} {self.reference} {self.status}"

    def money(self, field: str = "amount") -> Money:
        return Money(getattr(self, field), self.currency)

    @property
    def authorised_money(self) -> Money:
        return self.money("authorised_amount")

    @property
    def captured_money(self) -> Money:
        return self.money("captured_amount")

    @property
    def refunded_money(self) -> Money:
        return self.money("refunded_amount")

    @property
    def refund_pending_money(self) -> Money:
        return self.money("refund_pending_amount")

    @property
    def refundable(self) -> Money:
        """What may still be refunded: captured minus refunded minus claimed."""
        return Money(
            self.captured_amount - self.refunded_amount - self.refund_pending_amount,
            self.currency,
        )


class PaymentStatusChange(TransitionHistory):
    subject = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="status_changes")

    class Meta(TransitionHistory.Meta):
        pass


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    currency = models.CharField(max_length=3)
    amount = amount_field()
    reason = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    idempotency_key = models.CharField(max_length=255)
    provider_ref = models.CharField(max_length=100, blank=True)
    failure_code = models.CharField(max_length=50, blank=True)
    failure_message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "idempotency_key"], name="refund_key_once_per_payment"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="refund_status_valid"
            ),
        ]

    def __str__(self):
        return f"refund {self.pk} of payment {self.payment_id} {self.status}"

    def money(self) -> Money:
        return Money(self.amount, self.currency)


class ProviderOperation(models.Model):
    """One call to the payment provider and what came back (the audit trail of money)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="operations")
    refund = models.ForeignKey(
        Refund, null=True, blank=True, on_delete=models.CASCADE, related_name="operations"
    )
    provider = models.CharField(max_length=30)
    operation = models.CharField(max_length=10, choices=Operation.choices)
    idempotency_key = models.CharField(max_length=255)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    currency = models.CharField(max_length=3, blank=True)
    amount = amount_field(null=True, blank=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    failure_code = models.CharField(max_length=50, blank=True)
    message = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["payment", "created_at"], name="provider_op_payment_idx")]

    def __str__(self):
        return f"{self.operation} {self.outcome} ({self.idempotency_key})"


# --- the test provider's own state (stands for the provider's servers) ----------------------


class SimulatedCharge(models.Model):
    """A charge as the test provider sees it; it refuses to capture or refund beyond it."""

    ref = models.CharField(max_length=40, unique=True)
    method = models.CharField(max_length=64)
    currency = models.CharField(max_length=3)
    amount = amount_field()
    captured = amount_field(default=ZERO)
    refunded = amount_field(default=ZERO)
    status = models.CharField(max_length=12, default="authorised")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(captured__lte=F("amount"), refunded__lte=F("captured")),
                name="simulated_charge_amounts",
            )
        ]

    def __str__(self):
        return f"{self.ref} {self.status}"


class SimulatedRequest(models.Model):
    """A request the test provider answered, by idempotency key: a replay gets the same
    response, in any process."""

    idempotency_key = models.CharField(max_length=255, unique=True)
    operation = models.CharField(max_length=10)
    params_hash = models.CharField(max_length=64)
    attempts = models.PositiveIntegerField(default=1)
    response = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.operation} {self.idempotency_key}"
