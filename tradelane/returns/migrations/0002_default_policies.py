from django.db import migrations


def load(apps, schema_editor):
    from tradelane.returns.seed import default_for

    Market = apps.get_model("markets", "Market")
    Policy = apps.get_model("returns", "MarketReturnPolicy")
    for code in Market.objects.values_list("code", flat=True):
        d = default_for(code)
        Policy.objects.get_or_create(
            market_id=code,
            defaults={
                "window_days": d.window_days,
                "covered_reasons": list(d.covered_reasons),
                "changed_mind_days": d.changed_mind_days,
                "changed_mind_business_days": d.changed_mind_business_days,
                "decision_days": d.decision_days,
                "auto_approve_days": d.auto_approve_days,
                "auto_approve_reasons": list(d.auto_approve_reasons),
                "source": d.source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0001_initial"),
        ("markets", "0003_reference_version_regional_taxes"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
