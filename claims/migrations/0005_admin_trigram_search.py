"""Trigram indexes for the admin's searches and autocompletes (PostgreSQL only).

The admin searches with `icontains`, which Django writes on PostgreSQL as
`UPPER(column::text) LIKE UPPER('%term%')`; a GIN index on `UPPER(column) gin_trgm_ops` answers
exactly that expression, so the claim search and the actor/event/source/passage autocompletes
use an index instead of scanning. SQLite has no trigram indexes: it migrates as a no-op.
"""

from django.db import migrations

INDEXES = [
    ("claim_statement_trgm", "claims_claim", "statement"),
    ("actor_name_trgm", "claims_actor", "name"),
    ("actoralias_name_trgm", "claims_actoralias", "name"),
    ("event_title_trgm", "claims_event", "title"),
    ("source_title_trgm", "claims_source", "title"),
    ("passage_text_trgm", "claims_passage", "text"),
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_reader_search")]

    operations = [migrations.RunPython(forward, backward)]
