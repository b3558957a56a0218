"""Claims as CSV and JSON Lines: one implementation behind `/claims/export.csv`,
`/claims/export.jsonl`, `export_claims` and the admin's "Export selected claims as CSV".

Rows are streamed: memory stays flat whatever the number of claims.

- One SQL query builds every row: lists joined with "; " in code-point order, dates and
  timestamps formatted, the claim's first supporting passage joined once, every supporting and
  disputing passage joined with " | " (one subquery each). The filtered
  queryset (from `claims.filters.filter_claims` or the admin) supplies the FROM/WHERE/ORDER BY.
- PostgreSQL: the query runs as `COPY (query) TO STDOUT WITH (FORMAT csv)` through psycopg 3,
  with formula neutralization and the empty-cell rule done in SQL, and the bytes go straight
  out. Every other database (SQLite): a cursor read in chunks, neutralization in Python, the
  `csv` module. Both give the same bytes (tested on PostgreSQL).

CSV format: UTF-8 (optionally with a BOM), a header row, RFC 4180 quoting (a cell holding a
comma, a double quote, CR or LF is quoted, quotes doubled), rows ending in LF as PostgreSQL's
COPY writes them. A text cell that starts with a character in FORMULA_START gets a leading `'`
so a spreadsheet shows it as text instead of running it (OWASP CSV injection).
"""

import csv
import datetime
import io
import json
import re
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.http import StreamingHttpResponse
from django.urls import reverse

from claims.models import Claim, Evidence

COLUMNS = (
    "id",
    "url",
    "statement",
    "kind",
    "status",
    "claimant",
    "subjects",
    "event",
    "event_date",
    "tags",
    "disputed",
    "disputed_by",
    "supporting_sources",
    "source_title",
    "source_url",
    "quote",
    "quote_start",
    "quote_end",
    "created_at",
    "updated_at",
    # Appended after the stable columns above (never inserted among them: scripts read by
    # position). speaker: the claimant, or the source speaking in its own voice.
    "speaker",
    "supporting_quotes",
    "disputing_quotes",
    "source_publisher",
    "source_published",
)
# The quote lists are for people: scripts get every passage, with offsets, from JSON Lines.
QUOTE_LISTS = ("supporting_quotes", "disputing_quotes")
QUOTE_SEPARATOR = " | "
OWN_VOICE = " (the source's own voice)"
# Cells that hold text from articles or analysts, and so may start like a formula.
NEUTRALIZED = (
    "statement",
    "claimant",
    "subjects",
    "event",
    "tags",
    "disputed_by",
    "source_title",
    "source_url",
    "quote",
    "speaker",
    "supporting_quotes",
    "disputing_quotes",
    "source_publisher",
)
_IN_SUBQUERY = ("subjects", "tags", "disputed_by", *QUOTE_LISTS)  # neutralized inside it
# What a spreadsheet runs as a formula, or trims before reading one: `= + - @`, their fullwidth
# and small forms (read as the ASCII signs), tab, CR, LF and every other Unicode whitespace
# character (space, no-break space, ideographic space…: `str.isspace`, none past U+3000), and the
# zero-width characters a cell can hide a formula behind. Sorted: the SQL lists them in order.
FORMULA_START = "".join(
    sorted(
        set("=+-@＝＋－＠﹦﹢﹣﹫\u180e\u200b\u200c\u200d\u2060\ufeff")
        | {c for c in map(chr, range(0x3001)) if c.isspace()}
    )
)
BOM = "\ufeff".encode()
CHUNK_ROWS = 2000
FLUSH_BYTES = 64 * 1024
LIST_SEPARATOR = "; "

C = '"claims_claim"'  # the base table: the filtered queryset's SQL never aliases it


def neutralize(value):
    """The OWASP rule for one cell: a leading `'` when a spreadsheet would run it."""
    if value and value[0] in FORMULA_START:
        return "'" + value
    return value


# -- the row query -------------------------------------------------------------------------


def _sql_neutralized(expr, vendor):
    """`expr` with a leading `'` when it starts like a formula, and NULL for an empty cell
    (COPY writes NULL as nothing and '' as `""`; Python's csv writes both as nothing)."""
    first = f"left({expr}, 1)" if vendor == "postgresql" else f"substr({expr}, 1, 1)"
    chars = _sql_chars(vendor)
    return f"NULLIF(CASE WHEN {first} IN ({chars}) THEN '''' || {expr} ELSE {expr} END, '')"


def _sql_chars(vendor):
    """FORMULA_START in SQL: `chr(9), chr(10), …` (SQLite: `char(…)`), constants the planner
    folds once."""
    function = "chr" if vendor == "postgresql" else "char"
    return ", ".join(f"{function}({ord(c)})" for c in FORMULA_START)


def _joined(vendor, column, from_where, order, in_sql):
    """One list cell: `column` over the rows of `from_where`, joined with "; " in code-point
    order (PostgreSQL's "C" collation is SQLite's binary order), NULL when there are none.
    Neutralized inside the subquery, so it runs once per row."""
    if vendor == "postgresql":
        collated = ", ".join(f'{o} COLLATE "C"' for o in order)
        joined = f"string_agg({column}, '{LIST_SEPARATOR}' ORDER BY {collated})"
        if in_sql:
            joined = _sql_neutralized(joined, vendor)
        return f"(SELECT {joined} {from_where})"
    joined = f"group_concat(v, '{LIST_SEPARATOR}')"
    if in_sql:
        joined = _sql_neutralized(joined, vendor)
    return f"(SELECT {joined} FROM (SELECT {column} AS v {from_where} ORDER BY {', '.join(order)}))"


def _quotes(vendor, stance, in_sql):
    """Every `stance` passage of the claim, joined with QUOTE_SEPARATOR in the order of the
    first-quote columns (earliest evidence first); NULL when there are none."""
    evidence = (
        "FROM claims_evidence e JOIN claims_passage p ON p.id = e.passage_id "
        "JOIN claims_source s ON s.id = p.source_id "
        f"WHERE e.claim_id = {C}.id AND e.stance = '{stance}'"
    )
    if vendor == "postgresql":
        joined = (
            f"string_agg(p.text, '{QUOTE_SEPARATOR}' "
            'ORDER BY e.created_at, s.slug COLLATE "C", p.start, p."end", e.id)'
        )
        if in_sql:
            joined = _sql_neutralized(joined, vendor)
        return f"(SELECT {joined} {evidence})"
    joined = f"group_concat(v, '{QUOTE_SEPARATOR}')"
    if in_sql:
        joined = _sql_neutralized(joined, vendor)
    order = 'e.created_at, s.slug, p.start, p."end", e.id'
    return f"(SELECT {joined} FROM (SELECT p.text AS v {evidence} ORDER BY {order}))"


def _timestamp(vendor, expr):
    if vendor == "postgresql":
        return f"""to_char({expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC on SQLite.
    return f"(substr({expr}, 1, 10) || 'T' || substr({expr}, 12, 8) || 'Z')"


def _event_date(vendor):
    """ISO 8601 at the event's precision: "2024", "2024-06", "2024-06-19", "1950/1953"."""

    def day(expr):
        return f"to_char({expr}, 'YYYY-MM-DD')" if vendor == "postgresql" else expr

    length = "CASE x_event.date_precision WHEN 'year' THEN 4 WHEN 'month' THEN 7 ELSE 10 END"
    start = f"substr({day('x_event.start_date')}, 1, {length})"
    end = f"substr({day('x_event.end_date')}, 1, {length})"
    return (
        f"CASE WHEN x_event.start_date IS NULL THEN NULL ELSE {start} || "
        f"CASE WHEN x_event.end_date IS NULL OR {end} = {start} THEN '' ELSE '/' || {end} END END"
    )


def _select(vendor, content_type_id, *, lists=True, in_sql=False):
    """(select list, joins) for the export columns; `in_sql` neutralizes in SQL (COPY)."""
    subjects_table = Claim.subjects.through._meta.db_table
    stance_actors = Evidence.actors.through._meta.db_table
    pg = vendor == "postgresql"
    first = (
        "FROM claims_evidence e JOIN claims_passage p ON p.id = e.passage_id "
        "JOIN claims_source s ON s.id = p.source_id "
        f"WHERE e.claim_id = {C}.id AND e.stance = 'supports' "
        'ORDER BY e.created_at, s.slug, p.start, p."end" LIMIT 1'
    )
    if pg:
        joins = (
            f"LEFT JOIN claims_actor x_claimant ON x_claimant.id = {C}.claimant_id "
            f"LEFT JOIN claims_event x_event ON x_event.id = {C}.event_id "
            "LEFT JOIN LATERAL (SELECT s.title, s.url, s.publisher, s.published_on, p.text, "
            f'p.start, p."end" {first}) x_first ON TRUE'
        )
        first_cols = ("x_first.title", "x_first.url", "x_first.text")
        offsets = ("x_first.start", 'x_first."end"')
        publisher = "x_first.publisher"
        published = "to_char(x_first.published_on, 'YYYY-MM-DD')"
    else:
        joins = (
            f"LEFT JOIN claims_actor x_claimant ON x_claimant.id = {C}.claimant_id "
            f"LEFT JOIN claims_event x_event ON x_event.id = {C}.event_id "
            f"LEFT JOIN claims_evidence x_fe ON x_fe.id = (SELECT e.id {first}) "
            "LEFT JOIN claims_passage x_fp ON x_fp.id = x_fe.passage_id "
            "LEFT JOIN claims_source x_fs ON x_fs.id = x_fp.source_id"
        )
        first_cols = ("x_fs.title", "x_fs.url", "x_fp.text")
        offsets = ("x_fp.start", 'x_fp."end"')
        publisher = "x_fs.publisher"
        published = "CAST(x_fs.published_on AS TEXT)"  # stored as YYYY-MM-DD; text, not a date
    disputes = f"FROM claims_evidence d WHERE d.claim_id = {C}.id AND d.stance = 'disputes'"
    # A claim readers cannot see links to its admin page, not to a public URL that answers 404.
    url = (
        f"CASE WHEN {C}.status = 'published' THEN %s || {C}.slug || %s "
        f"ELSE %s || CAST({C}.id AS TEXT) || %s END"
    )
    own_voice = OWN_VOICE.replace("'", "''")
    columns = {
        "id": f"{C}.id",
        "url": url,
        "statement": f"{C}.statement",
        "kind": f"{C}.kind",
        "status": f"{C}.status",
        "claimant": "x_claimant.name",
        "subjects": _joined(
            vendor,
            "a.name",
            f"FROM {subjects_table} cs JOIN claims_actor a ON a.id = cs.actor_id "
            f"WHERE cs.claim_id = {C}.id",
            ("a.name", "a.slug"),
            in_sql,
        ),
        "event": "x_event.title",
        "event_date": _event_date(vendor),
        "tags": _joined(
            vendor,
            "t.name",
            "FROM taggit_taggeditem ti JOIN taggit_tag t ON t.id = ti.tag_id "
            f"WHERE ti.content_type_id = {int(content_type_id)} AND ti.object_id = {C}.id",
            ("t.name",),
            in_sql,
        ),
        # Not EXISTS: PostgreSQL would hash every disputing evidence row before the first row.
        "disputed": f"CASE WHEN (SELECT 1 {disputes} LIMIT 1) IS NULL THEN 'no' ELSE 'yes' END",
        "disputed_by": _joined(
            vendor,
            "n",
            f"FROM (SELECT DISTINCT a.name AS n FROM claims_evidence d "
            f"JOIN {stance_actors} da ON da.evidence_id = d.id "
            f"JOIN claims_actor a ON a.id = da.actor_id "
            f"WHERE d.claim_id = {C}.id AND d.stance = 'disputes') x_names",
            ("n",),
            in_sql,
        ),
        "supporting_sources": (
            "(SELECT count(DISTINCT p.source_id) FROM claims_evidence e "
            "JOIN claims_passage p ON p.id = e.passage_id "
            f"WHERE e.claim_id = {C}.id AND e.stance = 'supports')"
        ),
        "source_title": first_cols[0],
        "source_url": first_cols[1],
        "quote": first_cols[2],
        "quote_start": offsets[0],
        "quote_end": offsets[1],
        "created_at": _timestamp(vendor, f"{C}.created_at"),
        "updated_at": _timestamp(vendor, f"{C}.updated_at"),
        "speaker": (
            f"CASE WHEN x_claimant.name IS NOT NULL THEN x_claimant.name "
            f"WHEN {first_cols[0]} IS NOT NULL "
            f"THEN COALESCE(NULLIF({publisher}, ''), {first_cols[0]}) || '{own_voice}' END"
        ),
        "supporting_quotes": _quotes(vendor, "supports", in_sql),
        "disputing_quotes": _quotes(vendor, "disputes", in_sql),
        "source_publisher": publisher,
        "source_published": published,
    }
    if not lists:
        for name in ("subjects", "tags", "disputed_by", *QUOTE_LISTS):
            columns[name] = "NULL"
    if in_sql:
        for name in NEUTRALIZED:
            if name not in _IN_SUBQUERY:
                columns[name] = _sql_neutralized(columns[name], vendor)
    select = ", ".join(f'{sql} AS "{name}"' for name, sql in columns.items())
    return select, joins


def row_query(queryset, *, base_url="", lists=True, in_sql=False):
    """(sql, params) of the export rows of `queryset`, in its order, or None when empty.

    `queryset` keeps its filters, joins and ordering; only its SELECT list is replaced.
    """
    connection = connections[queryset.db]
    if queryset.query.distinct or queryset.query.is_sliced:
        # e.g. an admin changelist searching across many-to-many fields: keep its rows only.
        ordering = queryset.query.order_by or Claim._meta.ordering
        ids = queryset.order_by().values("pk")
        queryset = Claim.objects.using(queryset.db).filter(pk__in=ids).order_by(*ordering)
    try:
        sql, params = queryset.values_list("id").query.sql_with_params()
    except EmptyResultSet:
        return None
    head = re.match(rf'SELECT {C}\."id"(?: AS "\w+")? FROM {C}', sql)
    if not head:  # a queryset this module does not know how to rewrite
        raise ValueError(f"Cannot export this queryset: {sql[:80]}…")
    content_type_id = ContentType.objects.get_for_model(Claim).pk
    select, joins = _select(connection.vendor, content_type_id, lists=lists, in_sql=in_sql)
    marker = "--SLUG--"
    base = base_url.rstrip("/")
    before, after = reverse("claims:claim_detail", args=[marker]).split(marker)
    admin_before, admin_after = reverse("admin:claims_claim_change", args=[0]).split("/0/", 1)
    url_params = (base + before, after, base + admin_before + "/", "/" + admin_after)
    sql = f"SELECT {select} FROM {C} {joins}{sql[head.end() :]}"
    return sql, (*url_params, *params)


# -- CSV -----------------------------------------------------------------------------------

_NEUTRALIZED_INDEXES = tuple(COLUMNS.index(name) for name in NEUTRALIZED)
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _quoted_line(row):
    """One CSV line the way PostgreSQL's COPY writes it: for the rare cell with a bare CR,
    which Python 3.11's csv writer would leave unquoted when rows end in LF."""
    cells = []
    for value in row:
        text = "" if value is None else str(value)
        if _NEEDS_QUOTES.search(text):
            text = '"' + text.replace('"', '""') + '"'
        cells.append(text)
    return ",".join(cells) + "\n"


# For the export only. JIT compilation of this many-subquery statement costs seconds before the
# first row (its estimated cost grows with the rows), and the rows are cheap. COPY plans for
# total time, which at 1,000,000 claims means sorting every row before the first one goes out
# (0.7 s); walking the ordering index instead streams at once, and the total is the same (the
# per-row subqueries dominate it). Where no index gives the order, it still sorts.
STREAMING_SETTINGS = {"jit": "off", "enable_sort": "off"}


@contextmanager
def _streaming_plan(connection):
    """Apply STREAMING_SETTINGS inside the export's transaction, then put back what was there
    (SET LOCAL alone would outlast a savepoint, when the export runs in a larger transaction)."""
    names = list(STREAMING_SETTINGS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
        previous = dict(zip(names, cursor.fetchone(), strict=True))
        for name, value in STREAMING_SETTINGS.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    with connection.cursor() as cursor:
        for name, value in previous.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _iter_chunks(queryset, sql, params):
    """Row tuples in chunks, streamed: a plain cursor on SQLite; on PostgreSQL a server-side
    cursor inside a transaction (outside one it would be WITH HOLD, materialized first)."""
    connection = connections[queryset.db]
    first = True
    if connection.vendor == "postgresql":
        with (
            transaction.atomic(using=queryset.db),
            _streaming_plan(connection),
            connection.chunked_cursor() as cursor,
        ):
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(100 if first else CHUNK_ROWS):
                first = False
                yield rows
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(100 if first else CHUNK_ROWS):
            first = False
            yield rows


def python_csv_chunks(queryset, base_url="", bom=False):
    """The CSV as byte chunks through a cursor and the csv module (any database)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    head = (BOM if bom else b"") + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    query = row_query(queryset, base_url=base_url)
    if query is None:
        yield head
        return
    for rows in _iter_chunks(queryset, *query):
        for row in rows:
            row = list(row)
            plain = True
            for i in _NEUTRALIZED_INDEXES:
                value = row[i]
                if value:
                    if value[0] in FORMULA_START:
                        value = row[i] = "'" + value
                    if "\r" in value:
                        plain = False
            if plain:
                writer.writerow(row)
            else:
                buffer.write(_quoted_line(row))
        yield head + buffer.getvalue().encode()
        head = b""
        buffer.seek(0)
        buffer.truncate()
    if head:
        yield head


def copy_csv_chunks(queryset, base_url="", bom=False):
    """The CSV as byte chunks straight from PostgreSQL's COPY (no Python per cell)."""
    head = (BOM if bom else b"") + (",".join(COLUMNS) + "\n").encode()
    query = row_query(queryset, base_url=base_url, in_sql=True)
    if query is None:
        yield head
        return
    sql, params = query
    connection = connections[queryset.db]
    connection.ensure_connection()
    pending = bytearray(head)
    first = True
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
    with (
        transaction.atomic(using=queryset.db),
        _streaming_plan(connection),
        connection.connection.cursor() as cursor,
        cursor.copy(copy_sql, params) as copy,
    ):
        for data in copy:
            pending += data
            if first or len(pending) >= FLUSH_BYTES:
                first = False
                yield bytes(pending)
                pending.clear()
    if pending:
        yield bytes(pending)


def csv_chunks(queryset, base_url="", bom=False):
    """The CSV export of `queryset` as byte chunks, by the fastest path for its database."""
    if connections[queryset.db].vendor == "postgresql":
        return copy_csv_chunks(queryset, base_url=base_url, bom=bom)
    return python_csv_chunks(queryset, base_url=base_url, bom=bom)


def dated_filename(stem, extension):
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "claims"
    return f"{stem}-{datetime.date.today().isoformat()}.{extension}"


def claims_csv_response(queryset, filename_stem="claims", bom=False, *, base_url=""):
    """A streamed CSV download of `queryset` (shared by the public view and the admin action).

    `base_url` ("https://example.org") makes the `url` column absolute; without it, site-relative.
    """
    response = StreamingHttpResponse(
        csv_chunks(queryset, base_url=base_url, bom=bom), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{dated_filename(filename_stem, "csv")}"'
    )
    return response


# -- JSON Lines ----------------------------------------------------------------------------


def _split_lists(queryset, ids):
    """Subjects, tags and evidence of the claims `ids`: four queries for the whole chunk."""
    from taggit.models import TaggedItem

    subjects, tags, evidence, stance_actors = {}, {}, {}, {}
    for claim_id, name, slug in (
        Claim.subjects.through.objects.using(queryset.db)
        .filter(claim_id__in=ids)
        .values_list("claim_id", "actor__name", "actor__slug")
    ):
        subjects.setdefault(claim_id, []).append((name, slug))
    content_type = ContentType.objects.get_for_model(Claim)
    for object_id, name in (
        TaggedItem.objects.using(queryset.db)
        .filter(content_type=content_type, object_id__in=ids)
        .values_list("object_id", "tag__name")
    ):
        tags.setdefault(object_id, []).append(name)
    for evidence_id, name in (
        Evidence.actors.through.objects.using(queryset.db)
        .filter(evidence__claim_id__in=ids)
        .values_list("evidence_id", "actor__name")
    ):
        stance_actors.setdefault(evidence_id, []).append(name)
    rows = (
        Evidence.objects.using(queryset.db)
        .filter(claim_id__in=ids)
        .order_by()
        .values_list(
            "pk",
            "claim_id",
            "stance",
            "created_at",
            "passage__source__slug",
            "passage__source__title",
            "passage__source__url",
            "passage__start",
            "passage__end",
            "passage__text",
            "note",
        )
    )
    for pk, claim_id, stance, created, slug, title, url, start, end, text, note in rows:
        item = {
            "stance": stance,
            "source": slug,
            "source_title": title,
            "source_url": url,
            "quote": text,
            "start": start,
            "end": end,
            "actors": sorted(stance_actors.get(pk, [])),
            "note": note,
        }
        evidence.setdefault(claim_id, []).append(((created, slug, start, end), item))
    return subjects, tags, evidence


def jsonl_chunks(queryset, base_url=""):
    """The JSON Lines export as byte chunks: one object per claim, lists as arrays, and every
    evidence passage with its offsets and stance. Text is not neutralized: this is for scripts."""
    query = row_query(queryset, base_url=base_url, lists=False)
    if query is None:
        return
    index = {name: i for i, name in enumerate(COLUMNS)}
    for rows in _iter_chunks(queryset, *query):
        ids = [row[0] for row in rows]
        subjects, tags, evidence = _split_lists(queryset, ids)
        out = []
        for row in rows:
            item = {name: row[index[name]] for name in COLUMNS if name not in QUOTE_LISTS}
            item["subjects"] = [n for n, _ in sorted(subjects.get(row[0], []))]
            item["tags"] = sorted(tags.get(row[0], []))
            found = [e for _, e in sorted(evidence.get(row[0], []), key=lambda pair: pair[0])]
            item["disputed"] = item["disputed"] == "yes"
            item["disputed_by"] = sorted(
                {a for e in found if e["stance"] == Evidence.Stance.DISPUTES for a in e["actors"]}
            )
            for name in (
                "claimant",
                "event",
                "event_date",
                "source_title",
                "source_url",
                "quote",
                "speaker",
                "source_publisher",
                "source_published",
            ):
                item[name] = item[name] or ""
            item["evidence"] = found
            out.append(json.dumps(item, ensure_ascii=False) + "\n")
        yield "".join(out).encode()


def claims_jsonl_response(queryset, filename_stem="claims", *, base_url=""):
    response = StreamingHttpResponse(
        jsonl_chunks(queryset, base_url=base_url), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{dated_filename(filename_stem, "jsonl")}"'
    )
    return response
