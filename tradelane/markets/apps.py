from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def _ensure_reference_markets(sender, *, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """Put back missing reference markets after `migrate` and after a test flush.

    Reference data, not business logic: the 0002 data migration loads it once, but a
    transactional test's flush empties every table and then emits post_migrate (as it does
    for content types); this keeps the 20 markets there for the tests that follow.
    Idempotent; never overwrites an operator's edits.
    """
    from .services import load_reference_markets

    if using != DEFAULT_DB_ALIAS:
        return
    try:
        if apps is not None:
            apps.get_model("markets", "Market")
    except LookupError:  # markets not migrated yet in this plan
        return
    load_reference_markets(apps=apps)


class MarketsConfig(AppConfig):
    name = "tradelane.markets"
    label = "markets"
    verbose_name = "Markets"

    def ready(self):
        post_migrate.connect(
            _ensure_reference_markets, sender=self, dispatch_uid="markets_reference_data"
        )
