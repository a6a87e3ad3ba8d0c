"""Generate a large catalogue for the storefront benchmarks (PostgreSQL, bulk SQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_bench TRADELANE_VAR_DIR=/tmp/tl-bench \
      .venv/bin/python bench/catalog_generate.py --skus 1000000 --merchants 2000

Migrates the database named by DATABASE_URL (use a throwaway one), then inserts
`--merchants` merchant organisations active in the six launch markets, each with a
warehouse (ORM, small), and `--skus` complete SKUs (two per product) priced in every
launch market with a break and in stock (10 % out of stock, 5 % of those near-ready),
plus their storefront listings — all with `INSERT … SELECT generate_series` so 1M SKUs
take minutes. The text is deterministic (hashes of the row number). Creates a buyer
`bench-buyer-…@catalog.test` (US) and prints a bearer token for catalog_search.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 40)  # DEBUG off: no query log
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

from tradelane.catalog import search_indexes  # noqa: E402  (plain Python, no Django setup)

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


# The storefront's GIN search indexes (catalog.search_indexes: one per market, as migration
# 0007 and post_migrate build them): dropped before the bulk insert and built once
# afterwards (much faster than maintaining them row by row).
def listing_search_indexes(cursor) -> list[str]:
    cursor.execute("SELECT code FROM markets_market ORDER BY code")
    return [search_indexes.create_statement(code) for (code,) in cursor.fetchall()]


# The search vocabulary of the new SKUs' words (catalog.listings.words_of; migration 0007).
SQL_SEARCH_TERMS = """
INSERT INTO catalog_searchterm (word)
SELECT DISTINCT w FROM catalog_sku s, regexp_split_to_table(s.search_text, '[^[:alpha:]]+') AS w
WHERE s.id > %(after)s AND length(w) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING
"""

SQL_PRODUCTS = """
INSERT INTO catalog_product (organisation_id, title, title_es, title_fr, title_de,
    description, description_es, description_fr, description_de, is_active,
    created_at, updated_at)
SELECT o.ids[1 + abs(hashint8(g)) %% o.n],
    initcap(a.w[1 + abs(hashint8(g + 11)) %% array_length(a.w, 1)]) || ' '
        || w.w[1 + abs(hashint8(g + 23)) %% array_length(w.w, 1)] || ' '
        || w.w[1 + abs(hashint8(g + 37)) %% array_length(w.w, 1)] || ' ' || g,
    '', '', '',
    'B2B ' || w.w[1 + abs(hashint8(g + 23)) %% array_length(w.w, 1)]
        || ' for resellers, carton packed.', '', '', '',
    true, %(now)s - make_interval(secs => g), %(now)s
FROM generate_series(1, %(products)s) g,
    (SELECT %(orgs)s::bigint[] AS ids, cardinality(%(orgs)s::bigint[]) AS n) o,
    (SELECT %(adjectives)s::text[] AS w) a,
    (SELECT %(words)s::text[] AS w) w
"""

SQL_SKUS = """
INSERT INTO catalog_sku (organisation_id, product_id, code, attributes, hs_code,
    origin_country, net_weight_kg, gross_weight_kg, length_cm, width_cm, height_cm,
    units_per_carton, has_battery, has_liquid, has_magnet, certifications,
    trade_data_complete, readiness, lead_days, search_text, created_at, updated_at)
SELECT p.organisation_id, p.id, 'B' || p.id || '-' || v.v, jsonb_build_object('variant', v.v),
    '850440', 'CN', 0.2, 0.3, 10, 8, 5, 50, false, false, false, '["CE"]'::jsonb, true,
    CASE WHEN abs(hashint8(p.id * 2 + v.n)) %% 200 = 0 THEN 'near_ready' ELSE 'ready' END,
    CASE WHEN abs(hashint8(p.id * 2 + v.n)) %% 200 = 0 THEN 10 END,
    lower(p.title || ' ' || p.description || ' variant ' || v.v || ' B' || p.id || '-' || v.v),
    p.created_at, p.created_at
FROM catalog_product p CROSS JOIN (VALUES ('A', 0), ('B', 1)) v(v, n)
WHERE p.id > %(after)s
ORDER BY p.id, v.n
LIMIT %(skus)s
"""

SQL_PRICES = """
INSERT INTO catalog_price (sku_id, market_id, currency, unit_price, breaks, moq, increment,
    effective_from, created_at, source)
SELECT s.id, m.code, m.currency, x.unit,
    jsonb_build_array(jsonb_build_object('min_quantity', 100,
        'unit_price', round(x.unit * 0.9, 2)::text)),
    (ARRAY[1, 10, 50])[1 + abs(hashint8(s.id + 5)) %% 3], 1,
    %(now)s - make_interval(days => 1 + abs(hashint8(s.id + 7)) %% 59), %(now)s, 'bench'
FROM catalog_sku s
CROSS JOIN (VALUES ('US', 'USD', 1), ('CA', 'CAD', 1), ('MX', 'MXN', 20), ('GB', 'GBP', 1),
    ('DE', 'EUR', 1), ('FR', 'EUR', 1)) m(code, currency, factor)
CROSS JOIN LATERAL (SELECT round((1 + (abs(hashint8(s.id)) %% 19900) / 100.0) * m.factor, 2)
    AS unit) x
WHERE s.id > %(after)s
"""

SQL_STOCK = """
INSERT INTO catalog_stocklevel (sku_id, warehouse_id, on_hand, reserved, version, updated_at)
SELECT s.id, w.id,
    CASE WHEN abs(hashint8(s.id + 3)) %% 10 = 0 THEN 0 ELSE abs(hashint8(s.id + 3)) %% 500 END,
    0, 1, %(now)s
FROM catalog_sku s JOIN merchants_warehouse w ON w.organisation_id = s.organisation_id
WHERE s.id > %(after)s
"""

SQL_LISTINGS = """
INSERT INTO catalog_listing (sku_id, market_id, organisation_id, product_id, price_id,
    currency, unit_price, moq, next_price_at, readiness, lead_days, near_ready, in_stock,
    trade_data_complete, product_active, sellable, title, search_text, search_vector,
    created_at, updated_at)
SELECT s.id, pr.market_id, s.organisation_id, s.product_id, pr.id, pr.currency, pr.unit_price,
    pr.moq, NULL, s.readiness, s.lead_days, s.readiness = 'near_ready', l.on_hand > l.reserved,
    s.trade_data_complete, p.is_active,
    s.trade_data_complete AND p.is_active
        AND (l.on_hand > l.reserved OR s.readiness = 'near_ready'),
    p.title, s.search_text,
    setweight(to_tsvector('simple'::regconfig, COALESCE(p.title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, COALESCE(s.search_text, '')), 'B'),
    s.created_at, %(now)s
FROM catalog_sku s
JOIN catalog_product p ON p.id = s.product_id
JOIN catalog_price pr ON pr.sku_id = s.id
JOIN catalog_stocklevel l ON l.sku_id = s.id
WHERE s.id > %(after)s
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skus", type=int, default=20_000)
    parser.add_argument("--merchants", type=int, default=40)
    args = parser.parse_args()
    args.skus = min(args.skus, 2_000_000)  # bounded, always

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from tradelane.accounts.models import Organisation
    from tradelane.accounts.testing import issue_token, make_actor

    if connection.vendor != "postgresql":
        sys.exit("catalog_generate.py needs PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0)
    from tradelane.merchants.models import Application, MerchantMarket, ProgramEdition, Warehouse

    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()

    def step(label, sql, **params):
        t = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.rowcount
        print(f"{label:<34} {rows:>9} rows {time.monotonic() - t:>7.1f} s", flush=True)

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
    Warehouse.objects.bulk_create(
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
    print(f"{len(orgs)} merchants in {len(MARKETS)} markets ({time.monotonic() - started:.1f} s)")

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(max(id), 0) FROM catalog_product")
        after_product = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(max(id), 0) FROM catalog_sku")
        after_sku = cursor.fetchone()[0]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            indexes = listing_search_indexes(cursor)
            for statement in indexes:  # rebuilt after the bulk insert
                cursor.execute(f"DROP INDEX IF EXISTS {statement.split()[5]}")
        step(
            "products",
            SQL_PRODUCTS,
            now=now,
            products=(args.skus + 1) // 2,
            orgs=[o.pk for o in orgs],
            adjectives=ADJECTIVES,
            words=WORDS,
        )
        step("skus", SQL_SKUS, after=after_product, skus=args.skus)
        step("prices (6 markets)", SQL_PRICES, now=now, after=after_sku)
        step("stock levels", SQL_STOCK, now=now, after=after_sku)
        step("storefront listings", SQL_LISTINGS, now=now, after=after_sku)
        step("search vocabulary", SQL_SEARCH_TERMS, after=after_sku)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
    for statement in indexes:  # after commit: FK checks are deferred
        step("search index " + statement.split()[5], statement)
    with connection.cursor() as cursor:
        t = time.monotonic()
        cursor.execute("VACUUM ANALYZE")
        print(f"{'vacuum analyze':<34} {'':>9}      {time.monotonic() - t:>7.1f} s")
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
