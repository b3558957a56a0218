"""The ingest command: files in, sources with passages and draft claims out; bad input refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Actor, ActorAlias, Claim, Event, Evidence, Passage, Source

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Talks in Hanoi\n"
    "Foreign Minister Sergei Lavrov said on Monday that the talks in Hanoi were friendly. "
    "Critics may doubt that.\n"
    "The U.S. embassy declined to comment. Mr. Smith left early.\n"
)


def counts():
    return {m.__name__: m.objects.count() for m in (Source, Passage, Claim, Actor, Evidence)}


def ingest(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def ingest_failing(*paths, **options):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("ingest", *map(str, paths), stdout=out, stderr=err, **options)
    return err.getvalue(), str(failed.value)


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_article_becomes_source_with_exact_passages_and_draft_claims(tmp_path):
    out, _ = ingest(write(tmp_path, "talks.txt", ARTICLE))
    source = Source.objects.get()
    assert source.title == "Talks in Hanoi" and source.origin == "talks.txt"
    assert "1 added" in out
    for passage in source.passages.all():
        assert passage.text == source.text[passage.start : passage.end]
    assert source.passages.filter(kind=Passage.Kind.SENTENCE).count() == 4
    claims = Claim.objects.all()
    assert claims and all(c.status == Claim.Status.DRAFT and c.extraction_rule for c in claims)
    assert not Claim.objects.published().exists()


def test_ingested_source_history_starts_with_its_creation(tmp_path):
    ingest(write(tmp_path, "talks.txt", ARTICLE))
    source = Source.objects.get()
    (created,) = source.history.all()
    assert created.history_type == "+" and created.history_user is None
    assert (created.title, created.slug, created.content_hash, created.created_at) == (
        source.title,
        source.slug,
        source.content_hash,
        source.created_at,
    )


def test_articles_with_the_same_title_get_distinct_source_slugs(tmp_path):
    ingest(write(tmp_path, "a.txt", "Morning briefing\nThe talks went on."))
    ingest(write(tmp_path, "b.txt", "Morning briefing\nThe talks broke down."))
    slugs = list(Source.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs == ["morning-briefing", "morning-briefing-2"]


def test_new_names_become_unreviewed_candidate_actors(tmp_path):
    ingest(write(tmp_path, "talks.txt", ARTICLE))
    lavrov = Actor.objects.get(name="Sergei Lavrov")
    assert not lavrov.reviewed and lavrov.extraction_rule == "titled"
    claim = Claim.objects.get(statement__startswith="Foreign Minister Sergei Lavrov said")
    assert claim.claimant == lavrov and claim.kind == Claim.Kind.ATTRIBUTED


def test_reingesting_the_same_article_is_a_noop_that_says_so(tmp_path):
    path = write(tmp_path, "talks.txt", ARTICLE)
    ingest(path)
    before = counts()
    out, _ = ingest(path)
    assert "already ingested" in out and "0 added, 1 already ingested" in out
    assert counts() == before


def test_same_text_with_bom_and_windows_newlines_is_the_same_article(tmp_path):
    ingest(write(tmp_path, "a.txt", ARTICLE))
    out, _ = ingest(write(tmp_path, "b.txt", "\ufeff" + ARTICLE.replace("\n", "\r\n")))
    assert "already ingested" in out and Source.objects.count() == 1


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("photo.txt", bytes(range(256)) * 20, "binary file"),
        ("nul.txt", b"Some words here.\x00More words.", "NUL bytes"),
        ("latin.txt", b"Caf\x81 \x9d and more", "neither UTF-8 nor Windows-1252"),
        ("utf16.txt", "Hello".encode("utf-16"), "UTF-16"),
        ("bad-date.md", b"---\npublished: last week\n---\nText here.", "not a date"),
        ("typo.md", b"---\ntitel: Oops\n---\nText here.", "front matter line"),
        ("notes.pdf", b"%PDF-1.4", "not an article file"),
        ("bad-url.md", b"---\nurl: not a url\n---\nSome text.", "url: Enter a valid URL"),
    ],
)
def test_bad_input_gets_one_line_reason_and_changes_nothing(tmp_path, name, data, reason):
    good = write(tmp_path, "good.txt", ARTICLE)
    bad = write(tmp_path, name, data)
    err, summary = ingest_failing(bad, good)
    line = next(line for line in err.splitlines() if line.startswith(str(bad)))
    assert reason in line and "Traceback" not in err
    assert "1 added" in summary and "1 failed" in summary
    assert Source.objects.get().origin == "good.txt"  # the good one still went in


def test_unreadable_path_is_reported(tmp_path):
    err, summary = ingest_failing(tmp_path / "missing.txt")
    assert "cannot read the file (No such file or directory)" in err
    assert Source.objects.count() == 0


def test_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 1000
    err, _ = ingest_failing(write(tmp_path, "huge.txt", "Words and more words. " * 100))
    assert "over the 1,000 bytes limit" in err
    assert Source.objects.count() == 0


def test_windows_1252_file_is_read_and_reported_or_refused_when_strict(tmp_path):
    path = write(
        tmp_path,
        "cp.txt",
        "Caf\u00e9 owners said the prices rose \u201csharply\u201d.".encode("cp1252"),
    )
    err, _ = ingest_failing(path, strict_encoding=True)
    assert "not UTF-8" in err and Source.objects.count() == 0
    out, _ = ingest(path)
    assert "read as Windows-1252" in out
    assert Source.objects.get().text == "Caf\u00e9 owners said the prices rose \u201csharply\u201d."


def test_front_matter_and_options_set_the_metadata(tmp_path):
    path = write(
        tmp_path,
        "a.md",
        "---\ntitle: From the file\npublisher: Daily\npublished: 2024-06-19\n---\n# Heading\n"
        + ARTICLE,
    )
    ingest(path, url="https://example.com/a")
    source = Source.objects.get()
    assert (source.title, source.publisher, str(source.published_on)) == (
        "From the file",
        "Daily",
        "2024-06-19",
    )
    assert source.url == "https://example.com/a"
    assert source.text.startswith("Heading\nTalks in Hanoi")


def test_html_keeps_paragraphs_and_drops_scripts_and_styles(tmp_path):
    html = (
        "<html><head><title>Summit &amp; talks</title><style>p{color:red}</style></head><body>"
        "<script>alert('x')</script><h1>Summit</h1><p>First   paragraph\nwith a line break.</p>"
        "<p>Second <b>bold</b> paragraph.</p><noscript>enable js</noscript></body></html>"
    )
    ingest(write(tmp_path, "page.html", html))
    source = Source.objects.get()
    assert source.title == "Summit & talks"
    assert source.text == "Summit\nFirst paragraph with a line break.\nSecond bold paragraph."
    assert "alert" not in source.text and "color" not in source.text


def test_folder_ingests_article_files_inside_it(tmp_path):
    write(tmp_path, "one.txt", ARTICLE)
    write(tmp_path, "two.md", "Second article\nPresident Joe Biden said the talks were over.")
    write(tmp_path, "skip.csv", "a,b")
    out, _ = ingest(tmp_path)
    assert "2 file(s): 2 added" in out and Source.objects.count() == 2


def test_dry_run_writes_nothing(tmp_path):
    out, _ = ingest(write(tmp_path, "talks.txt", ARTICLE), dry_run=True)
    assert out.startswith(str(tmp_path)) and "Dry run" in out
    assert counts() == dict.fromkeys(counts(), 0)
    assert not ActorAlias.objects.exists() and not Event.objects.exists()


def test_claims_repeated_in_a_later_article_get_their_own_slugs(tmp_path):
    sentences = [f"President Joe Biden said that talks number {n} went well." for n in range(70)]
    ingest(write(tmp_path, "first.txt", "First dispatch\n" + " ".join(sentences)))
    ingest(write(tmp_path, "second.txt", "Second dispatch\n" + " ".join(sentences)))
    first, second = Source.objects.order_by("pk")
    readable = set(
        Claim.objects.filter(evidence__passage__source=first).values_list("slug", flat=True)
    )
    again = set(
        Claim.objects.filter(evidence__passage__source=second).values_list("slug", flat=True)
    )
    assert len(readable) == len(again) == 70  # more than one lookup's worth of slugs
    assert "president-joe-biden-said-that-talks-number-69-went-well" in readable
    assert not readable & again
    assert all(f"-s{second.pk}-" in slug for slug in again)


def test_article_the_database_refuses_fails_alone_and_leaves_nothing(tmp_path, monkeypatch):
    from claims.ingest import writer

    ingest(write(tmp_path, "first.txt", ARTICLE))
    taken = Claim.objects.values_list("slug", flat=True).first()
    before = counts()
    # Every claim of the next article gets a slug already taken: the unique index refuses it.
    monkeypatch.setattr(writer, "claim_slugs", lambda source, statements: [taken] * len(statements))
    clash = write(tmp_path, "clash.txt", "Another dispatch\n" + ARTICLE.split("\n", 1)[1])
    later = write(tmp_path, "later.txt", "Quiet day\nNothing was said about anything today.\n")
    err, summary = ingest_failing(clash, later)
    assert "clash.txt: the database refused it:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "2 file(s): 1 added, 0 already ingested, 1 failed." in summary
    assert counts()["Source"] == before["Source"] + 1
    assert not Source.objects.filter(origin="clash.txt").exists()
    assert counts()["Claim"] == before["Claim"]  # the later article proposes no claim


class Terminal(StringIO):
    def isatty(self):
        return True


def test_progress_bar_shows_counts_on_a_terminal_and_stays_quiet_when_piped(tmp_path):
    for n in range(6):
        write(
            tmp_path,
            f"a{n}.txt",
            f"Article {n}\nPresident Joe Biden said talks number {n} went well.",
        )
    terminal = Terminal()
    call_command("ingest", str(tmp_path), stdout=terminal, stderr=StringIO())
    assert "6/6 files, 0 failed" in terminal.getvalue() and "/s" in terminal.getvalue()
    piped, _ = ingest(tmp_path)
    assert "files, 0 failed" not in piped and "6 already ingested" in piped


def test_ingest_leaves_sqlite_planner_statistics_for_the_tables_it_filled(tmp_path):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics")
    ingest(write(tmp_path, "talks.txt", ARTICLE))
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analyzed = {row[0] for row in cursor.fetchall()}
    assert {"claims_passage", "claims_claim"} <= analyzed
