"""Write generated rows fast: PostgreSQL `COPY` through psycopg 3, SQLite `executemany`.

Used by `generate_kb`. Rows bypass model `save()` (and so history rows), which is why the
generator computes everything `save()` would (hashes, prefixes, aliases) itself.

On PostgreSQL the load runs like a restore: `synchronous_commit` off for the transaction, the
foreign keys, unique constraints and secondary indexes of the tables it fills are dropped first
and rebuilt once at the end (a single validating pass each instead of one deferred trigger event
and one index insertion per row). The full-text search triggers (migration 0004) are disabled
too, and every claim's `search_document` is computed by one set-based UPDATE with the same
expression. It all happens in the one transaction, so a failure leaves the schema, the triggers
and the data as they were; a duplicate or a dangling reference fails the rebuild.
"""

import logging
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import OperationalError, connection, transaction
from taggit.models import Tag, TaggedItem

from claims.generation import COLUMNS, WITH_IDS, Generator
from claims.models import (
    Actor,
    ActorAlias,
    Claim,
    Event,
    EventParticipant,
    Evidence,
    Passage,
    Source,
)

MODELS = {
    "actor": Actor,
    "alias": ActorAlias,
    "event": Event,
    "participant": EventParticipant,
    "tag": Tag,
    "source": Source,
    "passage": Passage,
    "claim": Claim,
    "claim_subject": Claim.subjects.through,
    "evidence": Evidence,
    "evidence_actor": Evidence.actors.through,
    "tagged_item": TaggedItem,
}

logger = logging.getLogger(__name__)


LOAD_ORDER = (
    "source",
    "passage",
    "claim",
    "claim_subject",
    "evidence",
    "evidence_actor",
    "tagged_item",
)

# The triggers of migration 0004 recompute one claim's search document per claim row and per
# evidence statement; a bulk load computes them all at once instead (SEARCH_DOCUMENTS).
SEARCH_TRIGGERS = (
    ("claims_claim", "claims_claim_search"),
    ("claims_evidence", "claims_evidence_search_insert"),
)

# The same expression as claims_search_document() in migration 0004, for all claims in one pass.
SEARCH_DOCUMENTS = """
UPDATE claims_claim c
SET search_document = to_tsvector('english', coalesce(c.statement, ''))
    || to_tsvector('english', coalesce(q.quotes, ''))
FROM claims_claim c2 LEFT JOIN (
    SELECT e.claim_id, string_agg(p.text, ' ' ORDER BY p.id) AS quotes
    FROM claims_evidence e JOIN claims_passage p ON p.id = e.passage_id
    GROUP BY e.claim_id
) q ON q.claim_id = c2.id
WHERE c2.id = c.id
"""


class NotEmpty(Exception):
    pass


def existing_rows():
    """Counts of the domain rows already present (generation needs an empty knowledge base)."""
    models = (Source, Actor, Event, Claim, Tag)
    return {m._meta.verbose_name_plural: m.objects.count() for m in models if m.objects.exists()}


def _first_ids():
    first = {}
    for table in WITH_IDS:
        model = MODELS[table]
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        first[table] = (last or 0) + 1
    return first


def write_rows(table, rows):
    if not rows:
        return
    name = connection.ops.quote_name(MODELS[table]._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS[table])
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(COLUMNS[table]))
        raw.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", rows)


def generate_kb(claims, seed=1, progress=None):
    """Fill an empty knowledge base with `claims` generated claims, in one transaction.

    Rows are written in the order they are generated: one chunk of sources at a time, so memory
    stays flat at any size. Returns a dict of row counts per table. Raises NotEmpty when
    domain rows already exist.
    """
    present = existing_rows()
    if present:
        raise NotEmpty(", ".join(f"{n} {name}" for name, n in present.items()))
    counts = dict.fromkeys(COLUMNS, 0)
    with transaction.atomic(), _load_session():
        generator = Generator(
            claims,
            seed=seed,
            first_ids=_first_ids(),
            content_type_id=ContentType.objects.get_for_model(Claim).pk,
        )
        for table, rows in generator.people_tables().items():
            write_rows(table, rows)
            counts[table] += len(rows)
        for rows in generator.chunks():
            for table in LOAD_ORDER:
                if table in rows:
                    write_rows(table, rows[table])
                    counts[table] += len(rows[table])
            if progress:
                progress(counts)
        _reset_sequences()
    return counts


def _tables():
    return [MODELS[table]._meta.db_table for table in COLUMNS]


@contextmanager
def _load_session():
    """PostgreSQL: defer constraint and index work to one pass at the end (see the top)."""
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        deferred = _deferrable_schema(cursor, _tables())
        for _, _, drop, _ in deferred:
            cursor.execute(drop)
        for table, trigger in SEARCH_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_DOCUMENTS)
        for table, trigger in SEARCH_TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
        for _, _, _, create in reversed(deferred):
            cursor.execute(create)


def _deferrable_schema(cursor, tables):
    """(table, kind, drop, create) in drop order: foreign keys f, unique constraints u, indexes i.

    Primary keys and check constraints stay (cheap per row), and so does a unique constraint
    that some foreign key relies on.
    """
    quote = connection.ops.quote_name
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),
               (SELECT relname FROM pg_class WHERE oid = c.conrelid), c.contype
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[])
          AND c.contype IN ('f', 'u')
          AND NOT (c.contype = 'u' AND EXISTS (
              SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
        ORDER BY c.contype DESC, c.conrelid::regclass::text, c.conname
        """,
        [tables],
    )
    statements = [
        (
            relname,
            kind,
            f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}",
            f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}",
        )
        for table, name, definition, relname, kind in cursor.fetchall()
    ]
    cursor.execute(
        """
        SELECT (SELECT relname FROM pg_class WHERE oid = i.indrelid),
               i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c
              WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY 2
        """,
        [tables],
    )
    statements += [
        (relname, "i", f"DROP INDEX {name}", definition)
        for relname, name, definition in cursor.fetchall()
    ]
    return statements


def analyze():
    """Refresh the planner's statistics after a bulk load. SQLite needs them too: without them
    it drove the home page's "sources with a published claim" query from the claims side, 20 s
    at 10,000 claims instead of a few milliseconds.

    On PostgreSQL the claims table also gets a VACUUM (outside a transaction only), which sets
    the visibility map autovacuum would set later: until then index-only scans visit the
    table, and counting the claim list's first 10,000 rows took 5–30 ms instead of 2 ms at
    100,000 claims. Only that table, to keep a million-claim load within its time.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Claim._meta.db_table)}")
        cursor.execute("ANALYZE")


def refresh_statistics():
    """After writes that may have grown the tables a lot (an ingest run): SQLite's own advice,
    `PRAGMA optimize`, analyzes the tables that need it; PostgreSQL's autovacuum does this.

    It runs in its own (IMMEDIATE) transaction: in autocommit it would start as a reader and
    fail at once with "database is locked" when another process had written meanwhile, since
    a WAL reader cannot upgrade past a newer commit, and the busy timeout does not apply to
    that. The statistics are only a hint to the planner, so if the lock still cannot be had
    the run's stored work stands and the next run refreshes them.
    """
    if connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
    except OperationalError as error:
        logger.warning("Planner statistics not refreshed: %s", error)


def _reset_sequences():
    models = {m for m in MODELS.values()}
    statements = connection.ops.sequence_reset_sql(no_style(), sorted(models, key=str))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
