"""Multi-row INSERTs without model instances: the hot path of ingest.

An article writes a few hundred passages, claims and evidence rows; building a model instance
and compiling an ORM insert per row cost more than the database work itself. `insert_rows`
takes plain tuples for the columns given, fills every other column with the field's default
(the current time for `auto_now`/`auto_now_add`), and returns the new ids in row order
(`INSERT … RETURNING`, on PostgreSQL and SQLite alike). No signals, no history rows: callers use
it only for rows whose creation is recorded on the row itself. `insert_with_history` writes one
new object and the first row of its history (the ingested source: who added it, when).
"""

import functools

from django.db import connection
from django.utils import timezone

MAX_ROWS = 500  # per statement


def _defaults(model, columns, now):
    """(column, value) for the concrete columns not given, ready for the database."""
    filled = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in columns or field.column in columns:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        filled.append((field.column, field.get_db_prep_save(value, connection)))
    return filled


def _batch_size(width):
    limit = connection.features.max_query_params or 65535
    if connection.vendor == "sqlite":
        import sqlite3

        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(MAX_ROWS, limit // width))


def insert_rows(model, columns, rows, *, returning=True):
    """Insert `rows` (tuples in `columns` order, db-ready values). Returns the new ids or []."""
    if not rows:
        return []
    connection.ensure_connection()
    defaults = _defaults(model, columns, timezone.now())
    names = [*columns, *(c for c, _ in defaults)]
    extra = tuple(v for _, v in defaults)
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(n) for n in names)}) VALUES "
    )
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    tail = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    size = _batch_size(len(names))
    ids = []
    with connection.cursor() as cursor:
        for first in range(0, len(rows), size):
            batch = rows[first : first + size]
            params = [value for row in batch for value in (*row, *extra)]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


@functools.cache
def _history_model(model):
    # The model's history manager is built anew on every attribute access: look it up once.
    return getattr(model, model._meta.simple_history_manager_attribute).model


def insert_with_history(instance, *, user=None):
    """INSERT a new, validated `instance` and the first row of its (simple_history) history.

    The two rows `save()` and simple_history's post_save signal write, without the ORM's insert
    machinery and the history manager simple_history builds per call: half a millisecond an
    article. `auto_now`/`auto_now_add` fields get the current time, in both rows. The model's
    own save() does not run: its rules (a slug, a hash) are the caller's. No signals either, so
    the public page cache is not bumped: use it for rows no public page shows yet (a source
    with draft claims only). Returns the stored object as if loaded from the database.
    """
    model, meta = type(instance), type(instance)._meta
    now = timezone.now()
    for field in meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            setattr(instance, field.attname, now)

    def prepared(fields, source):
        return tuple(f.get_db_prep_save(getattr(source, f.attname), connection) for f in fields)

    fields = [f for f in meta.concrete_fields if not f.primary_key]
    (pk,) = insert_rows(model, [f.column for f in fields], [prepared(fields, instance)])
    setattr(instance, meta.pk.attname, pk)
    history = _history_model(model)
    tracked = history.tracked_fields
    when = history._meta.get_field("history_date").get_db_prep_save(now, connection)
    insert_rows(
        history,
        (*(f.column for f in tracked), "history_date", "history_type", "history_user_id"),
        [(*prepared(tracked, instance), when, "+", user.pk if user is not None else None)],
        returning=False,
    )
    values = [getattr(instance, f.attname) for f in meta.concrete_fields]
    return model.from_db(connection.alias, [f.attname for f in meta.concrete_fields], values)
