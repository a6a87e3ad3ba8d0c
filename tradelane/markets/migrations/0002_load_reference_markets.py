from django.db import migrations


def load(apps, schema_editor):
    from tradelane.markets.services import load_reference_markets

    load_reference_markets(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("markets", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
