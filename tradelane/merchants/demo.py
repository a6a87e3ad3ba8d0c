"""Demo data for the merchant program (idempotent; `manage.py seed_demo` calls `seed()`).

- The 2024 launch edition (recruitment opened 2024-01-05, operations from 2024-02-03,
  the six launch markets) and an expansion edition for the planned markets whose
  recruitment window is open around 2026-11-25, so the demo can apply.
- The three demo merchants get a warehouse each (Shenzhen, Yiwu, Guangzhou) and an
  approved launch application: they are active in the launch markets from 2024-02-03.
"""

from __future__ import annotations

from datetime import date, time

from django.db import transaction
from django.utils import timezone

from tradelane.accounts.models import Organisation, User
from tradelane.markets.models import Market

from .addresses import normalise_address
from .eligibility import default_settings
from .models import (
    Application,
    ApplicationStatusChange,
    EligibilityRule,
    MerchantMarket,
    MerchantProfile,
    ProgramEdition,
    Warehouse,
)
from .selectors import evaluate_application
from .states import ApplicationStatus

LAUNCH_MARKETS = ["CA", "DE", "FR", "GB", "MX", "US"]
LAUNCH = {
    "name": "2024 launch edition",
    "description": "The six launch markets. Recruitment opened on 2024-01-05; operations "
    "started on 2024-02-03.",
    "recruitment_opens_on": date(2024, 1, 5),
    "recruitment_closes_on": date(2024, 2, 2),
    "operations_start_on": date(2024, 2, 3),
}
EXPANSION = {
    "name": "2027 expansion edition",
    "description": "Asia-Pacific, Gulf and further European markets.",
    "recruitment_opens_on": date(2026, 11, 2),
    "recruitment_closes_on": date(2027, 1, 29),
    "operations_start_on": date(2027, 3, 1),
}
MERCHANTS = [
    {
        "organisation": "Shenzhen Volt Electronics Co., Ltd.",
        "uscc": "91440300708461136T",
        "warehouse": {
            "name": "Shenzhen Nanshan warehouse",
            "country_area": "Guangdong Sheng",
            "city": "Shenzhen Shi",
            "city_area": "Nanshan Qu",
            "street_address": "18 Keji South Road, Building B",
            "postal_code": "518057",
            "contact_name": "Li Wei",
            "contact_phone": "+8675586001234",
            "daily_parcel_capacity": 400,
        },
        "years": 9,
        "categories": ["Phone accessories", "Chargers", "Smart home"],
        "marketplaces": ["Amazon", "Alibaba.com"],
        "contact_email": "owner@shenzhen-volt.example",
    },
    {
        "organisation": "Yiwu Living Home Goods Co., Ltd.",
        "uscc": "913307821476518324",
        "warehouse": {
            "name": "Yiwu Futian warehouse",
            "country_area": "Zhejiang Sheng",
            "city": "Jinhua Shi",
            "city_area": "Yiwu Shi",
            "street_address": "66 Chengzhong North Road",
            "postal_code": "322000",
            "contact_name": "Chen Jing",
            "contact_phone": "+8657985201234",
            "daily_parcel_capacity": 250,
        },
        "years": 6,
        "categories": ["Kitchenware", "Storage", "Home decor"],
        "marketplaces": ["Alibaba.com"],
        "contact_email": "owner@yiwu-living.example",
    },
    {
        "organisation": "Guangzhou Threads Apparel Co., Ltd.",
        "uscc": "914401011904321571",
        "warehouse": {
            "name": "Guangzhou Baiyun warehouse",
            "country_area": "Guangdong Sheng",
            "city": "Guangzhou Shi",
            "city_area": "Baiyun Qu",
            "street_address": "208 Jichang Road",
            "postal_code": "510405",
            "contact_name": "Huang Min",
            "contact_phone": "+862086301234",
            "daily_parcel_capacity": 300,
        },
        "years": 4,
        "categories": ["Apparel", "Workwear"],
        "marketplaces": ["Amazon", "Shopee"],
        "contact_email": "owner@guangzhou-threads.example",
    },
]


def _edition(spec: dict, codes: list[str]) -> ProgramEdition:
    edition, created = ProgramEdition.objects.get_or_create(
        name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"}
    )
    if created:
        edition.markets.set(Market.objects.filter(pk__in=codes))
        EligibilityRule.objects.bulk_create(
            [
                EligibilityRule(
                    edition=edition,
                    code=s.code,
                    enabled=s.enabled,
                    weight=s.weight,
                    pass_at=s.pass_at,
                    warn_at=s.warn_at,
                )
                for s in default_settings()
            ]
        )
    return edition


def _warehouse(organisation: Organisation, spec: dict) -> Warehouse:
    lines = {
        k: spec[k] for k in ("country_area", "city", "city_area", "street_address", "postal_code")
    }
    warehouse, _ = Warehouse.objects.get_or_create(
        organisation=organisation,
        name=spec["name"],
        defaults={
            "country": "CN",
            **lines,
            "normalized_address": normalise_address("CN", lines),
            "contact_name": spec["contact_name"],
            "contact_phone": spec["contact_phone"],
            "opening_days": [1, 2, 3, 4, 5, 6],
            "opens_at": time(8, 30),
            "closes_at": time(18, 0),
            "time_zone": "Asia/Shanghai",
            "pickup_cutoff": time(16, 0),
            "daily_parcel_capacity": spec["daily_parcel_capacity"],
        },
    )
    return warehouse


def _approved_application(organisation, edition, warehouse, spec, operator) -> None:
    if Application.objects.filter(organisation=organisation, edition=edition).exists():
        return
    submitted = timezone.make_aware(timezone.datetime(2024, 1, 12, 9, 0))
    decided = timezone.make_aware(timezone.datetime(2024, 1, 26, 15, 0))
    application = Application.objects.create(
        organisation=organisation,
        edition=edition,
        status=ApplicationStatus.APPROVED,
        legal_name=organisation.name,
        registration_country="CN",
        registration_number=spec["uscc"],
        registration_number_checked=True,
        contact_name=spec["warehouse"]["contact_name"],
        contact_email=spec["contact_email"],
        contact_phone=spec["warehouse"]["contact_phone"],
        export_years=spec["years"],
        categories=spec["categories"],
        ready_share_percent=85,
        near_ready_lead_days=5,
        daily_handover_capacity=spec["warehouse"]["daily_parcel_capacity"] // 2,
        other_marketplaces=spec["marketplaces"],
        created_at=submitted,
        updated_at=decided,
        submitted_at=submitted,
        decided_at=decided,
    )
    application.target_markets.set(Market.objects.filter(pk__in=LAUNCH_MARKETS))
    application.warehouses.set([warehouse])
    result = evaluate_application(application)
    application.eligibility_score = result.score
    application.eligibility = result.as_json()
    application.save(update_fields=["eligibility_score", "eligibility"])
    for at, before, after, actor in (
        (submitted, "", ApplicationStatus.DRAFT, None),
        (submitted, ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, None),
        (decided, ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, operator),
    ):
        ApplicationStatusChange.objects.create(
            subject=application, from_status=before, to_status=after, actor=actor, created_at=at
        )
    for code in LAUNCH_MARKETS:
        MerchantMarket.objects.get_or_create(
            organisation=organisation,
            market_id=code,
            edition=edition,
            defaults={"application": application, "active_from": edition.operations_start_on},
        )
    MerchantProfile.objects.get_or_create(
        organisation=organisation,
        defaults={
            "city": spec["warehouse"]["city"].removesuffix(" Shi"),
            "years_exporting": spec["years"],
            "categories": spec["categories"],
        },
    )


@transaction.atomic
def seed() -> dict:
    """Create the editions, warehouses and admissions that are missing; safe to rerun.

    Call after the markets and the accounts demo data exist.
    """
    launch = _edition(LAUNCH, LAUNCH_MARKETS)
    planned = list(
        Market.objects.exclude(pk__in=LAUNCH_MARKETS)
        .filter(status="planned")
        .values_list("pk", flat=True)
    )
    expansion = _edition(EXPANSION, planned)
    operator = User.objects.filter(email="ops@tradelane.example").first()
    merchants = 0
    for spec in MERCHANTS:
        organisation = Organisation.objects.filter(
            kind="merchant", name=spec["organisation"]
        ).first()
        if organisation is None:
            continue
        warehouse = _warehouse(organisation, spec["warehouse"])
        _approved_application(organisation, launch, warehouse, spec, operator)
        merchants += 1
    return {"editions": [launch.name, expansion.name], "merchants": merchants}
