from django.core.management.base import BaseCommand

from tradelane.markets.services import load_reference_markets


class Command(BaseCommand):
    help = (
        "Create the 20 reference markets, tax regimes and fees that are missing (never overwrites)."
    )

    def handle(self, *args, **options):
        counts = load_reference_markets()
        self.stdout.write(
            f"Created {counts['markets']} markets, {counts['tax_regimes']} tax regimes, {counts['fees']} fees."
        )
