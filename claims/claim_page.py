"""What the public claim page shows, in two prepared queries whatever the claim.

1. the published claim with its claimant, event and evidence (passage and source): one row per
   evidence, or one row without evidence;
2. the claim's labels: its subjects, its tags and the actors of each evidence, as one
   `UNION ALL` (a round trip to PostgreSQL costs more than these lookups themselves).

Each query is a queryset compiled once per process (claims/prepared.py); rows become model
instances, so templates and helpers see the usual objects. Fields not fetched here are deferred:
touching one would cost a query, which the query-count tests would catch.
"""

import datetime
from dataclasses import dataclass

from django.db import router
from django.db.models import CharField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils.dateparse import parse_datetime
from taggit.models import Tag

from claims import public
from claims.models import Actor, Claim, Event, Evidence, Passage, ReviewMark, Source
from claims.prepared import PreparedValues, instance
from claims.reader import evidence_items

SLUG = "\x00claim-slug\x00"  # markers: values no real slug or id can take
CLAIM_ID = -7_301_113

ACTOR = ("id", "name", "slug", "kind")
EVENT = ("id", "title", "slug", "start_date", "end_date", "date_precision")
CLAIM = (
    "id",
    "slug",
    "statement",
    "kind",
    "status",
    "created_at",
    "updated_at",
    "published_at",
    "claimant_id",
    "event_id",
)
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
    # Review marks (claims/publishing.py): kind, -, id, when (as text), the user's full name.
    marks = ReviewMark.objects.filter(claim_id=claim_id).values_list(
        "kind",
        _literal("NULL"),
        "id",
        Cast("created_at", CharField()),
        Concat("user__first_name", Value(" "), "user__last_name", output_field=CharField()),
        _literal("''"),
    )
    return subjects.order_by().union(
        evidence_actors.order_by(), tags.order_by(), marks.order_by(), all=True
    )


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
    reviewed: "Review | None" = None  # the latest approval
    last_changed: datetime.datetime | None = None  # the latest content change by a person


@dataclass
class Review:
    by: str  # the reviewer's full name ("" when the account has none: no login is shown)
    at: datetime.datetime


def _when(text):
    """A mark's time from its text form (PostgreSQL "…+00", SQLite naive UTC)."""
    value = parse_datetime(text.replace(" ", "T", 1)) if text else None
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


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
    reviewed = last_changed = None
    for label, evidence_id, *fields in labels(claim.pk):
        if label in (ReviewMark.Kind.APPROVED, ReviewMark.Kind.WROTE):
            at = _when(fields[1])
            if at is None:
                continue
            if label == ReviewMark.Kind.WROTE:
                last_changed = max(filter(None, (last_changed, at)))
            elif reviewed is None or at > reviewed.at:
                reviewed = Review(by=(fields[2] or "").strip(), at=at)
            continue
        if label == "tag":
            tags.append(instance(Tag, alias, dict(zip(TAG, fields[:3], strict=True))))
            continue
        actor = instance(Actor, alias, dict(zip(ACTOR, fields, strict=True)))
        if label == "subject":
            subjects.append(actor)
        else:
            actors.setdefault(evidence_id, []).append(actor)
    actors = {evidence_id: _by_name(group) for evidence_id, group in actors.items()}
    return ClaimPage(
        claim,
        _by_name(subjects),
        _by_name(tags),
        evidence_items(evidence, actors),
        reviewed,
        last_changed,
    )
