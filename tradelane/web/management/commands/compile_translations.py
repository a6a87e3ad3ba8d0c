"""`manage.py compile_translations`: compile the .po catalogues to .mo with babel.

Django's own `compilemessages` needs GNU gettext installed; babel (already a dependency)
does the same in Python, so `make run` and `make test` need nothing from the system.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "Compile every LC_MESSAGES/*.po under LOCALE_PATHS into .mo files when out of date."

    def handle(self, *args, **options):
        compiled = 0
        for root in map(Path, settings.LOCALE_PATHS):
            for po_path in root.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, locale=po_path.parts[-3])
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog)
                compiled += 1
        self.stdout.write(f"{compiled} translation catalogue(s) compiled.")
