"""The changes feed's table (claims/changes.py), and an index for the newest-published feeds.

On PostgreSQL each change row also records its transaction id (`txid`, default
`pg_current_xact_id()`), which orders the feed; it is not a model field, like the search column
of 0004: it is PostgreSQL-only and the ORM never writes it.
"""

import django.utils.timezone
from django.db import migrations, models


POSTGRES_FORWARD = """
ALTER TABLE claims_change
  ADD COLUMN IF NOT EXISTS txid bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX IF NOT EXISTS change_txid_id ON claims_change (txid, id);
"""
POSTGRES_BACKWARD = "DROP INDEX IF EXISTS change_txid_id; ALTER TABLE claims_change DROP COLUMN txid;"
# Raw SQL, not a model index: a partial index for the feeds of newest published claims.
PUBLISHED_INDEX = (
    "CREATE INDEX IF NOT EXISTS claim_published_at ON claims_claim (published_at DESC, id DESC) "
    "WHERE status = 'published'"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    schema_editor.execute(PUBLISHED_INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    schema_editor.execute("DROP INDEX IF EXISTS claim_published_at")


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0008_claim_extraction_confidence'),
    ]

    operations = [
        migrations.CreateModel(
            name='Change',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('claim', 'Claim'), ('actor', 'Actor'), ('event', 'Event'), ('source', 'Source'), ('passage', 'Passage'), ('evidence', 'Evidence')], max_length=10)),
                ('object_id', models.BigIntegerField()),
                ('change', models.CharField(choices=[('created', 'Created'), ('published', 'Published'), ('edited', 'Edited'), ('withdrawn', 'Withdrawn'), ('deleted', 'Deleted')], max_length=10)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['id'],
                'indexes': [models.Index(fields=['change', 'kind', '-id'], name='change_change_kind')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
