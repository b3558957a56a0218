"""Load the seed knowledge base: the articles in `seeds/` and the analyst's `annotations.json`.

Every quote is resolved to offsets before anything is written; if one is missing or ambiguous,
all problems are reported together and the database is left as it was. Re-running changes
nothing: rows are matched by natural keys (content hash, slugs) and saved only when different.

The publishing rule (claims/publishing.py) holds here too: a claim the annotations mark as
published is published only when the seeds are loaded by someone who may publish it (`--user`);
otherwise it waits in review. A claim's status is set when it is created and afterwards belongs
to the workflow (loading again never re-publishes a withdrawn claim), and a changed seed that
rewrites a published claim sends it back to review unless the loader may publish it.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from claims import publishing
from claims.anchoring import AnchorError, find_quote
from claims.models import Actor, ActorAlias, Claim, Event, EventParticipant, Evidence, Passage
from claims.sources import store_source
from claims.text import normalize_alias, normalize_article_text

SEEDS_DIR = settings.BASE_DIR / "seeds"
ANNOTATIONS = "annotations.json"


class SeedError(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SeedReport:
    counts: Counter = field(default_factory=Counter)
    held: dict = field(default_factory=dict)  # {reason: claims marked published, now in review}
    sent_back: dict = field(default_factory=dict)  # {claim: reason} rewritten, back to review

    def record(self, model, outcome):
        self.counts[(model, outcome)] += 1

    @property
    def changed(self):
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def lines(self):
        models = sorted({model for model, _ in self.counts})
        return [
            f"{model}: {self.counts[(model, 'created')]} created, "
            f"{self.counts[(model, 'updated')]} updated, "
            f"{self.counts[(model, 'unchanged')]} unchanged"
            for model in models
        ]


def read_annotations(seeds_dir=SEEDS_DIR):
    path = Path(seeds_dir) / ANNOTATIONS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError([f"{path.name}: cannot be read ({exc})"]) from exc
    if data.get("version") != 1:
        raise SeedError([f"{path.name}: unsupported version {data.get('version')!r} (expected 1)"])
    return data


def read_texts(data, seeds_dir=SEEDS_DIR):
    texts, problems = {}, []
    for spec in data["sources"]:
        path = Path(seeds_dir) / spec["file"]
        try:
            texts[spec["key"]] = normalize_article_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"source {spec['key']}: cannot read {spec['file']} ({exc})")
    return texts, problems


def resolve_quotes(data, texts):
    """Map (claim slug, evidence index) → Anchor, and list every problem found."""
    anchors, problems = {}, []
    actors = {a["slug"] for a in data["actors"]}
    events = {e["slug"] for e in data["events"]}
    for claim in data["claims"]:
        for ref in [claim.get("claimant")] + claim.get("subjects", []):
            if ref and ref not in actors:
                problems.append(f"claim {claim['slug']}: unknown actor {ref!r}")
        if claim.get("event") and claim["event"] not in events:
            problems.append(f"claim {claim['slug']}: unknown event {claim['event']!r}")
        for i, ev in enumerate(claim["evidence"]):
            for ref in ev.get("actors", []):
                if ref not in actors:
                    problems.append(f"claim {claim['slug']}: unknown actor {ref!r}")
            if ev["source"] not in texts:
                problems.append(f"claim {claim['slug']}: unknown source {ev['source']!r}")
                continue
            try:
                anchors[(claim["slug"], i)] = find_quote(
                    texts[ev["source"]], ev["quote"], ev.get("prefix", ""), ev.get("suffix", "")
                )
            except AnchorError as exc:
                problems.append(f"claim {claim['slug']}, source {ev['source']}: {exc}")
    return anchors, problems


def _upsert(report, model, lookup, values, on_create=None):
    """Create the row (with `on_create` values too), or save it only if a value differs.
    Returns the instance."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj.save()
        report.record(model.__name__, "created")
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    if changed:
        obj.save()
    report.record(model.__name__, "updated" if changed else "unchanged")
    return obj


def _sync_m2m(report, label, manager, wanted):
    current = set(manager.all())
    if current != set(wanted):
        manager.set(wanted)
        report.record(label, "updated")


def load_seeds(seeds_dir=SEEDS_DIR, dry_run=False, publisher=None):
    """Load the seeds, publishing as `publisher` (a user, or None: nobody). A SeedReport."""
    data = read_annotations(seeds_dir)
    texts, problems = read_texts(data, seeds_dir)
    anchors, anchor_problems = resolve_quotes(data, texts)
    problems += anchor_problems
    if problems:
        raise SeedError(problems)
    report = SeedReport()
    with transaction.atomic():
        _write(data, texts, anchors, report, publisher)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(data, texts, anchors, report, publisher):
    sources = {}
    for spec in data["sources"]:
        source, created = store_source(
            texts[spec["key"]],
            title=spec["title"],
            slug=spec["slug"],
            url=spec.get("url", ""),
            publisher=spec.get("publisher", ""),
            published_on=spec.get("published_on"),
            origin=spec["file"],
        )
        report.record("Source", "created" if created else "unchanged")
        sources[spec["key"]] = source

    actors = {}
    for spec in data["actors"]:
        actors[spec["slug"]] = _upsert(
            report,
            Actor,
            {"slug": spec["slug"]},
            {
                "name": spec["name"],
                "kind": spec["kind"],
                "description": spec.get("description", ""),
            },
        )
    for spec in data["actors"]:
        actor = actors[spec["slug"]]
        affiliation = actors.get(spec.get("affiliation"))
        if actor.affiliation_id != (affiliation.pk if affiliation else None):
            actor.affiliation = affiliation
            actor.save(update_fields=["affiliation"])
            report.record("Actor", "updated")
        for name in spec.get("aliases", []):
            _upsert(
                report,
                ActorAlias,
                {"normalized": normalize_alias(name)},
                {"actor": actor, "name": name},
            )

    events = {}
    for spec in data["events"]:
        event = _upsert(
            report,
            Event,
            {"slug": spec["slug"]},
            {
                "title": spec["title"],
                "kind": spec["kind"],
                "start_date": _date(spec.get("start_date")),
                "end_date": _date(spec.get("end_date")),
                "date_precision": spec.get("precision", Event.Precision.DAY),
                "location": spec.get("location", ""),
                "description": spec.get("description", ""),
            },
        )
        events[spec["slug"]] = event
        for part in spec.get("participants", []):
            _upsert(
                report,
                EventParticipant,
                {"event": event, "actor": actors[part["actor"]], "role": part.get("role", "")},
                {},
            )

    existing = dict(
        Claim.objects.filter(slug__in=[spec["slug"] for spec in data["claims"]]).values_list(
            "slug", "pk"
        )
    )
    new = [spec for spec in data["claims"] if spec["slug"] not in existing]
    wanted = [Claim(status=spec.get("status", Claim.Status.PUBLISHED)) for spec in new]
    statuses, report.held = publishing.arriving_statuses(publisher, wanted)
    status_of = {spec["slug"]: status for spec, status in zip(new, statuses, strict=True)}
    # The seed file wrote the words, not the person loading it: no "wrote" marks.
    with publishing.editing(publisher, existing.values(), wrote=False) as edit:
        _write_claims(data, status_of, actors, events, sources, anchors, report)
    report.sent_back = edit.sent_back


def _write_claims(data, status_of, actors, events, sources, anchors, report):
    for spec in data["claims"]:
        claim = _upsert(
            report,
            Claim,
            {"slug": spec["slug"]},
            {
                "statement": spec["statement"],
                "claimant": actors.get(spec.get("claimant")),
                "event": events.get(spec.get("event")),
                "kind": spec["kind"],
            },
            on_create={"status": status_of.get(spec["slug"])},
        )
        _sync_m2m(
            report, "Claim subjects", claim.subjects, [actors[s] for s in spec.get("subjects", [])]
        )
        tags = sorted(spec.get("tags", []))
        if sorted(claim.tags.names()) != tags:
            claim.tags.set(tags)
            report.record("Claim tags", "updated")
        for i, ev in enumerate(spec["evidence"]):
            anchor = anchors[(spec["slug"], i)]
            passage = _passage_for(report, sources[ev["source"]], anchor)
            evidence = _upsert(
                report,
                Evidence,
                {"claim": claim, "passage": passage},
                {"stance": ev.get("stance", Evidence.Stance.SUPPORTS), "note": ev.get("note", "")},
            )
            _sync_m2m(
                report,
                "Evidence actors",
                evidence.actors,
                [actors[a] for a in ev.get("actors", [])],
            )


def _passage_for(report, source, anchor):
    passage = Passage.objects.filter(source=source, start=anchor.start, end=anchor.end).first()
    if passage:
        report.record("Passage", "unchanged")
        return passage
    passage = Passage(source=source, start=anchor.start, end=anchor.end, kind=Passage.Kind.QUOTE)
    passage.save()
    report.record("Passage", "created")
    return passage


def _date(value):
    return datetime.date.fromisoformat(value) if value else None
