"""Run gold articles through the real ingest pipeline in a throwaway database, and read back
what it drafted.

Each article goes through the code `manage.py ingest` runs (`read_article` → `ingest_article`)
into a database that holds nothing else: a fresh SQLite file, migrated, in a child process
(`python -m claims.ingest.fresh_ingest`), so the database the command was started with is
never touched. There each article is ingested in a transaction that is rolled back once its
drafts are read: every article meets an empty database, and the order of articles is moot.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction

from claims.ingest.reading import read_article
from claims.ingest.scoring import DraftActor, DraftClaim, Drafts
from claims.ingest.writer import ingest_article, load_gazetteer
from claims.management.commands.ingest import FAILURES, failure_reason
from claims.models import Actor, Claim, Evidence
from claims.text import content_hash


class EvaluationError(RuntimeError):
    """The throwaway database could not be made or an article could not be ingested."""


def read_drafts(source):
    """The draft claims ingest wrote for `source` and every actor in the database."""
    actors = {}
    for actor in Actor.objects.prefetch_related("aliases").order_by("pk"):
        forms = frozenset(a.normalized for a in actor.aliases.all())
        actors[actor.pk] = DraftActor(actor.pk, actor.name, forms)
    spans = {}
    evidence = Evidence.objects.filter(passage__source=source).order_by("pk")
    for claim_id, stance, start, end in evidence.values_list(
        "claim_id", "stance", "passage__start", "passage__end"
    ):
        spans.setdefault((claim_id, stance), []).append((start, end))
    claims = Claim.objects.filter(pk__in={claim_id for claim_id, _ in spans}).order_by("pk")
    return Drafts(
        claims=tuple(
            DraftClaim(
                id=c.pk,
                statement=c.statement,
                rule=c.extraction_rule,
                claimant=actors.get(c.claimant_id),
                supports=tuple(spans.get((c.pk, Evidence.Stance.SUPPORTS), ())),
                disputes=tuple(spans.get((c.pk, Evidence.Stance.DISPUTES), ())),
            )
            for c in claims.only("pk", "statement", "extraction_rule", "claimant_id")
        ),
        actors=tuple(actors.values()),
    )


def ingest_and_read(path):
    """Ingest one article file into the current database and read back its drafts, leaving
    the database as it was. Returns (content hash of the text, Drafts)."""
    article = read_article(path)
    with transaction.atomic():
        result = ingest_article(article, load_gazetteer())
        drafts = read_drafts(result.source)
        transaction.set_rollback(True)
    return content_hash(article.text), drafts


def drafts_to_json(drafts):
    actor = lambda a: a and {"id": a.id, "name": a.name, "forms": sorted(a.forms)}  # noqa: E731
    return {
        "actors": [actor(a) for a in drafts.actors],
        "claims": [
            {
                "id": c.id,
                "statement": c.statement,
                "rule": c.rule,
                "claimant": actor(c.claimant),
                "supports": c.supports,
                "disputes": c.disputes,
            }
            for c in drafts.claims
        ],
    }


def drafts_from_json(data):
    actor = lambda a: a and DraftActor(a["id"], a["name"], frozenset(a["forms"]))  # noqa: E731
    return Drafts(
        claims=tuple(
            DraftClaim(
                id=c["id"],
                statement=c["statement"],
                rule=c["rule"],
                claimant=actor(c["claimant"]),
                supports=tuple(tuple(s) for s in c["supports"]),
                disputes=tuple(tuple(s) for s in c["disputes"]),
            )
            for c in data["claims"]
        ),
        actors=tuple(actor(a) for a in data["actors"]),
    )


def ingest_each(paths):
    """JSON-ready results for article files, one per path: drafts, or why it failed."""
    results = []
    for path in paths:
        try:
            digest, drafts = ingest_and_read(path)
        except FAILURES as exc:
            results.append({"path": str(path), "error": failure_reason(exc)})
            continue
        results.append({"path": str(path), "hash": digest, **drafts_to_json(drafts)})
    return results


def drafts_in_fresh_database(articles):
    """{GoldArticle name: Drafts} from ingesting `articles` in a child process on an empty
    SQLite database made for this run and deleted after it."""
    with tempfile.TemporaryDirectory(prefix="extraction-quality-") as tmp:
        output = Path(tmp) / "drafts.json"
        environ = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
        environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'kb.sqlite3'}"
        environ["DJANGO_SETTINGS_MODULE"] = "kb.settings"
        done = subprocess.run(
            [sys.executable, "-m", "claims.ingest.fresh_ingest", str(output)]
            + [str(a.path) for a in articles],
            cwd=settings.BASE_DIR,
            env=environ,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise EvaluationError(f"ingest in a fresh database failed:\n{done.stderr[-2000:]}")
        results = json.loads(output.read_text(encoding="utf-8"))
    drafts, problems = {}, []
    for article, result in zip(articles, results, strict=True):
        if "error" in result:
            problems.append(f"{article.path}: not ingested: {result['error']}")
        elif result["hash"] != content_hash(article.text):
            problems.append(f"{article.path}: ingest stored another text than the gold's")
        else:
            drafts[article.name] = drafts_from_json(result)
    if problems:
        raise EvaluationError("\n".join(problems))
    return drafts
