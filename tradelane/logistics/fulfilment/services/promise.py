"""The delivery promise: shipments at risk and late are flagged; a late delivery credits
the buyer by the operator's rule (a share of the shipping paid), refunded after commit.

- late: not delivered by the end of the promised latest day (UTC), or delivered after it.
- at risk: not delivered, and the simulated remaining transit of its tier does not fit
  before the end of the promised latest day (or the handover deadline passed unscanned).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tradelane.core.access import Actor
from tradelane.core.audit import record_audit
from tradelane.core.errors import InvalidInput
from tradelane.core.money import Money
from tradelane.core.outbox import record_event

from ..carriers.simulated import TIER_HOURS
from ..models import CreditRule, Shipment
from ..states import ACTIVE, CANONICAL, RANK, ShipmentStatus

DEFAULT_SHARE = Decimal("0.5000")


def rule_share() -> Decimal:
    rule = CreditRule.objects.order_by("-created_at", "-id").first()
    return rule.share_of_shipping if rule else DEFAULT_SHARE


def promise_end(shipment: Shipment) -> datetime:
    return datetime.combine(shipment.promised_latest + timedelta(days=1), time(0), tzinfo=UTC)


def remaining_hours(shipment: Shipment) -> float:
    steps_left = len(CANONICAL) - 1 - max(shipment.position, RANK[ShipmentStatus.PICKED_UP])
    total = TIER_HOURS.get(shipment.tier, TIER_HOURS["standard"])
    return total * steps_left / (len(CANONICAL) - 2)


def flags(shipment: Shipment, now: datetime) -> tuple[bool, bool]:
    """(at_risk, late) of a shipment as of `now`."""
    end = promise_end(shipment)
    if shipment.delivered_at is not None:
        return False, shipment.delivered_at >= end
    if shipment.status not in ACTIVE:
        return False, False
    if now >= end:
        return False, True
    unscanned_late = shipment.status == ShipmentStatus.CREATED and now > shipment.handover_deadline
    behind = now + timedelta(hours=remaining_hours(shipment)) > end
    return unscanned_late or behind, False


def credit_if_late(shipment: Shipment) -> None:
    """On delivery (shipment locked by the caller): flag late and record the credit."""
    at_risk, late = flags(shipment, shipment.delivered_at)
    if not late or shipment.credit_amount is not None:
        if late != shipment.late:
            shipment.late = late
            shipment.save(update_fields=["late"])
        return
    share = rule_share()
    credit = Money(shipment.shipping_paid * share, shipment.currency).rounded()
    shipment.late = True
    shipment.credit_amount = credit.amount
    shipment.credit_rule = f"{(share * 100).normalize():f}% of the shipping paid (late delivery)"
    shipment.save(update_fields=["late", "credit_amount", "credit_rule"])
    if credit.amount > 0:
        record_event(
            "fulfilment.late_delivery_credited",
            {
                "shipment_id": shipment.pk,
                "order_id": shipment.order_id,
                "number": shipment.order_number,
                "buyer_id": shipment.buyer_id,
                "merchant_id": shipment.merchant_id,
                "amount": str(credit.amount),
                "currency": credit.currency,
            },
        )


def monitor(*, now: datetime | None = None) -> int:
    """Refresh at-risk and late flags of every moving shipment; returns how many changed.
    Each change is one guarded UPDATE (no lock held across shipments)."""
    now = now or timezone.now()
    changed = 0
    candidates = Shipment.objects.filter(status__in=ACTIVE).only(
        "id",
        "status",
        "position",
        "tier",
        "promised_latest",
        "handover_deadline",
        "delivered_at",
        "at_risk",
        "late",
    )
    for shipment in candidates.iterator():
        at_risk, late = flags(shipment, now)
        if (at_risk, late) != (shipment.at_risk, shipment.late):
            changed += Shipment.objects.filter(pk=shipment.pk, status=shipment.status).update(
                at_risk=at_risk, late=late
            )
    return changed


@transaction.atomic
def set_credit_rule(*, actor: Actor, share_percent: Decimal) -> CreditRule:
    """Operators set the share of shipping credited on a late delivery (0–100 %)."""
    if not isinstance(share_percent, Decimal) or not Decimal(0) <= share_percent <= 100:
        raise InvalidInput("A share from 0 to 100 %.", field="share_percent")
    before = rule_share()
    rule = CreditRule.objects.create(
        share_of_shipping=(share_percent / 100).quantize(Decimal("0.0001")),
        created_by=actor.user,
    )
    record_audit(
        actor=actor,
        action="fulfilment.credit_rule_set",
        target=rule,
        summary=f"late-delivery credit {share_percent}% of shipping",
        changes={"share_of_shipping": [str(before), str(rule.share_of_shipping)]},
    )
    return rule
