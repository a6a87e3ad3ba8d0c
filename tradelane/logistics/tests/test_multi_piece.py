"""Multi-carton shipments: per parcel (each carton priced alone) or per shipment (the
cartons' chargeable weights summed and priced once) as the rate card says."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType

import pytest
from django.utils import timezone

from tradelane.core.errors import InvalidInput
from tradelane.logistics import engine, selectors, services
from tradelane.logistics.models import RateCard

from .conftest import at, bag, run, tier

# US premium: 31.00 for the first 0.5 kg, 7.20 per further 0.5 kg, no handling fee,
# divisor 5000, fuel 24.5%. 12 bags of 0.5 kg, 4 to a 30×20×10 carton: 3 cartons of
# 2.0 kg actual, 1.2 kg volumetric.
CART = [bag(qty=12, upc=4)]


def per_shipment(network, tier_name="premium"):
    cards = dict(network.cards)
    cards[tier_name] = dataclasses.replace(cards[tier_name], pricing_basis="per_shipment")
    return dataclasses.replace(
        network, cards=MappingProxyType(cards), _calendar_memo={}, _duty_memo={}
    )


def quote(network, lines):
    request = engine.QuoteRequest(
        lines=tuple(lines), postal_code="90210", quoted_at=at("2026-07-27")
    )
    return tier(engine.quote(network, request), "premium")


def us():
    return selectors.load_network(market="US", on=date(2026, 7, 27), currencies={"USD"})


def test_per_parcel_prices_each_carton_on_its_own_weight(fx):
    t = quote(us(), CART)
    assert (t.shipping.cartons, t.shipping.chargeable_kg) == (3, Decimal("6.0"))
    assert t.shipping.transport == 3 * Decimal("52.60")  # 31.00 + 3 × 7.20 per carton


def test_per_shipment_sums_the_cartons_and_prices_once(fx):
    t = quote(per_shipment(us()), CART)
    assert (t.shipping.cartons, t.shipping.chargeable_kg) == (3, Decimal("6.0"))
    assert t.shipping.transport == Decimal("110.20")  # 31.00 + 11 × 7.20
    assert [str(line.amount.amount) for line in t.lines if line.kind == "shipping"] == [
        "110.20",
        "27.00",  # fuel 24.5%: 26.999
    ]
    assert sum(line.amount.amount for line in t.lines) == t.total.amount


def test_per_shipment_sums_volumetric_weight_where_it_wins(fx):
    # 3 boxes of 40×30×20 (4.8 kg volumetric) holding 0.5 kg each: 14.4 kg, not 3 × 5.0
    boxy = [bag(qty=3, upc=1, dims=("40", "30", "20"))]
    parcel, shipment = quote(us(), boxy), quote(per_shipment(us()), boxy)
    assert parcel.shipping.chargeable_kg == Decimal("15.0")  # each 4.8 rounded up to 5.0
    assert shipment.shipping.chargeable_kg == Decimal("14.5")  # 14.4 rounded once
    assert shipment.shipping.transport == Decimal("31.00") + 28 * Decimal("7.20")


def test_per_shipment_still_checks_each_carton_against_the_parcel_limits(fx):
    heavy = [bag(qty=2, upc=1, gross="80")]
    t = quote(per_shipment(us()), heavy)
    assert t.unavailable.code == "over_max_weight"
    assert "A carton of line 1 weighs 80 kg" in t.unavailable.message


def test_a_single_carton_costs_the_same_either_way(fx):
    one = [bag(qty=4, upc=4)]
    assert quote(us(), one).shipping == quote(per_shipment(us()), one).shipping


def test_operator_switches_a_card_to_per_shipment_from_tomorrow(fx, api, operator_admin):
    card = RateCard.objects.get(lane__destination_id="US", tier="premium", effective_to=None)
    tomorrow = timezone.localdate() + timedelta(days=1)
    day = (tomorrow + timedelta(days=7)).isoformat()
    before = tier(run("US", "90210", CART, day=day), "premium").shipping.transport
    response = api(operator_admin).post(
        f"/logistics/rate-cards/{card.pk}/revisions",
        {"effective_from": tomorrow.isoformat(), "pricing_basis": "per_shipment"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["pricing_basis"] == "per_shipment"
    after = tier(run("US", "90210", CART, day=day), "premium").shipping.transport
    assert (before, after) == (3 * Decimal("52.60"), Decimal("110.20"))
    today = tier(run("US", "90210", CART, day=timezone.localdate().isoformat()), "premium")
    assert today.shipping.transport == before  # the day that has begun keeps its card


def test_an_unknown_pricing_basis_is_refused(fx, operator_admin):
    card = RateCard.objects.filter(tier="premium").first()
    with pytest.raises(InvalidInput) as refused:
        services.revise_rate_card(
            actor=operator_admin,
            card_id=card.pk,
            effective_from=timezone.localdate() + timedelta(days=1),
            changes={"pricing_basis": "per_kilo"},
        )
    assert refused.value.field == "pricing_basis"
    assert RateCard.objects.count() == 18
