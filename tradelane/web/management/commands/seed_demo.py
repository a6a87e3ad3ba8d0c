"""`manage.py seed_demo`: demo data for every context. Safe to run again: nothing doubles."""

from django.core.management import BaseCommand

from tradelane.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Load demo organisations, users and reference data (idempotent)."

    def handle(self, *args, **options):
        users = accounts_demo.seed()
        self.stdout.write(f"Demo data ready ({users} new users).")
