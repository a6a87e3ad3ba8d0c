"""A stored, weighted tsvector on the storefront read model (title A, search text B).

Search matches and ranks on `Listing.search_vector` instead of computing
`to_tsvector(search_text)` per row: one GIN index on (market, search_vector) partial on
`sellable` (btree_gin) replaces the expression index of 0004. PostgreSQL only; on SQLite
the column exists and stays NULL (search there uses its substring fallback).
"""

import django.contrib.postgres.search
from django.db import migrations

# Keep in step with catalog.listings.search_vector and bench/catalog_generate.py.
VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, COALESCE(search_text, '')), 'B')"
)
PG_FORWARD = [  # fill first, index once afterwards (faster than row by row)
    f"UPDATE catalog_listing SET search_vector = {VECTOR_SQL} WHERE search_vector IS NULL",
    "CREATE INDEX IF NOT EXISTS catalog_listing_search ON catalog_listing USING gin "
    "(market_id, search_vector) WHERE sellable",
    "DROP INDEX IF EXISTS catalog_listing_fts",
]
PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS catalog_listing_fts ON catalog_listing USING gin "
    "(market_id, to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) WHERE sellable",
    "DROP INDEX IF EXISTS catalog_listing_search",
]


def forward(apps, schema_editor):
    """Build the listings of existing SKUs when there are none yet (a database coming
    from before 0004: the fill moved here), else compute the vectors of existing rows."""
    Sku = apps.get_model("catalog", "Sku")
    Listing = apps.get_model("catalog", "Listing")
    if Sku.objects.exists() and not Listing.objects.exists():
        from tradelane.catalog import listings

        listings.rebuild_all()
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    # Not one transaction: PostgreSQL refuses CREATE INDEX on a table with pending (deferred
    # FK) trigger events, which the fill leaves; every step is idempotent if re-run.
    atomic = False
    dependencies = [("catalog", "0005_managed_offers")]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                blank=True, editable=False, null=True
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
