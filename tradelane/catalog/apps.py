from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_indexes(sender, using, **kwargs):
    """After every migrate: a market added since the last one gets its search index."""
    from django.db import connections

    from . import search_indexes

    search_indexes.ensure(connections[using])


class CatalogConfig(AppConfig):
    name = "tradelane.catalog"
    label = "catalog"

    def ready(self):
        post_migrate.connect(_ensure_search_indexes, sender=self)
