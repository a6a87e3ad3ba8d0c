"""Demo organisations and users for `manage.py seed_demo` (idempotent)."""

from dataclasses import dataclass

from django.db import transaction

from .models import Membership, Organisation, User

DEMO_PASSWORD = "tradelane-demo"


@dataclass(frozen=True)
class DemoUser:
    label: str
    email: str
    full_name: str
    kind: str
    organisation: str
    country: str
    role: str


DEMO_USERS = [
    DemoUser(
        "Operator (admin)",
        "ops@tradelane.example",
        "Olivia Ops",
        "operator",
        "Tradelane Operations",
        "GB",
        "admin",
    ),
    DemoUser(
        "Operator (support)",
        "support@tradelane.example",
        "Sam Support",
        "operator",
        "Tradelane Operations",
        "GB",
        "support",
    ),
    DemoUser(
        "Merchant: Shenzhen electronics",
        "owner@shenzhen-volt.example",
        "Li Wei",
        "merchant",
        "Shenzhen Volt Electronics Co., Ltd.",
        "CN",
        "owner",
    ),
    DemoUser(
        "Merchant: Yiwu home goods",
        "owner@yiwu-living.example",
        "Chen Jing",
        "merchant",
        "Yiwu Living Home Goods Co., Ltd.",
        "CN",
        "owner",
    ),
    DemoUser(
        "Merchant: Guangzhou apparel",
        "owner@guangzhou-threads.example",
        "Huang Min",
        "merchant",
        "Guangzhou Threads Apparel Co., Ltd.",
        "CN",
        "owner",
    ),
    DemoUser(
        "Buyer: US",
        "buyer@acme-supply.example",
        "Alex Carter",
        "buyer",
        "Acme Supply LLC",
        "US",
        "owner",
    ),
    DemoUser(
        "Buyer: Canada",
        "buyer@maple-wholesale.example",
        "Jordan Tremblay",
        "buyer",
        "Maple Wholesale Inc.",
        "CA",
        "owner",
    ),
    DemoUser(
        "Buyer: UK",
        "buyer@thames-trade.example",
        "Harriet Green",
        "buyer",
        "Thames Trade Ltd",
        "GB",
        "owner",
    ),
    DemoUser(
        "Buyer: Germany",
        "einkauf@berlin-handel.example",
        "Jonas Weber",
        "buyer",
        "Berlin Handel GmbH",
        "DE",
        "owner",
    ),
    DemoUser(
        "Buyer: France",
        "achats@lyon-distribution.example",
        "Camille Martin",
        "buyer",
        "Lyon Distribution SARL",
        "FR",
        "owner",
    ),
    DemoUser(
        "Buyer: Mexico",
        "compras@monterrey-mayoreo.example",
        "Sofía Hernández",
        "buyer",
        "Monterrey Mayoreo S.A. de C.V.",
        "MX",
        "owner",
    ),
]


@transaction.atomic
def seed() -> int:
    """Create the demo organisations and users that are missing; returns how many users were new."""
    created = 0
    for demo in DEMO_USERS:
        organisation, _ = Organisation.objects.get_or_create(
            kind=demo.kind, name=demo.organisation, defaults={"country": demo.country}
        )
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                email=demo.email, password=DEMO_PASSWORD, full_name=demo.full_name
            )
            created += 1
        if demo.kind == "operator" and demo.role == "admin" and not user.is_superuser:
            user.is_staff = user.is_superuser = True  # Django admin for the platform's superuser
            user.save(update_fields=["is_staff", "is_superuser"])
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": demo.role}
        )
    return created
