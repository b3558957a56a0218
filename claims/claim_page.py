"""What the public claim page shows, in two prepared queries whatever the claim.

1. the published claim with its claimant, event and evidence (passage and source): one row per
   evidence, or one row without evidence;
2. the claim's labels: its subjects, its tags and the actors of each evidence, as one
   `UNION ALL` (a round trip to PostgreSQL costs more than these lookups themselves).

Each query is a queryset compiled once per process (claims/prepared.py); rows become model
instances, so templates and helpers see the usual objects. Fields not fetched here are deferred:
touching one would cost a query, which the query-count tests would catch.
"""

from dataclasses import dataclass

from django.db import router
from django.db.models.expressions import RawSQL
from taggit.models import Tag

from claims import public
from claims.models import Actor, Claim, Event, Evidence, Passage, Source
from claims.prepared import PreparedValues, instance
from claims.reader import evidence_items

SLUG = "\x00claim-slug\x00"  # markers: values no real slug or id can take
CLAIM_ID = -7_301_113

ACTOR = ("id", "name", "slug", "kind")
EVENT = ("id", "title", "slug", "start_date", "end_date", "date_precision")
CLAIM = ("id", "slug", "statement", "kind", "status", "created_at", "claimant_id", "event_id")
SOURCE = ("id", "title", "slug", "url", "publisher", "published_on", "text")
EVIDENCE = ("id", "stance", "note", "claim_id", "passage_id")
PASSAGE = ("id", "start", "end", "source_id")
TAG = ("id", "name", "slug")


def _related(prefix, fields):
    return [f"{prefix}__{f}" for f in fields]


def _literal(sql):
    """A constant column written into the SQL, not bound: a bound value in a UNION's select
    list has no type PostgreSQL can infer."""
    return RawSQL(sql, ())


_claim = PreparedValues(
    Claim,
    lambda slug: (
        public.claims()
        .filter(slug=slug)
        .order_by()
        .values_list(
            *CLAIM,
            *_related("claimant", ACTOR),
            *_related("event", EVENT),
            *_related("evidence", EVIDENCE),
            *_related("evidence__passage", PASSAGE),
            *_related("evidence__passage__source", SOURCE),
        )
    ),
    SLUG,
)


def _labels_of(claim_id):
    """(label, evidence id, id, name, slug, actor kind) rows: subjects, evidence actors, tags."""
    actor = _related("actor", ACTOR)
    subjects = Claim.subjects.through.objects.filter(claim_id=claim_id).values_list(
        _literal("'subject'"), _literal("NULL"), *actor
    )
    evidence_actors = Evidence.actors.through.objects.filter(
        evidence__claim_id=claim_id
    ).values_list(_literal("'evidence'"), "evidence_id", *actor)
    tags = Tag.objects.filter(
        taggit_taggeditem_items__object_id=claim_id,
        taggit_taggeditem_items__content_type__app_label="claims",
        taggit_taggeditem_items__content_type__model="claim",
    ).values_list(_literal("'tag'"), _literal("NULL"), *TAG, _literal("''"))
    return subjects.order_by().union(evidence_actors.order_by(), tags.order_by(), all=True)


_labels = PreparedValues(Claim, _labels_of, CLAIM_ID)


def labels(claim_id):
    """The claim's (label, evidence id, id, name, slug, actor kind) rows, label being
    "subject", "evidence" (an actor of that evidence) or "tag": one prepared query."""
    return _labels.rows(claim_id)


@dataclass
class ClaimPage:
    claim: Claim
    subjects: list  # Actor, by name
    tags: list  # Tag, by name
    evidence: list  # reader.EvidenceItem, the earliest published source first


def _split(row, *groups):
    """Cut a flat row into {attname: value} dicts, one per group of field names."""
    out, at = [], 0
    for fields in groups:
        out.append(dict(zip(fields, row[at : at + len(fields)], strict=True)))
        at += len(fields)
    return out


def _by_name(instances):
    return sorted(instances, key=lambda item: item.name)


def load(slug):
    """The published claim with this slug as a ClaimPage, or None."""
    rows = _claim.rows(slug)
    if not rows:
        return None
    alias = router.db_for_read(Claim)
    groups = (CLAIM, ACTOR, EVENT, EVIDENCE, PASSAGE, SOURCE)
    claim_values, claimant_values, event_values, *_ = _split(rows[0], *groups)
    claim = instance(Claim, alias, claim_values)
    claim.claimant = instance(Actor, alias, claimant_values) if claim.claimant_id else None
    claim.event = instance(Event, alias, event_values) if claim.event_id else None

    evidence = []
    for row in rows:
        *_, values, passage_values, source_values = _split(row, *groups)
        if values["id"] is None:  # a claim without evidence: its one row joined to nothing
            continue
        item = instance(Evidence, alias, values)
        item.passage = instance(Passage, alias, passage_values)
        item.passage.source = instance(Source, alias, source_values)
        evidence.append(item)

    subjects, tags, actors = [], [], {}
    for label, evidence_id, *fields in labels(claim.pk):
        if label == "tag":
            tags.append(instance(Tag, alias, dict(zip(TAG, fields[:3], strict=True))))
            continue
        actor = instance(Actor, alias, dict(zip(ACTOR, fields, strict=True)))
        if label == "subject":
            subjects.append(actor)
        else:
            actors.setdefault(evidence_id, []).append(actor)
    actors = {evidence_id: _by_name(group) for evidence_id, group in actors.items()}
    return ClaimPage(claim, _by_name(subjects), _by_name(tags), evidence_items(evidence, actors))
