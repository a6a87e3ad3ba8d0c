from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tradelane.core.errors import DomainError
from tradelane.markets.services import import_ecb_rates


class Command(BaseCommand):
    help = "Import an ECB eurofxref XML file (daily, 90-day or historical) as EUR rates: all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="path to eurofxref-daily.xml / eurofxref-hist.xml")
        parser.add_argument("--source", default="ECB")

    def handle(self, *args, path, source, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = import_ecb_rates(file.read_bytes(), source=source)
        except DomainError as error:
            raise CommandError(f"{path}: {error.message} Nothing was imported.") from None
        self.stdout.write(
            f"Imported {result.rates} rates for {result.days} days ({result.first_day} → {result.last_day}): "
            f"{result.created} new, {result.updated} changed."
        )
