"""Search by market and typo correction against a vocabulary (PostgreSQL's indexes).

- `SearchTerm`: the words of the listings' text, filled here from every SKU's search text;
  on PostgreSQL a trigram GIN index on it corrects a mistyped word against this small
  table instead of a trigram scan of every listing (the `catalog_listing_trgm` index of
  0004, dropped).
- One partial GIN index on `search_vector` per market (`catalog.search_indexes`) instead
  of one over all markets with the market as a btree_gin key (`catalog_listing_search` of
  0006, dropped).
"""

from django.db import migrations, models

from tradelane.catalog import search_indexes

PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS catalog_listing_search ON catalog_listing USING gin "
    "(market_id, search_vector) WHERE sellable",
    "CREATE INDEX IF NOT EXISTS catalog_listing_trgm ON catalog_listing USING gin "
    "(market_id, search_text gin_trgm_ops) WHERE sellable",
]
# Keep in step with catalog.listings.words_of and bench/catalog_generate.py.
PG_FILL = (
    "INSERT INTO catalog_searchterm (word) SELECT DISTINCT w FROM catalog_sku s, "
    "regexp_split_to_table(s.search_text, '[^[:alpha:]]+') AS w "
    "WHERE length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING"
)


def forward(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        from tradelane.catalog.listings import words_of

        Sku = apps.get_model("catalog", "Sku")
        SearchTerm = apps.get_model("catalog", "SearchTerm")
        words = set()
        for text in Sku.objects.values_list("search_text", flat=True).iterator():
            words |= words_of(text)
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True
        )
        return
    schema_editor.execute(PG_FILL)
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_searchterm_trgm ON catalog_searchterm "
        "USING gin (word gin_trgm_ops)"
    )
    with connection.cursor() as cursor:
        for code in search_indexes.missing(cursor):
            cursor.execute(search_indexes.create_statement(code))
    schema_editor.execute("DROP INDEX IF EXISTS catalog_listing_search")
    schema_editor.execute("DROP INDEX IF EXISTS catalog_listing_trgm")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in PG_BACKWARD:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'catalog_listing' "
            "AND indexname LIKE %s",
            [search_indexes.PREFIX + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    atomic = False  # as 0006: index builds after a fill; every step is idempotent
    dependencies = [("catalog", "0006_listing_search_vector"), ("markets", "0002_load_reference_markets")]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[("word", models.CharField(max_length=40, primary_key=True, serialize=False))],
        ),
        migrations.RunPython(forward, backward),
    ]
