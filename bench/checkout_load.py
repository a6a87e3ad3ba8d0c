"""Load benchmark: orders placed end to end over HTTP (POST /api/v1/checkout).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tl_bench_orders \\
        .venv/bin/python bench/checkout_load.py [--seconds 8] [--workers 4] [--concurrency 1 8 32]

A throwaway database (SQLite by default, or DATABASE_URL: the issue's figures are on
PostgreSQL), migrated and seeded with the demo data; every demo SKU gets ample stock; each
client is its own buyer organisation with its own bearer token (demo buyers, then more)
and orders 10 units of one of the US demo SKUs — server-side pricing, the landed-cost
quote, the stock reservation, the payment authorisation through the test provider and the
outbox events, all in the request. The web server (config/webserver.py) with `--workers` on a free 127.0.0.1 port;
each concurrency level runs for a bounded time. Prints orders/s, p50/p95/p99 and the SQL
statements one placement issues (counted in process), and writes
bench/results/checkout_load.json. Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, bench_env, drive, manage, prepare_database, serve  # noqa: E402

SETUP = """
from tradelane.accounts.models import Membership, Organisation, User
from tradelane.accounts.selectors import actor_for
from tradelane.accounts.services import create_token
from tradelane.catalog import services
from tradelane.catalog.models import Sku, StockLevel
for level in StockLevel.objects.select_related("sku"):
    owner = User.objects.filter(memberships__organisation_id=level.sku.organisation_id).first()
    services.adjust_stock(actor=actor_for(owner), sku_id=level.sku_id,
                          warehouse_id=level.warehouse_id, delta=100_000_000, reason="received")
tokens = []
for i in range({clients}):
    org, _ = Organisation.objects.get_or_create(kind="buyer", name=f"Bench buyer {{i}}", country="US")
    email = f"bench{{i}}@buyer.example"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email=email, password="bench-" + email)
    Membership.objects.get_or_create(user=user, organisation=org, defaults={{"role": "owner"}})
    tokens.append(create_token(actor=actor_for(user, org.pk), name="bench")[1])
skus = list(Sku.objects.filter(code__in=["SV-GAN65-US", "SV-CABLE-2M", "SV-PLUG-EU",
    "YL-LUNCH-12", "YL-BAMBOO-3", "GT-TEE-M", "GT-TEE-L"]).values_list("pk", flat=True))
print(json.dumps({{"tokens": tokens, "skus": skus}}))
"""

COUNT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
body = {body!r}
headers = {{"HTTP_AUTHORIZATION": "Bearer {token}"}}
client = Client(HTTP_HOST="127.0.0.1")
client.post("/api/v1/checkout", body, content_type="application/json", **headers)  # warm
with CaptureQueriesContext(connection) as queries:
    response = client.post("/api/v1/checkout", body, content_type="application/json", **headers)
assert response.status_code == 201, response.content
print(len(queries.captured_queries))
"""


def order_body(sku_id: int) -> dict:
    return {
        "market": "US",
        "shipping_address": {
            "recipient": "Bench Buyer",
            "street_address": "1600 Amphitheatre Pkwy",
            "city": "Mountain View",
            "country_area": "CA",
            "postal_code": "94043",
        },
        "payment_method": "test_ok",
        "lines": [{"sku_id": sku_id, "quantity": 10}],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = parser.parse_args()
    env = bench_env(Path(tempfile.mkdtemp(prefix="tradelane-bench-")))
    env["OUTBOX_RELAY_ON_COMMIT"] = "0"  # the relay is a worker's job; keep the server's
    prepare_database(env)
    clients = max(args.concurrency)
    setup = json.loads(
        manage(env, "shell", "-c", "import json\n" + SETUP.format(clients=clients))
        .strip()
        .splitlines()[-1]
    )
    tokens, skus = setup["tokens"], setup["skus"]
    code = COUNT.format(body=json.dumps(order_body(skus[0])), token=tokens[0])
    queries = int(manage({**env, "DJANGO_DEBUG": ""}, "shell", "-c", code).strip().splitlines()[-1])
    database = os.environ.get("DATABASE_URL", "SQLite").split("@")[-1]
    print(f"database {database}; {queries} SQL statements per placed order (1 line)")
    bodies = [json.dumps(order_body(skus[k % len(skus)])).encode() for k in range(clients)]
    headers = [{"Authorization": f"Bearer {t}", "Content-Type": "application/json"} for t in tokens]
    results = {"database": database, "queries_per_order": queries, "runs": []}
    with serve(env, args.workers) as port:
        drive(
            port, "/api/v1/checkout", headers[0], 2, 2, method="POST", body=bodies[0], expect=201
        )  # warm the workers
        for concurrency in args.concurrency:
            run = drive(
                port,
                "/api/v1/checkout",
                headers[0],
                args.seconds,
                concurrency,
                method="POST",
                expect=201,
                bodies=bodies,
                client_headers=headers,
            )
            run["concurrency"] = concurrency
            results["runs"].append(run)
            print(
                f"concurrency {concurrency:>2}: {run['rps']:7.1f} orders/s  "
                f"p50 {run['p50_ms']:6.1f} ms  p95 {run['p95_ms']:6.1f} ms  "
                f"p99 {run['p99_ms']:6.1f} ms  errors {run['errors']} {run['statuses']}"
            )
    out = ROOT / "bench" / "results" / "checkout_load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
