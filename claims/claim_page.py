"""What the public claim page shows, in five prepared queries whatever the claim.

The claim (with claimant and event), its evidence (with passage and source), the evidence's
actors, the subjects and the tags. Each query is a queryset compiled once per process
(claims/prepared.py); rows become model instances, so templates and helpers see the usual
objects. Fields not fetched here are deferred: touching one would cost a query, which the
query-count tests would catch.
"""

from dataclasses import dataclass

from django.db import router
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


_claim = PreparedValues(
    Claim,
    lambda slug: (
        public.claims()
        .filter(slug=slug)
        .values_list(*CLAIM, *_related("claimant", ACTOR), *_related("event", EVENT))
    ),
    SLUG,
)
_evidence = PreparedValues(
    Evidence,
    lambda claim_id: (
        Evidence.objects.filter(claim_id=claim_id)
        .order_by()
        .values_list(*EVIDENCE, *_related("passage", PASSAGE), *_related("passage__source", SOURCE))
    ),
    CLAIM_ID,
)
_evidence_actors = PreparedValues(
    Evidence,
    lambda claim_id: (
        Evidence.actors.through.objects.filter(evidence__claim_id=claim_id)
        .order_by("actor__name")
        .values_list("evidence_id", *_related("actor", ACTOR))
    ),
    CLAIM_ID,
)
_subjects = PreparedValues(
    Actor,
    lambda claim_id: (
        Claim.subjects.through.objects.filter(claim_id=claim_id)
        .order_by("actor__name")
        .values_list(*_related("actor", ACTOR))
    ),
    CLAIM_ID,
)
# The tags through their items rather than taggit's `claim.tags` manager, which looks up the
# content type first.
_tags = PreparedValues(
    Tag,
    lambda claim_id: (
        Tag.objects.filter(
            taggit_taggeditem_items__object_id=claim_id,
            taggit_taggeditem_items__content_type__app_label="claims",
            taggit_taggeditem_items__content_type__model="claim",
        )
        .order_by("name")
        .values_list(*TAG)
    ),
    CLAIM_ID,
)


@dataclass
class ClaimPage:
    claim: Claim
    subjects: list
    tags: list
    evidence: list  # reader.EvidenceItem, the earliest published source first


def _split(row, *groups):
    """Cut a flat row into {attname: value} dicts, one per group of field names."""
    out, at = [], 0
    for fields in groups:
        out.append(dict(zip(fields, row[at : at + len(fields)], strict=True)))
        at += len(fields)
    return out


def _made(model, alias, fields, row):
    return instance(model, alias, dict(zip(fields, row, strict=True)))


def load(slug):
    """The published claim with this slug as a ClaimPage, or None."""
    rows = _claim.rows(slug)
    if not rows:
        return None
    alias = router.db_for_read(Claim)
    claim_values, claimant_values, event_values = _split(rows[0], CLAIM, ACTOR, EVENT)
    claim = instance(Claim, alias, claim_values)
    claim.claimant = instance(Actor, alias, claimant_values) if claim.claimant_id else None
    claim.event = instance(Event, alias, event_values) if claim.event_id else None

    actors = {}
    for evidence_id, *actor in _evidence_actors.rows(claim.pk):
        actors.setdefault(evidence_id, []).append(_made(Actor, alias, ACTOR, actor))
    evidence = []
    for row in _evidence.rows(claim.pk):
        values, passage_values, source_values = _split(row, EVIDENCE, PASSAGE, SOURCE)
        item = instance(Evidence, alias, values)
        item.passage = instance(Passage, alias, passage_values)
        item.passage.source = instance(Source, alias, source_values)
        evidence.append(item)
    subjects = [_made(Actor, alias, ACTOR, row) for row in _subjects.rows(claim.pk)]
    tags = [_made(Tag, alias, TAG, row) for row in _tags.rows(claim.pk)]
    return ClaimPage(claim, subjects, tags, evidence_items(evidence, actors))
