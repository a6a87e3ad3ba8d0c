"""Fixed import fees of a landed cost (national parcel fees, per-item charges)."""

from __future__ import annotations

from decimal import Decimal


def fee_applies(fee, goods: Decimal, b2b: bool, limit) -> bool:
    if b2b and not fee.applies_to_b2b:
        return False
    return fee.max_consignment is None or goods <= limit(fee.max_consignment)


def fee_applies_under(fee, goods: Decimal, b2b: bool, ceiling: Decimal | None) -> bool:
    """`fee_applies`, with the fee's ceiling already in the market currency (or None)."""
    if b2b and not fee.applies_to_b2b:
        return False
    return ceiling is None or goods <= ceiling


def add_fees(builder, network, request, shipping, facts) -> None:
    """Fixed fees in force (per parcel, per item or per consignment) as breakdown lines.

    A per-tariff-line fee is a flat customs duty and is priced with the duties."""
    goods, b2b, border = facts.goods, facts.b2b, facts.border
    for fee in network.fees:
        if fee.basis == "per_tariff_line":
            continue  # a flat customs duty: handled as the duty
        if not fee_applies(fee, goods, b2b, builder.local):
            continue
        if fee.basis == "per_parcel":
            count = shipping.cartons
        elif fee.basis == "per_item":
            count = sum(line.quantity for line in request.lines)
        else:
            count = 1
        builder.add(
            "fee",
            f"{fee.name}: {fee.amount.amount.normalize():f} {fee.amount.currency} × {count}",
            builder.local(fee.amount) * count,
            f"{fee.basis.replace('_', ' ')} fee from {fee.effective_from}",
            fee.as_of,
            border,
        )
