"""What the API returns for each kind of record, built from value rows: a fixed number of
queries per page whatever its size, no model instances (building them, and DRF serializer
fields per value, cost more than the queries). `claims/api/schemas.py` describes the same
shapes for the OpenAPI schema; a test holds the two together.

Every record has its `id` (stable: ids are never reused), its `api_url` and, where the reader
pages have one, its public page `url` (a permalink by slug). References to other records are
small objects with `id`, `slug` and `name` (or `title`).
"""

from django.db.models import Exists, OuterRef
from taggit.models import TaggedItem

from claims import claim_page, public
from claims.models import Actor, ActorAlias, Claim, EventParticipant, Evidence, Passage, slug_url
from claims.prepared import PreparedValues

API = "/api/v1"


def _ref(pk, slug, name, key="name"):
    return {"id": pk, "slug": slug, key: name} if pk is not None else None


def _ordered(ids, found):
    return [found[pk] for pk in ids if pk in found]


def _grouped(rows):
    out = {}
    for key, *value in rows:
        out.setdefault(key, []).append(value)
    return out


def actor_refs(rows):
    """{owner id: [actor ref, by name]} from (owner id, actor id, slug, name) rows."""
    grouped = _grouped(rows)
    return {
        owner: [_ref(*actor) for actor in sorted(actors, key=lambda a: (a[2], a[1]))]
        for owner, actors in grouped.items()
    }


# -- claims ----------------------------------------------------------------------------------

CLAIM_FIELDS = (
    "pk",
    "slug",
    "statement",
    "kind",
    "status",
    "claimant_id",
    "claimant__slug",
    "claimant__name",
    "event_id",
    "event__slug",
    "event__title",
    "is_disputed",
    "disputed_by",
    "supporting_sources",
    "created_at",
    "updated_at",
    "published_at",
)
ROWS_AT_ONCE = 25  # the default page
NO_CLAIM = 0  # pads a shorter list of ids: no claim has id 0
CLAIM_ID = -7_500_001  # markers: values no real id takes
IDS = range(-7_500_101, -7_500_101 - ROWS_AT_ONCE, -1)


def _claim_rows(queryset):
    return queryset.with_dispute_state().order_by().values_list(*CLAIM_FIELDS)


# Prepared (claims/prepared.py), like the reader's list rows and claim page: compiling the
# dispute-state subqueries cost more than running them.
_rows = PreparedValues(Claim, lambda *ids: _claim_rows(Claim.objects.filter(pk__in=ids)), *IDS)
_subjects = PreparedValues(
    Claim,
    lambda *ids: (
        Claim.subjects.through.objects.filter(claim_id__in=ids)
        .order_by()
        .values_list("claim_id", "actor_id", "actor__slug", "actor__name")
    ),
    *IDS,
)
_tags = PreparedValues(
    Claim,
    lambda *ids: (
        TaggedItem.objects.filter(
            content_type__app_label="claims", content_type__model="claim", object_id__in=ids
        )
        .order_by()
        .values_list("object_id", "tag__name")
    ),
    *IDS,
)
_one = {
    True: PreparedValues(Claim, lambda pk: _claim_rows(public.claims().filter(pk=pk)), CLAIM_ID),
    False: PreparedValues(Claim, lambda pk: _claim_rows(Claim.objects.filter(pk=pk)), CLAIM_ID),
}


def _claim_record(row, base, subjects, tags):
    (
        pk,
        slug,
        statement,
        kind,
        status,
        claimant_id,
        claimant_slug,
        claimant_name,
        event_id,
        event_slug,
        event_title,
        disputed,
        disputed_by,
        supporting,
        created,
        updated,
        published,
    ) = row
    return {
        "id": pk,
        "slug": slug,
        "url": base + slug_url("claims:claim_detail", slug),
        "api_url": f"{base}{API}/claims/{pk}/",
        "statement": statement,
        "kind": kind,
        "status": status,
        "claimant": _ref(claimant_id, claimant_slug, claimant_name),
        "subjects": subjects,
        "event": _ref(event_id, event_slug, event_title, "title"),
        "tags": sorted(tags),
        "disputed": bool(disputed),
        "disputed_by": disputed_by.split("; ") if disputed_by else [],
        "supporting_sources": supporting or 0,
        "created_at": created,
        "updated_at": updated,
        "published_at": published,
    }


def claims(ids, base):
    """The claims `ids` as API records, in that order: 3 prepared queries per 25 claims."""
    if not ids:
        return []
    rows = _rows.rows_for(ids, NO_CLAIM)
    subjects = actor_refs(_subjects.rows_for(ids, NO_CLAIM))
    tags = _grouped(_tags.rows_for(ids, NO_CLAIM))
    found = {
        row[0]: _claim_record(
            row, base, subjects.get(row[0], []), [name for (name,) in tags.get(row[0], [])]
        )
        for row in rows
    }
    return _ordered(ids, found)


def claim(pk, base, public_only=True):
    """One claim with its evidence as an API record, or None: three prepared queries (one when
    there is no such claim, or it is not public and `public_only`)."""
    rows = _one[public_only].rows(pk)
    if not rows:
        return None
    subjects, tags, stance_actors = [], [], {}
    for label, evidence_id, actor_id, name, slug, _kind in claim_page.labels(pk):
        if label == "tag":
            tags.append(name)
        elif label == "subject":
            subjects.append((actor_id, slug, name))
        else:
            stance_actors.setdefault(evidence_id, []).append((actor_id, slug, name))
    by_name = lambda refs: [_ref(*r) for r in sorted(refs, key=lambda r: (r[2], r[0]))]  # noqa: E731
    record = _claim_record(rows[0], base, by_name(subjects), tags)
    evidence = [
        _evidence_record(row, pk, by_name(stance_actors.get(row[0], [])), base)
        for row in _evidence_of.rows(pk)
    ]
    record["evidence"] = sorted(evidence, key=lambda e: (e["passage"]["source"]["id"], e["id"]))
    return record


# -- evidence and passages -------------------------------------------------------------------

PASSAGE_FIELDS = (
    "pk",
    "kind",
    "start",
    "end",
    "text",
    "prefix",
    "suffix",
    "source_id",
    "source__slug",
    "source__title",
)


EVIDENCE_FIELDS = (
    "pk",
    "stance",
    "note",
    "created_at",
    *(f"passage__{f}" if f != "pk" else "passage_id" for f in PASSAGE_FIELDS),
)
_evidence_of = PreparedValues(
    Evidence,
    lambda pk: Evidence.objects.filter(claim_id=pk).order_by().values_list(*EVIDENCE_FIELDS),
    CLAIM_ID,
)


def _passage(pk, kind, start, end, text, prefix, suffix, source_id, source_slug, title, base):
    return {
        "id": pk,
        "api_url": f"{base}{API}/passages/{pk}/",
        "url": f"{base}{slug_url('claims:source_detail', source_slug)}#p-{pk}",
        "kind": kind,
        "source": _ref(source_id, source_slug, title, "title"),
        "start": start,
        "end": end,
        "text": text,
        "prefix": prefix,
        "suffix": suffix,
    }


def passages(ids, base):
    rows = Passage.objects.filter(pk__in=ids).order_by().values_list(*PASSAGE_FIELDS)
    return _ordered(ids, {row[0]: _passage(*row, base) for row in rows})


def _evidence_record(row, claim_id, actors, base):
    pk, stance, note, created, *passage = row
    return {
        "id": pk,
        "api_url": f"{base}{API}/evidence/{pk}/",
        "claim": claim_id,
        "stance": stance,
        "actors": actors,
        "note": note,
        "passage": _passage(*passage, base),
        "created_at": created,
    }


def evidence_records(ids, base):
    """Evidence `ids` as API records, in that order: two queries."""
    actors = actor_refs(
        Evidence.actors.through.objects.filter(evidence_id__in=ids).values_list(
            "evidence_id", "actor_id", "actor__slug", "actor__name"
        )
    )
    rows = Evidence.objects.filter(pk__in=ids).order_by().values_list("claim_id", *EVIDENCE_FIELDS)
    found = {
        row[1]: _evidence_record(row[1:], row[0], actors.get(row[1], []), base) for row in rows
    }
    return _ordered(ids, found)


# -- actors, events, sources -----------------------------------------------------------------


def actors(ids, base, visible):
    """Actors as API records; an affiliation shows only when it is in `visible` (the caller's
    actors): a public actor's page never names a non-public one. Three queries."""
    rows = (
        Actor.objects.filter(pk__in=ids)
        .annotate(affiliation_shown=Exists(visible.filter(pk=OuterRef("affiliation_id"))))
        .order_by()
        .values_list(
            "pk",
            "slug",
            "name",
            "kind",
            "description",
            "affiliation_id",
            "affiliation__slug",
            "affiliation__name",
            "affiliation_shown",
            "created_at",
            "updated_at",
        )
    )
    aliases = _grouped(ActorAlias.objects.filter(actor_id__in=ids).values_list("actor_id", "name"))
    found = {}
    for pk, slug, name, kind, description, aff, aff_slug, aff_name, shown, created, updated in rows:
        found[pk] = {
            "id": pk,
            "slug": slug,
            "url": base + slug_url("claims:actor_detail", slug),
            "api_url": f"{base}{API}/actors/{pk}/",
            "name": name,
            "kind": kind,
            "description": description,
            "aliases": sorted(a for (a,) in aliases.get(pk, []) if a != name),
            "affiliation": _ref(aff, aff_slug, aff_name) if shown else None,
            "created_at": created,
            "updated_at": updated,
        }
    return _ordered(ids, found)


def events(ids, base):
    from claims.models import Event

    participants = {}
    for event_id, actor_id, slug, name, role in (
        EventParticipant.objects.filter(event_id__in=ids)
        .order_by("actor__name", "role")
        .values_list("event_id", "actor_id", "actor__slug", "actor__name", "role")
    ):
        participants.setdefault(event_id, []).append(
            {"actor": _ref(actor_id, slug, name), "role": role}
        )
    found = {}
    for event in Event.objects.filter(pk__in=ids).order_by():
        found[event.pk] = {
            "id": event.pk,
            "slug": event.slug,
            "url": base + slug_url("claims:event_detail", event.slug),
            "api_url": f"{base}{API}/events/{event.pk}/",
            "title": event.title,
            "kind": event.kind,
            "start_date": event.start_date,
            "end_date": event.end_date,
            "date_precision": event.date_precision,
            "date_label": event.date_label,
            "location": event.location,
            "description": event.description,
            "participants": participants.get(event.pk, []),
            "created_at": event.created_at,
            "updated_at": event.updated_at,
        }
    return _ordered(ids, found)


SOURCE_FIELDS = ("pk", "slug", "title", "url", "publisher", "published_on", "created_at")


def sources(ids, base, with_text=False):
    from claims.models import Source

    fields = (*SOURCE_FIELDS, "text") if with_text else SOURCE_FIELDS
    found = {}
    for row in Source.objects.filter(pk__in=ids).order_by().values_list(*fields):
        pk, slug, title, url, publisher, published_on, created, *text = row
        found[pk] = {
            "id": pk,
            "slug": slug,
            "url": base + slug_url("claims:source_detail", slug),
            "api_url": f"{base}{API}/sources/{pk}/",
            "title": title,
            "original_url": url,
            "publisher": publisher,
            "published_on": published_on,
            "created_at": created,
        }
        if with_text:
            found[pk]["text"] = text[0]
    return _ordered(ids, found)
