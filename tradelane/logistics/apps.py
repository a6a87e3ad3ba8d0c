from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def _ensure_reference_network(sender, *, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Put back the seeded lanes, rate cards and duty rates after `migrate` or a test flush.

    Reference data, like the markets' (see markets/apps.py); runs after the markets hook
    because INSTALLED_APPS lists markets first. Idempotent, never overwrites edits.
    """
    from .services.network import load_reference_network

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        if apps is not None:
            apps.get_model("logistics", "Lane")
    except LookupError:  # not migrated yet in this plan
        return
    load_reference_network(apps=apps)


class LogisticsConfig(AppConfig):
    name = "tradelane.logistics"
    label = "logistics"
    verbose_name = "Logistics"

    def ready(self):
        post_migrate.connect(
            _ensure_reference_network, sender=self, dispatch_uid="logistics_reference_network"
        )
