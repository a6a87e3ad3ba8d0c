"""Test helpers: editions, warehouses and complete answers."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from . import services

VALID_USCC = "91440300708461136T"
OTHER_USCC = "913307821476518324"


def make_edition(
    actor, *, name="Test edition", markets=("US", "DE"), opens_in=-10, closes_in=30, starts_in=60
):
    today = timezone.localdate()
    return services.create_edition(
        actor=actor,
        name=name,
        market_codes=list(markets),
        recruitment_opens_on=today + timedelta(days=opens_in),
        recruitment_closes_on=today + timedelta(days=closes_in),
        operations_start_on=today + timedelta(days=starts_in),
    )


def warehouse_fields(**overrides) -> dict:
    fields = {
        "name": "Shenzhen Nanshan",
        "country": "CN",
        "country_area": "Guangdong Sheng",
        "city": "Shenzhen Shi",
        "city_area": "Nanshan Qu",
        "street_address": "18 Keji South Road",
        "postal_code": "518057",
        "contact_name": "Li Wei",
        "contact_phone": "+86 755 8600 1234",
        "opening_days": [1, 2, 3, 4, 5],
        "opens_at": time(9, 0),
        "closes_at": time(18, 0),
        "time_zone": "Asia/Shanghai",
        "pickup_cutoff": time(16, 0),
        "daily_parcel_capacity": 300,
    }
    fields.update(overrides)
    return fields


def warehouse_json(**overrides) -> dict:
    data = warehouse_fields(**overrides)
    for key in ("opens_at", "closes_at", "pickup_cutoff"):
        if isinstance(data[key], time):
            data[key] = data[key].strftime("%H:%M")
    return data


def make_warehouse(actor, **overrides):
    return services.create_warehouse(actor=actor, **warehouse_fields(**overrides))


def answers(warehouse_ids=(), **overrides) -> dict:
    data = {
        "legal_name": "Shenzhen Volt Electronics Co., Ltd.",
        "registration_country": "CN",
        "registration_number": VALID_USCC,
        "contact_name": "Li Wei",
        "contact_email": "li.wei@shenzhen.test",
        "contact_phone": "+86 755 8600 1234",
        "export_years": 6,
        "categories": ["Chargers", "Phone accessories"],
        "target_markets": ["US", "DE"],
        "warehouse_ids": list(warehouse_ids),
        "ready_share_percent": 85,
        "near_ready_lead_days": 5,
        "daily_handover_capacity": 120,
        "other_marketplaces": ["Amazon"],
    }
    data.update(overrides)
    return data
