from django.core.management.base import BaseCommand

from tradelane.logistics.services import load_reference_network


class Command(BaseCommand):
    help = "Create the seeded lanes, rate cards and duty rates where missing (never overwrites)."

    def handle(self, *args, **options):
        counts = load_reference_network()
        self.stdout.write(", ".join(f"{n} {what}" for what, n in counts.items()))
