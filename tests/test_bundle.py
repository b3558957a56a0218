import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from taggit.models import Tag

from claims.bundle import write_bundle
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
from tests.factories import add_evidence, make_actor, make_claim

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
MODELS = (Source, Passage, Actor, ActorAlias, Event, EventParticipant, Claim, Evidence, Tag)


@pytest.fixture
def kb(world):
    """The reader world plus the awkward parts: an author, an affiliation, hostile text."""
    author = get_user_model().objects.create_user("analyst1")
    world.claim.author = author
    world.claim.save()
    body = make_actor("Security Council", kind=Actor.Kind.GOVERNMENT_BODY)
    world.claimant.affiliation = body
    world.claimant.save()
    ActorAlias.objects.create(actor=world.subject, name="DPRK")
    hostile = make_claim(
        '=HYPERLINK("http://evil.example") <script>alert(1)</script>\nKim Jong-un — 金正恩',
        status=Claim.Status.WITHDRAWN,
    )
    hostile.tags.add("<b>tag</b>", "Ünïcode")
    add_evidence(hostile, world.second, note='a note, with "quotes"\nand lines')
    return world


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def export_bytes():
    out = io.BytesIO()
    write_bundle(out)
    return out.getvalue()


def claims_csv():
    out = io.StringIO()
    call_command("export_claims", stdout=out)
    return out.getvalue()


def wipe():
    Evidence.objects.all().delete()
    Claim.objects.all().delete()
    Passage.objects.all().delete()
    Source.objects.all().delete()
    Event.objects.all().delete()
    Actor.objects.all().delete()
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


def import_file(path, *args):
    out = io.StringIO()
    call_command("import_kb", str(path), *args, stdout=out)
    return out.getvalue()


def rewrite(lines):
    """A bundle from edited record lines, with a fresh checksum (so only the edit is wrong)."""
    digest = hashlib.sha256()
    for line in lines[:-1]:
        digest.update(line)
    end = json.loads(lines[-1])
    end["sha256"] = digest.hexdigest()
    return b"".join(lines[:-1]) + json.dumps(end).encode() + b"\n"


def test_round_trip_through_an_empty_database_is_byte_identical(kb, tmp_path):
    first, csv_before = export_bytes(), claims_csv()
    (tmp_path / "kb.jsonl").write_bytes(first)
    before = counts()
    wipe()
    assert Claim.objects.count() == 0
    get_user_model().objects.create_superuser("restorer")  # may publish; authored nothing
    import_file(tmp_path / "kb.jsonl", "--user", "restorer")
    assert counts() == before
    assert export_bytes() == first
    assert claims_csv() == csv_before
    restored = Claim.objects.get(pk=kb.claim.pk)
    assert restored.author.username == "analyst1"
    assert not restored.author.has_usable_password()
    assert Actor.objects.get(pk=kb.claimant.pk).affiliation.name == "Security Council"


def test_bundle_is_ordered_by_natural_keys_and_documents_itself(kb):
    lines = export_bytes().splitlines()
    assert json.loads(lines[0]) == {"format": "claim-kb-bundle", "version": 1}
    records = [json.loads(line) for line in lines[1:-1]]
    kinds = [r["type"] for r in records]
    assert kinds == sorted(kinds, key=["user", "tag", "source", "actor", "event", "claim"].index)
    for kind in ("tag", "source", "actor", "event", "claim"):
        slugs = [r["slug"] for r in records if r["type"] == kind]
        assert slugs == sorted(slugs)
    end = json.loads(lines[-1])
    assert end["type"] == "end" and end["counts"]["claim"] == Claim.objects.count()


def test_importing_twice_creates_nothing_new(kb, tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_bytes(export_bytes())
    before = counts()
    message = import_file(path)
    assert "created nothing" in message
    import_file(path)
    assert counts() == before


def test_import_into_a_populated_database_keeps_what_is_there(kb, tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_bytes(export_bytes())
    wipe()
    local = make_claim("A local claim.", slug=kb.claim.slug)
    from claims.sources import store_source

    clash, _ = store_source("Different text, same slug.", title="Summit report")
    assert clash.slug == kb.source_a.slug
    message = import_file(path)
    assert Claim.objects.get(slug=kb.claim.slug) == local  # kept, not overwritten
    assert Claim.objects.get(pk=local.pk).statement == "A local claim."
    assert Source.objects.filter(title="Summit report").count() == 2
    assert "Renamed" in message
    assert Claim.objects.filter(slug=kb.draft.slug).exists()


def _lines(kb):
    return export_bytes().splitlines(keepends=True)


def _claim_line(lines):
    return next(i for i, line in enumerate(lines) if b'"type":"claim"' in line)


BROKEN = {
    "truncated mid-line": lambda lines: b"".join(lines)[:-500],
    "truncated at a line end": lambda lines: b"".join(lines[:-1]),
    "malformed line": lambda lines: rewrite(lines[:2] + [b'{"type": "tag", "name":\n'] + lines[2:]),
    "wrong version": lambda lines: (
        b'{"format":"claim-kb-bundle","version":99}\n' + b"".join(lines[1:])
    ),
    "foreign file": lambda lines: b"id,url,statement\n1,/claims/x/,hello\n",
    "empty file": lambda lines: b"",
    "binary file": lambda lines: bytes(range(256)) * 4,
    "edited without checksum": lambda lines: b"".join(lines).replace(b"Weapons", b"Weapoms"),
    "NUL in a statement": lambda lines: rewrite(
        [line.replace(b"Weapons were", b"Weapons\\u0000were") for line in lines]
    ),
    "unknown actor reference": lambda lines: rewrite(
        [line.replace(b'"claimant":"officials"', b'"claimant":"nobody"') for line in lines]
    ),
    "unknown status": lambda lines: rewrite(
        [line.replace(b'"status":"draft"', b'"status":"secret"') for line in lines]
    ),
    "javascript: source URL": lambda lines: rewrite(
        [line.replace(b'"url":""', b'"url":"javascript:alert(1)"', 1) for line in lines]
    ),
    "passage outside its text": lambda lines: rewrite(
        [
            line.replace(b'"end":', b'"end":9', 1) if b'"type":"source"' in line else line
            for line in lines
        ]
    ),
}
REASONS = {
    "truncated mid-line": "truncated",
    "truncated at a line end": "truncated",
    "malformed line": "not valid JSON",
    "wrong version": "version 99",
    "foreign file": "not a knowledge-base bundle",
    "empty file": "not a knowledge-base bundle",
    "binary file": "not a knowledge-base bundle",
    "edited without checksum": "checksum",
    "NUL in a statement": "NUL",
    "unknown actor reference": "unknown actor",
    "unknown status": "unknown value",
    "passage outside its text": "outside the source text",
    "javascript: source URL": "http:// or https://",
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_or_foreign_bundle_is_refused_with_nothing_written(kb, tmp_path, case):
    path = tmp_path / "broken.jsonl"
    path.write_bytes(BROKEN[case](_lines(kb)))
    wipe()
    before = counts()
    with pytest.raises(CommandError, match=REASONS[case]) as error:
        import_file(path)
    assert "Nothing was imported" in str(error.value)
    assert counts() == before == dict.fromkeys(before, 0)


def test_clash_found_while_writing_rolls_everything_back(kb, tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_bytes(export_bytes())
    wipe()
    other = make_actor("Pyongyang", kind=Actor.Kind.STATE, slug="somewhere-else")
    ActorAlias.objects.create(actor=other, name="DPRK")
    before = counts()
    with pytest.raises(CommandError, match="DPRK"):
        import_file(path)
    assert counts() == before  # the sources written before the clash are gone too


def test_dry_run_checks_and_writes_nothing(kb, tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_bytes(export_bytes())
    wipe()
    out = io.StringIO()
    call_command("import_kb", str(path), "--dry-run", stdout=out)
    assert "valid bundle" in out.getvalue()
    assert Claim.objects.count() == 0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_file(tmp_path / "nope.jsonl")


def _run(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if args[0] == "migrate" else None,
    )


def test_restore_drill_into_a_fresh_database(kb, tmp_path):
    """The real thing: a new database, migrated from scratch, restored by the commands."""
    bundle, csv_before = tmp_path / "kb.jsonl", tmp_path / "before.csv"
    call_command("export_kb", str(bundle), verbosity=0)
    call_command("export_claims", "--output", str(csv_before), verbosity=0)
    if connection.vendor == "postgresql":
        server = settings.DATABASES["default"]
        name = f"{server['NAME']}_drill"
        base = f"postgres://{server['USER']}@{server['HOST']}:{server['PORT'] or 5432}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{base}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": url}
    try:
        _run(env, "migrate", "--verbosity", "0")
        _run(env, "create_analyst", "--username", "restorer", "--verbosity", "0")
        _run(env, "import_kb", str(bundle), "--user", "restorer", "--verbosity", "0")
        _run(env, "export_kb", str(tmp_path / "again.jsonl"), "--verbosity", "0")
        _run(env, "export_claims", "--output", str(tmp_path / "after.csv"), "--verbosity", "0")
    finally:
        if connection.vendor == "postgresql":
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert (tmp_path / "again.jsonl").read_bytes() == bundle.read_bytes()
    assert (tmp_path / "after.csv").read_bytes() == csv_before.read_bytes()
