"""`manage.py seed_demo`: demo data for every context. Safe to run again: nothing doubles."""

from pathlib import Path

from django.core.management import BaseCommand

from tradelane.accounts import demo as accounts_demo
from tradelane.catalog import demo as catalog_demo
from tradelane.logistics.services.network import load_reference_network
from tradelane.markets.services import import_ecb_rates, load_reference_markets
from tradelane.merchants import demo as merchants_demo
from tradelane.orders import demo as orders_demo

ECB_SAMPLE = Path(__file__).resolve().parents[3] / "markets" / "data" / "ecb-sample.xml"


class Command(BaseCommand):
    help = "Load demo organisations, users and reference data (idempotent)."

    def handle(self, *args, **options):
        load_reference_markets()
        load_reference_network()
        users = accounts_demo.seed()
        merchants_demo.seed()
        rates = import_ecb_rates(ECB_SAMPLE.read_bytes(), source="ECB")
        products = catalog_demo.seed()
        orders = orders_demo.seed()
        self.stdout.write(
            f"Demo data ready ({users} new users, {rates.rates} ECB rates for {rates.days} "
            f"day(s), {products} new products, {orders} new orders)."
        )
