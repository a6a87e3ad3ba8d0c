"""Generate a large catalogue for the storefront benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_bench TRADELANE_VAR_DIR=/tmp/tl-bench \
      .venv/bin/python bench/catalog_generate.py --skus 1000000 --merchants 2000

Migrates the database named by DATABASE_URL (use a throwaway one), then inserts
`--merchants` merchant organisations active in the six launch markets, each with a
warehouse, and `--skus` complete SKUs (two per product) priced in every launch market
with breaks and in stock. Inserts in batches with bulk_create; prints rows/s. Creates a
buyer `bench-buyer@catalog.test` (US) and prints a bearer token for catalog_search.py.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import time as clock
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 40)  # DEBUG off: no query log
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

WORDS = [
    "charger",
    "cable",
    "adapter",
    "lamp",
    "hinge",
    "valve",
    "bracket",
    "pump",
    "sensor",
    "switch",
    "bottle",
    "tray",
    "hook",
    "drill",
    "blade",
    "filter",
    "fan",
    "bulb",
    "clamp",
    "gasket",
    "spring",
    "magnet",
    "battery",
    "speaker",
    "mouse",
    "stand",
    "organizer",
    "basket",
    "mat",
    "cover",
    "holder",
    "strap",
    "buckle",
    "brush",
    "sponge",
    "towel",
    "mug",
    "kettle",
]
ADJECTIVES = [
    "steel",
    "braided",
    "compact",
    "folding",
    "heavy-duty",
    "silicone",
    "wireless",
    "led",
    "usb-c",
    "ceramic",
]
MARKETS = {"US": "USD", "CA": "CAD", "MX": "MXN", "GB": "GBP", "DE": "EUR", "FR": "EUR"}
BATCH = 5000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--merchants", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.skus = min(args.skus, 2_000_000)  # bounded, always

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tradelane.accounts.models import Organisation
    from tradelane.accounts.testing import issue_token, make_actor
    from tradelane.catalog.models import Price, Product, Sku, StockLevel
    from tradelane.catalog.services.products import search_text_of
    from tradelane.merchants.models import Application, MerchantMarket, ProgramEdition, Warehouse

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()

    edition = ProgramEdition.objects.create(
        name=f"Bench {now:%Y%m%d%H%M%S}",
        recruitment_opens_on=today - timedelta(days=60),
        recruitment_closes_on=today - timedelta(days=30),
        operations_start_on=today - timedelta(days=20),
    )
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Bench merchant {i:05d}", kind="merchant", country="CN")
            for i in range(args.merchants)
        ],
        batch_size=BATCH,
    )
    apps_ = Application.objects.bulk_create(
        [Application(organisation=o, edition=edition, status="approved") for o in orgs],
        batch_size=BATCH,
    )
    MerchantMarket.objects.bulk_create(
        [
            MerchantMarket(
                organisation=o,
                market_id=m,
                edition=edition,
                application=a,
                active_from=today - timedelta(days=20),
            )
            for o, a in zip(orgs, apps_, strict=True)
            for m in MARKETS
        ],
        batch_size=BATCH,
    )
    warehouses = Warehouse.objects.bulk_create(
        [
            Warehouse(
                organisation=o,
                name="Main",
                country="CN",
                country_area="Guangdong Sheng",
                city="Shenzhen Shi",
                street_address="1 Bench Road",
                postal_code="518057",
                contact_name="Bench",
                contact_phone="+8675586001234",
                opening_days=[1, 2, 3, 4, 5],
                opens_at=clock(9),
                closes_at=clock(18),
                time_zone="Asia/Shanghai",
                pickup_cutoff=clock(16),
                daily_parcel_capacity=500,
            )
            for o in orgs
        ],
        batch_size=BATCH,
    )
    warehouse_of = {w.organisation_id: w.pk for w in warehouses}
    print(f"{len(orgs)} merchants in {len(MARKETS)} markets ({time.monotonic() - started:.1f} s)")

    made = 0
    while made < args.skus:
        count = min(BATCH, args.skus - made)
        products = []
        for i in range(count // 2 or 1):
            org = orgs[rng.randrange(len(orgs))]
            noun = rng.choice(WORDS)
            title = f"{rng.choice(ADJECTIVES).title()} {noun} {rng.choice(WORDS)} {made + i}"
            products.append(
                Product(
                    organisation=org,
                    title=title,
                    description=f"B2B {noun} for resellers, carton packed.",
                )
            )
        products = Product.objects.bulk_create(products, batch_size=BATCH)
        skus = []
        for p in products:
            for variant in ("A", "B"):
                if made + len(skus) >= args.skus:
                    break
                sku = Sku(
                    organisation_id=p.organisation_id,
                    product=p,
                    code=f"B{p.pk}-{variant}",
                    attributes={"variant": variant},
                    hs_code="850440",
                    origin_country="CN",
                    net_weight_kg=Decimal("0.2"),
                    gross_weight_kg=Decimal("0.3"),
                    length_cm=Decimal("10"),
                    width_cm=Decimal("8"),
                    height_cm=Decimal("5"),
                    units_per_carton=50,
                    certifications=["CE"],
                    trade_data_complete=True,
                )
                sku.search_text = search_text_of(p, sku)
                skus.append(sku)
        skus = Sku.objects.bulk_create(skus, batch_size=BATCH)
        prices = []
        for sku in skus:
            base = Decimal(rng.randrange(100, 20000)) / 100
            for market, currency in MARKETS.items():
                unit = (base * (20 if currency == "MXN" else 1)).quantize(Decimal("0.01"))
                prices.append(
                    Price(
                        sku=sku,
                        market_id=market,
                        currency=currency,
                        unit_price=unit,
                        breaks=[
                            {
                                "min_quantity": 100,
                                "unit_price": str(
                                    (unit * Decimal("0.9")).quantize(Decimal("0.01"))
                                ),
                            }
                        ],
                        moq=rng.choice((1, 10, 50)),
                        increment=1,
                        effective_from=now - timedelta(days=rng.randrange(1, 60)),
                        created_at=now,
                    )
                )
        Price.objects.bulk_create(prices, batch_size=BATCH)
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    sku=s,
                    warehouse_id=warehouse_of[s.organisation_id],
                    on_hand=rng.randrange(0, 500),
                    version=1,
                )
                for s in skus
            ],
            batch_size=BATCH,
        )
        made += len(skus)
        elapsed = time.monotonic() - started
        print(f"{made:>9} SKUs  {made / elapsed:>8.0f} SKUs/s", flush=True)

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    buyer = make_actor(
        "buyer",
        "owner",
        email=f"bench-buyer-{now:%H%M%S}@catalog.test",
        org_name="Bench Buyer",
        country="US",
    )
    print(f"done in {time.monotonic() - started:.0f} s")
    print(f"TOKEN={issue_token(buyer)}")


if __name__ == "__main__":
    main()
