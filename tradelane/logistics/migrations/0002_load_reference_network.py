from django.db import migrations


def load(apps, schema_editor):
    from tradelane.logistics.services import load_reference_network

    load_reference_network(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("logistics", "0001_initial"), ("markets", "0002_load_reference_markets")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
