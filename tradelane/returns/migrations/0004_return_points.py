from django.db import migrations


def load(apps, schema_editor):
    """One return point per existing market, with the seeded default tariff (never
    overwriting one an operator already edited)."""
    from tradelane.returns.seed import return_point_default

    Market = apps.get_model("markets", "Market")
    ReturnPoint = apps.get_model("returns", "ReturnPoint")
    for code, currency, name in Market.objects.values_list("code", "currency", "name"):
        ReturnPoint.objects.get_or_create(
            market_id=code, defaults=return_point_default(code, currency, name)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0003_reverse_inspection_settlement"),
        ("markets", "0003_reference_version_regional_taxes"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
