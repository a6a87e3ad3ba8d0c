"""PostgreSQL only: the pg_trgm extension and search indexes. A no-op elsewhere (SQLite)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_sku_search_fts ON catalog_sku "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
    "CREATE INDEX IF NOT EXISTS catalog_sku_search_trgm ON catalog_sku "
    "USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS catalog_product_title_trgm ON catalog_product "
    "USING gin (title gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalog_product_title_trgm",
    "DROP INDEX IF EXISTS catalog_sku_search_trgm",
    "DROP INDEX IF EXISTS catalog_sku_search_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
